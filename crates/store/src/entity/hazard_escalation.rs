use sea_orm::entity::prelude::*;
use serde::Serialize;

/// A rung of the escalation ladder already taken for a hazard (once per grade and step).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "hazard_escalations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub hazard_id: String,
    pub grade: String,
    pub step: i32,
    /// The audiences told, comma-separated (`township,supervising_department`).
    pub audiences: String,
    pub days_overdue: i32,
    pub taken_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
