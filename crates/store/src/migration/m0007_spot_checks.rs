//! List spot checks (清单抽查): one row per unit checked, with how it was chosen (by hand, or
//! drawn with a recorded seed from a pool whose size and hash are kept), the system's figures
//! at the moment of the check, and the inspector's three results and problems.

use super::cols::*;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0007_spot_checks"
    }
}

fn outcome(col: &str) -> Expr {
    check(format!("{col} IS NULL OR {col} IN ('pass','fail')"))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("list_spot_checks"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("organisation_id"))
                .col(text_null("inspector_id"))
                .col(text("inspector_name"))
                .col(at("created_at"))
                .col(text("method"))
                .col(text_null("draw_id"))
                .col(text_null("seed"))
                .col(big("pool_size"))
                .col(text_null("pool_hash"))
                .col(text_null("pool_filter"))
                .col(big("people"))
                .col(big("covered"))
                .col(big("stale"))
                .col(big("missing_lists"))
                .col(big("fit_flags"))
                .col(text_null("covered_ok"))
                .col(text_null("adjusted_ok"))
                .col(text_null("fits_ok"))
                .col(long_text("problems"))
                .col(text("state"))
                .col(at_null("recorded_at"))
                .col(text_null("recorded_by_id"))
                .col(text_null("recorded_by_name"))
                .check(in_list("method", "'manual','random'".into()))
                .check(in_list("state", "'open','recorded'".into()))
                .check(outcome("covered_ok"))
                .check(outcome("adjusted_ok"))
                .check(outcome("fits_ok"))
                .foreign_key(&mut fk("list_spot_checks", "tenant_id", "tenants", "id"))
                .foreign_key(&mut fk("list_spot_checks", "organisation_id", "organisations", "id"))
                .to_owned(),
        )
        .await?;
        // The list is newest first (ids are UUIDv7, so id order is creation order).
        m.create_index(index("list_spot_checks", "ix_list_spot_checks_tenant", &["tenant_id", "id"], false)).await?;
        m.create_index(index("list_spot_checks", "ix_list_spot_checks_org", &["organisation_id", "id"], false)).await?;
        m.create_index(index("list_spot_checks", "ix_list_spot_checks_draw", &["draw_id"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("list_spot_checks")).to_owned()).await
    }
}
