//! QR codes that open an enterprise's phone page: an unguessable token per enterprise, stable
//! until revoked.

use super::cols::*;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0004_qr_codes"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("qr_codes"))
                .col(id("id"))
                .col(text("tenant_id"))
                .col(text("organisation_id"))
                .col(text("token"))
                .col(at("created_at"))
                .col(at_null("revoked_at"))
                .foreign_key(&mut fk("qr_codes", "organisation_id", "organisations", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("qr_codes", "ux_qr_codes_token", &["token"], true)).await?;
        m.create_index(index("qr_codes", "ix_qr_codes_org", &["organisation_id", "revoked_at"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("qr_codes")).to_owned()).await
    }
}
