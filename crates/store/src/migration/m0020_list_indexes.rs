//! Indexes that serve a list's filter and its order together, so a page is read in order
//! and never sorted whole (DESIGN.md §3, §4): the city's newest hazards.

use super::cols::*;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0020_list_indexes"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index("hazards", "ix_hazards_newest", &["tenant_id", "id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_hazards_newest").table(Alias::new("hazards")).to_owned()).await?;
        Ok(())
    }
}
