use sea_orm::entity::prelude::*;
use serde::Serialize;

/// A photo of a patrol or a publicity event (`owner_kind`: `patrol` or `publicity`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "grid_photos")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub owner_kind: String,
    pub owner_id: String,
    pub photo_id: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
