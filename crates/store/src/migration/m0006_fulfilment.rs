//! Fulfilment records (履职记录) of duty-list items, and the photos that go with them. Photo
//! bytes live in the database (docs/adr/0005-photos.md).

use super::cols::*;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0006_fulfilment"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut bytes = ColumnDef::new(Alias::new("bytes"));
        bytes.blob().not_null();
        m.create_table(
            Table::create()
                .table(Alias::new("photos"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("organisation_id"))
                .col(text("content_type"))
                .col(big("byte_size"))
                .col(text("sha256"))
                .col(&mut bytes)
                .col(text("created_by"))
                .col(at("created_at"))
                .check(in_list("content_type", "'image/jpeg','image/png','image/webp'".into()))
                .foreign_key(&mut fk("photos", "organisation_id", "organisations", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("fulfilment_records"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("duty_list_item_id"))
                .col(text("organisation_id"))
                .col(text_null("person_id"))
                .col(date("done_on"))
                .col(long_text("note"))
                .col(text_null("photo_id"))
                .col(text("created_by"))
                .col(at("created_at"))
                .foreign_key(&mut fk("fulfilment_records", "duty_list_item_id", "duty_list_items", "id"))
                .foreign_key(&mut fk("fulfilment_records", "organisation_id", "organisations", "id"))
                .foreign_key(&mut fk("fulfilment_records", "person_id", "people", "id"))
                .foreign_key(&mut fk("fulfilment_records", "photo_id", "photos", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("fulfilment_records", "ix_fulfilment_records_item", &["duty_list_item_id", "done_on"], false)).await?;
        m.create_index(index("photos", "ix_photos_org", &["organisation_id"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["fulfilment_records", "photos"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
