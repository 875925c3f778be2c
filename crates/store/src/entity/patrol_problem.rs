use sea_orm::entity::prelude::*;
use serde::Serialize;

/// A problem a patrol found, and the hazard it became.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "patrol_problems")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub patrol_id: String,
    pub position: i32,
    pub organisation_id: String,
    pub hazard_id: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
