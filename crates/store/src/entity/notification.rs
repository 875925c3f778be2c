use sea_orm::entity::prelude::*;
use serde::Serialize;

/// A notice to a unit (e.g. the daily list of stale people); at most one per kind per day.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    pub organisation_id: String,
    pub kind: String,
    /// JSON: the message's parameters (counts, names).
    pub params: String,
    pub issued_on: Date,
    pub created_at: DateTimeUtc,
    pub read_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
