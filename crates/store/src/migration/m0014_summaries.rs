//! Summaries that let the city-wide views read one row per unit instead of every record
//! (ADR 0009, extending ADR 0006):
//! - the coverage summary also keeps whether the unit's base record is complete and its
//!   supervision class, so the count of established "1+N" ledgers (measure 19) sums this
//!   table alone;
//! - a hazard summary per unit (how many, open, overdue as of a day, major, closed and the
//!   days those took), kept by every hazard write in its own transaction and brought to the
//!   day by the daily job, for the hazard overview by township and by industry.

use super::cols::*;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0014_summaries"
    }
}

/// The base record's completeness in SQL, for the rows that exist when this migration runs;
/// afterwards the service computes it with `anze_domain::ledger::base_record`, the one rule.
const BACKFILL_COVERAGE: &str = "UPDATE coverage_summaries SET \
    supervision_class = (SELECT e.supervision_class FROM enterprises e WHERE e.organisation_id = coverage_summaries.organisation_id), \
    base_complete = CASE WHEN EXISTS (SELECT 1 FROM organisations o JOIN enterprises e ON e.organisation_id = o.id \
        WHERE o.id = coverage_summaries.organisation_id \
        AND o.address IS NOT NULL AND TRIM(o.address) <> '' \
        AND e.principal_phone IS NOT NULL AND TRIM(e.principal_phone) <> '' \
        AND e.safety_director_name IS NOT NULL AND TRIM(e.safety_director_name) <> '' \
        AND e.headcount > 0) THEN TRUE ELSE FALSE END \
    WHERE kind = 'enterprise'";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let cs = || Table::alter().table(Alias::new("coverage_summaries")).to_owned();
        // One column per statement: SQLite alters one thing at a time.
        m.alter_table(cs().add_column(flag("base_complete")).to_owned()).await?;
        m.alter_table(cs().add_column(text_null("supervision_class")).to_owned()).await?;
        m.get_connection().execute_unprepared(BACKFILL_COVERAGE).await?;
        m.create_index(index(
            "coverage_summaries",
            "ix_coverage_summaries_ledger",
            &[
                "tenant_id",
                "kind",
                "township_code",
                "supervision_class",
                "base_complete",
                "people",
                "covered",
                "region_path",
                "industry_code",
            ],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("hazard_summaries"))
                .col(id("organisation_id"))
                .col(text("tenant_id"))
                .col(text("kind"))
                .col(text("region_path"))
                .col(text_null("township_code"))
                .col(text_null("industry_code"))
                .col(big("total"))
                .col(big("open"))
                .col(big("overdue"))
                .col(big("major"))
                .col(big("closed"))
                .col(big("days_to_close"))
                .col(date("overdue_on"))
                .col(at("computed_at"))
                .foreign_key(&mut fk("hazard_summaries", "organisation_id", "organisations", "id"))
                .to_owned(),
        )
        .await?;
        // Covers the overview: it reads this index alone.
        m.create_index(index(
            "hazard_summaries",
            "ix_hazard_summaries_overview",
            &[
                "tenant_id",
                "kind",
                "township_code",
                "industry_code",
                "total",
                "open",
                "overdue",
                "major",
                "closed",
                "days_to_close",
                "overdue_on",
                "region_path",
            ],
            false,
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("hazard_summaries")).to_owned()).await?;
        m.drop_index(Index::drop().name("ix_coverage_summaries_ledger").table(Alias::new("coverage_summaries")).to_owned()).await?;
        let cs = || Table::alter().table(Alias::new("coverage_summaries")).to_owned();
        m.alter_table(cs().drop_column(Alias::new("supervision_class")).to_owned()).await?;
        m.alter_table(cs().drop_column(Alias::new("base_complete")).to_owned()).await?;
        Ok(())
    }
}
