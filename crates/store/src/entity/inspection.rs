use sea_orm::entity::prelude::*;
use serde::Serialize;

/// One inspection (检查) of one or more targets.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "inspections")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    pub kind: String,
    pub state: String,
    pub theme: String,
    pub lead_unit_id: Option<String>,
    pub lead_name: String,
    /// The inspectors' names, one per line.
    pub inspectors: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub plan_text: String,
    pub checklist_code: Option<String>,
    pub draw_id: Option<String>,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub completed_at: Option<DateTimeUtc>,
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
