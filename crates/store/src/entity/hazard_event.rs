use sea_orm::entity::prelude::*;
use serde::Serialize;

/// One transition of a hazard: who, when, from and to which state, and why.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "hazard_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub hazard_id: String,
    pub action: String,
    pub from_state: String,
    pub to_state: String,
    pub note: String,
    pub actor_id: Option<String>,
    pub actor_name: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
