use sea_orm::entity::prelude::*;
use serde::Serialize;

/// A publicity event (宣传) held by a grid worker.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "publicity_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    pub worker_id: String,
    pub worker_name: String,
    pub region_code: String,
    pub region_path: String,
    pub township_code: Option<String>,
    pub held_on: Date,
    pub place: String,
    pub kind: String,
    pub audience: i64,
    pub notes: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
