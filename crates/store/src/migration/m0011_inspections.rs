//! Inspections (检查) and verifiable random draws (双随机). A draw keeps everything needed to
//! run it again (seed, frozen pool and roster, their hashes, the result) as one JSON record.
//! An inspection has its kind, lead, dates and targets (each carrying a copy of its unit's
//! kind, place and industry so the list filters through the caller's scope); each visit's
//! checklist results, with the hazard a failed item became.

use super::cols::*;
use anze_domain::inspection::{CheckResult, InspectionKind, InspectionState};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0011_inspections"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("draws"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("seed"))
                .col(big("pool_size"))
                .col(text("pool_hash"))
                .col(text("pool_filter"))
                .col(long_text("record"))
                .col(text("created_by"))
                .col(at("created_at"))
                .foreign_key(&mut fk("draws", "tenant_id", "tenants", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("inspections"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("kind"))
                .col(text("state"))
                .col(text("theme"))
                .col(text_null("lead_unit_id"))
                .col(text("lead_name"))
                .col(long_text("inspectors"))
                .col(date("starts_on"))
                .col(date("ends_on"))
                .col(long_text("plan_text"))
                .col(text_null("checklist_code"))
                .col(text_null("draw_id"))
                .col(text("created_by"))
                .col(at("created_at"))
                .col(at_null("completed_at"))
                .col(at_null("archived_at"))
                .check(in_list("kind", InspectionKind::sql_list()))
                .check(in_list("state", InspectionState::sql_list()))
                .foreign_key(&mut fk("inspections", "tenant_id", "tenants", "id"))
                .foreign_key(&mut fk("inspections", "draw_id", "draws", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("inspection_targets"))
                .col(id("id"))
                .col(text("inspection_id"))
                .col(text("organisation_id"))
                .col(text("organisation_kind"))
                .col(text("region_path"))
                .col(text_null("industry_code"))
                .col(text_null("inspector_signature"))
                .col(text_null("representative_signature"))
                .col(at_null("signed_at"))
                .foreign_key(&mut fk("inspection_targets", "inspection_id", "inspections", "id"))
                .foreign_key(&mut fk("inspection_targets", "organisation_id", "organisations", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("inspection_results"))
                .col(id("id"))
                .col(text("inspection_id"))
                .col(text("target_id"))
                .col(int("position"))
                .col(long_text("item_text"))
                .col(text("result"))
                .col(long_text("note"))
                .col(text_null("hazard_id"))
                .col(text("recorded_by"))
                .col(at("recorded_at"))
                .check(in_list("result", CheckResult::sql_list()))
                .foreign_key(&mut fk("inspection_results", "target_id", "inspection_targets", "id"))
                .foreign_key(&mut fk("inspection_results", "hazard_id", "hazards", "id"))
                .to_owned(),
        )
        .await?;
        let indexes = [
            index("inspections", "ix_inspections_tenant", &["tenant_id", "id"], false),
            index("inspection_targets", "ix_inspection_targets_inspection", &["inspection_id"], false),
            index("inspection_targets", "ix_inspection_targets_org", &["organisation_id", "inspection_id"], false),
            index("inspection_results", "ux_inspection_results_item", &["target_id", "position"], true),
            index("draws", "ix_draws_tenant", &["tenant_id", "id"], false),
        ];
        for i in indexes {
            m.create_index(i).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["inspection_results", "inspection_targets", "inspections", "draws"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
