//! Checklists imported from .xlsx (issue 4 item 3), beside the shipped ones: per industry and
//! inspection kind, their items as JSON (text, category, grade), unique by code per tenant.

use super::cols::*;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0016_checklists"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("checklists"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("code"))
                .col(text("name"))
                .col(long_text("basis"))
                .col(text("grade"))
                .col(text_null("industry_code"))
                .col(text_null("inspection_kind"))
                .col(long_text("items"))
                .col(text("created_by"))
                .col(at("created_at"))
                .check(in_list("grade", "'general','major'".into()))
                .foreign_key(&mut fk("checklists", "tenant_id", "tenants", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("checklists", "ux_checklists_code", &["tenant_id", "code"], true)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("checklists")).to_owned()).await?;
        Ok(())
    }
}
