use sea_orm::entity::prelude::*;
use serde::Serialize;

/// An officer's decision that one fit flag does not apply, with the reason.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "fit_dismissals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    pub organisation_id: String,
    pub code: String,
    /// Identifies the flag: its list ids (and tiers) joined.
    pub flag_key: String,
    pub reason: String,
    pub dismissed_by: String,
    pub dismissed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
