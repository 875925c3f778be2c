use sea_orm::entity::prelude::*;
use serde::Serialize;

/// A photo of a hazard: `before` (as found) or `after` (the fix), with the event it came with.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "hazard_photos")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub hazard_id: String,
    pub event_id: Option<String>,
    pub phase: String,
    pub photo_id: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
