//! An index for the enterprise list filtered by industry and risk: without it the list scans
//! every enterprise in name order looking for the rare matches (about 90 ms at 50 000
//! enterprises); with it, and statistics, the matches are found first (under 1 ms).

use super::cols::index;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0002_enterprise_filters"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index("enterprises", "ix_enterprises_industry_risk", &["tenant_id", "industry_code", "risk_level"], false)).await?;
        m.create_index(index("enterprises", "ix_enterprises_risk", &["tenant_id", "risk_level"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_enterprises_risk").table(Alias::new("enterprises")).to_owned()).await?;
        m.drop_index(Index::drop().name("ix_enterprises_industry_risk").table(Alias::new("enterprises")).to_owned()).await
    }
}
