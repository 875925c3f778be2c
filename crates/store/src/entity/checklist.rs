use sea_orm::entity::prelude::*;
use serde::Serialize;

/// A checklist imported by a tenant (the shipped ones live in the binary).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "checklists")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    pub code: String,
    pub name: String,
    pub basis: String,
    /// The grade of a failure when an item names none.
    pub grade: String,
    pub industry_code: Option<String>,
    pub inspection_kind: Option<String>,
    /// JSON: `[{"text": …, "category": …, "grade": …}]`.
    pub items: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
