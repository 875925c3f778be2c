//! Hazards (隐患) and their closed loop (DESIGN.md §6): one row per hazard with its current
//! state and a copy of its unit's kind, place and industry (so every view filters one table
//! through the caller's scope); an event per transition; before and after photos; the
//! governance plan a major hazard needs; and the escalation steps already taken.

use super::cols::*;
use anze_domain::hazard::{Category, Direction, Grade, HazardState, Origin};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0008_hazards"
    }
}

fn big_null(name: &'static str) -> ColumnDef {
    let mut c = ColumnDef::new(Alias::new(name));
    c.big_integer().null();
    c
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("hazards"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("organisation_id"))
                .col(text("organisation_kind"))
                .col(text("region_path"))
                .col(text_null("township_code"))
                .col(text_null("industry_code"))
                .col(long_text("description"))
                .col(text_null("location"))
                .col(text("grade"))
                .col(text("category"))
                .col(text("origin"))
                .col(text("direction"))
                .col(text("state"))
                .col(text_null("responsible_person"))
                .col(date("found_on"))
                .col(date_null("deadline"))
                .col(long_text("measures"))
                .col(big_null("funds_fen"))
                .col(text_null("reported_by_id"))
                .col(text("reported_by_name"))
                .col(text_null("fixed_by_id"))
                .col(flag("supervisor_checked"))
                .col(flag("listed"))
                .col(text_null("merged_into"))
                .col(date_null("closed_on"))
                .col(big_null("days_to_close"))
                .col(text("exposure"))
                .col(at_null("exposed_at"))
                .col(text_null("exposed_by"))
                .col(at("created_at"))
                .col(at("updated_at"))
                .check(in_list("grade", Grade::sql_list()))
                .check(in_list("category", Category::sql_list()))
                .check(in_list("origin", Origin::sql_list()))
                .check(in_list("direction", Direction::sql_list()))
                .check(in_list("state", HazardState::sql_list()))
                .check(in_list("exposure", "'none','approved'".into()))
                .foreign_key(&mut fk("hazards", "tenant_id", "tenants", "id"))
                .foreign_key(&mut fk("hazards", "organisation_id", "organisations", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("hazard_events"))
                .col(id("id"))
                .col(text("hazard_id"))
                .col(text("action"))
                .col(text("from_state"))
                .col(text("to_state"))
                .col(long_text("note"))
                .col(text_null("actor_id"))
                .col(text("actor_name"))
                .col(at("at"))
                .foreign_key(&mut fk("hazard_events", "hazard_id", "hazards", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("hazard_photos"))
                .col(id("id"))
                .col(text("hazard_id"))
                .col(text_null("event_id"))
                .col(text("phase"))
                .col(text("photo_id"))
                .check(in_list("phase", "'before','after'".into()))
                .foreign_key(&mut fk("hazard_photos", "hazard_id", "hazards", "id"))
                .foreign_key(&mut fk("hazard_photos", "photo_id", "photos", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("governance_plans"))
                .col(id("hazard_id"))
                .col(long_text("aims"))
                .col(long_text("measures"))
                .col(long_text("funds_and_materials"))
                .col(long_text("people"))
                .col(date("deadline"))
                .col(long_text("safety_and_emergency_measures"))
                .col(text("updated_by"))
                .col(at("updated_at"))
                .foreign_key(&mut fk("governance_plans", "hazard_id", "hazards", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("hazard_escalations"))
                .col(id("id"))
                .col(text("hazard_id"))
                .col(text("grade"))
                .col(int("step"))
                .col(long_text("audiences"))
                .col(int("days_overdue"))
                .col(at("taken_at"))
                .foreign_key(&mut fk("hazard_escalations", "hazard_id", "hazards", "id"))
                .to_owned(),
        )
        .await?;
        // An employee's report behind a hazard (员工报告): who (or anonymous), the receipt code
        // shown on the phone, a suspected duplicate, and the reward and its payout.
        m.create_table(
            Table::create()
                .table(Alias::new("hazard_reports"))
                .col(id("hazard_id"))
                .col(text_null("person_id"))
                .col(text_null("reporter_name"))
                .col(text("receipt_code"))
                .col(text("address"))
                .col(text_null("suspected_duplicate_of"))
                .col(big_null("reward_fen"))
                .col(text_null("reward_granted_by"))
                .col(at_null("reward_granted_at"))
                .col(text_null("paid_by"))
                .col(at_null("paid_at"))
                .col(long_text("payout_note"))
                .col(at("created_at"))
                .foreign_key(&mut fk("hazard_reports", "hazard_id", "hazards", "id"))
                .foreign_key(&mut fk("hazard_reports", "person_id", "people", "id"))
                .to_owned(),
        )
        .await?;
        let indexes = [
            // Views page by newest first within a place; overdue lists read open hazards by deadline.
            index("hazards", "ix_hazards_place", &["tenant_id", "region_path", "id"], false),
            index("hazards", "ix_hazards_township", &["tenant_id", "township_code", "id"], false),
            // The overview sums these columns alone: one pass over this index, not the table.
            index(
                "hazards",
                "ix_hazards_overview",
                &["tenant_id", "township_code", "industry_code", "origin", "grade", "state", "deadline", "days_to_close", "region_path"],
                false,
            ),
            index("hazards", "ix_hazards_org", &["organisation_id", "id"], false),
            index("hazards", "ix_hazards_open", &["tenant_id", "state", "deadline"], false),
            index("hazard_events", "ix_hazard_events_hazard", &["hazard_id", "id"], false),
            index("hazard_photos", "ix_hazard_photos_hazard", &["hazard_id"], false),
            index("hazard_escalations", "ux_hazard_escalations_step", &["hazard_id", "grade", "step"], true),
            // The public exposure page reads approved hazards only.
            index("hazards", "ix_hazards_exposure", &["tenant_id", "exposure", "exposed_at"], false),
        ];
        for i in indexes {
            m.create_index(i).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["hazard_reports", "hazard_escalations", "governance_plans", "hazard_photos", "hazard_events", "hazards"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
