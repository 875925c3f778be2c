use sea_orm::entity::prelude::*;
use serde::Serialize;

/// One checklist item's result at one target, with the hazard a failed item became.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "inspection_results")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub inspection_id: String,
    pub target_id: String,
    pub position: i32,
    pub item_text: String,
    pub result: String,
    pub note: String,
    pub hazard_id: Option<String>,
    pub recorded_by: String,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
