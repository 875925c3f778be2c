//! Campaigns (issue 5): each loaded campaign file as one immutable version (ADR 0007), the
//! activity records the other issues do not make (study sessions, meetings, plans, reports …),
//! officers' documented exemptions, and the subject flags the city office sets on units
//! (comprehensive enforcement, concentrated risk) that the organisation record does not carry.

use super::cols::*;
use anze_domain::campaign::RecordKind;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0009_campaigns"
    }
}

/// The record kinds an activity may be: those no other part of the platform records.
pub fn activity_kinds() -> String {
    crate::repo::campaign::ACTIVITY_KINDS.iter().map(|k: &RecordKind| format!("'{}'", k.as_str())).collect::<Vec<_>>().join(",")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("campaigns"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("code"))
                .col(int("version"))
                .col(text("title"))
                .col(text("issuer"))
                .col(date("start_date"))
                .col(date("end_date"))
                .col(long_text("source"))
                .col(text("loaded_by"))
                .col(at("loaded_at"))
                .check(check("version >= 1".into()))
                .foreign_key(&mut fk("campaigns", "tenant_id", "tenants", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("campaigns", "ux_campaigns_version", &["tenant_id", "code", "version"], true)).await?;
        m.create_index(index("campaigns", "ix_campaigns_dates", &["tenant_id", "start_date", "end_date"], false)).await?;

        m.create_table(
            Table::create()
                .table(Alias::new("activities"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("organisation_id"))
                .col(text("kind"))
                .col(text("title"))
                .col(date("held_on"))
                .col(text("organiser"))
                .col(long_text("participants"))
                .col(long_text("minutes"))
                .col(text_null("period_label"))
                .col(flag("observed"))
                .col(flag("plenary"))
                .col(flag("head_attends"))
                .col(flag("for_sector_enterprises"))
                .col(flag("for_grid_workers"))
                .col(text("created_by"))
                .col(at("created_at"))
                .check(in_list("kind", activity_kinds()))
                .foreign_key(&mut fk("activities", "tenant_id", "tenants", "id"))
                .foreign_key(&mut fk("activities", "organisation_id", "organisations", "id"))
                .to_owned(),
        )
        .await?;
        // The evaluator reads one kind set over a campaign's dates; a unit's page reads its own.
        m.create_index(index("activities", "ix_activities_kind", &["tenant_id", "kind", "held_on"], false)).await?;
        m.create_index(index("activities", "ix_activities_org", &["organisation_id", "held_on"], false)).await?;
        // A quarterly report cannot be filed twice for one quarter (NULL labels never collide).
        m.create_index(index("activities", "ux_activities_period", &["tenant_id", "organisation_id", "kind", "period_label"], true))
            .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("exemptions"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("campaign_id"))
                .col(text("obligation_code"))
                .col(text("organisation_id"))
                .col(text("period_label"))
                .col(long_text("reason"))
                .col(text("granted_by"))
                .col(at("granted_at"))
                .check(check("reason <> ''".into()))
                .foreign_key(&mut fk("exemptions", "campaign_id", "campaigns", "id"))
                .foreign_key(&mut fk("exemptions", "organisation_id", "organisations", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("exemptions", "ux_exemptions", &["campaign_id", "obligation_code", "organisation_id", "period_label"], true))
            .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("subject_flags"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("organisation_id"))
                .col(text("flag"))
                .col(text("set_by"))
                .col(at("set_at"))
                .check(in_list("flag", "'comprehensive_enforcement','concentrated_risk','enforcement_powers'".into()))
                .foreign_key(&mut fk("subject_flags", "organisation_id", "organisations", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("subject_flags", "ux_subject_flags", &["organisation_id", "flag"], true)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["subject_flags", "exemptions", "activities", "campaigns"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
