use sea_orm::entity::prelude::*;
use serde::Serialize;

/// The governance plan (治理方案) of a major hazard, one per hazard, replaced when revised.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "governance_plans")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub hazard_id: String,
    pub aims: String,
    pub measures: String,
    pub funds_and_materials: String,
    pub people: String,
    pub deadline: Date,
    pub safety_and_emergency_measures: String,
    pub updated_by: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
