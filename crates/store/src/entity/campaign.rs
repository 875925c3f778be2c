use sea_orm::entity::prelude::*;
use serde::Serialize;

/// One loaded version of a campaign file (ADR 0007): never edited, a new load is a new version.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "campaigns")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    pub code: String,
    pub version: i32,
    pub title: String,
    pub issuer: String,
    pub start_date: Date,
    pub end_date: Date,
    /// The TOML text as loaded; the campaign is parsed from it again when read.
    pub source: String,
    pub loaded_by: String,
    pub loaded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
