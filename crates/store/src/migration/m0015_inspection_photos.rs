//! Photos per checklist item of an inspection visit (issue 4 item 2): each links a stored
//! photo (ADR 0008) to the result of one item at one target.

use super::cols::*;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0015_inspection_photos"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("inspection_photos"))
                .col(id("id"))
                .col(text("inspection_id"))
                .col(text("result_id"))
                .col(text("photo_id"))
                .col(at("created_at"))
                .foreign_key(&mut fk("inspection_photos", "inspection_id", "inspections", "id"))
                .foreign_key(&mut fk("inspection_photos", "result_id", "inspection_results", "id"))
                .foreign_key(&mut fk("inspection_photos", "photo_id", "photos", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("inspection_photos", "ix_inspection_photos_inspection", &["inspection_id", "result_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("inspection_photos")).to_owned()).await?;
        Ok(())
    }
}
