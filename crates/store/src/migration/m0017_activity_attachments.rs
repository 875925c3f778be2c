//! Attachments of activity records (issue 5 item 3): each file kept once in the object store
//! under its SHA-256 (ADR 0008), with its shown name and type.

use super::cols::*;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0017_activity_attachments"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("activity_attachments"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("activity_id"))
                .col(text("file_name"))
                .col(text("content_type"))
                .col(big("byte_size"))
                .col(text("sha256"))
                .col(text("object_key"))
                .col(text("created_by"))
                .col(at("created_at"))
                .foreign_key(&mut fk("activity_attachments", "activity_id", "activities", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("activity_attachments", "ix_activity_attachments_activity", &["activity_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("activity_attachments")).to_owned()).await?;
        Ok(())
    }
}
