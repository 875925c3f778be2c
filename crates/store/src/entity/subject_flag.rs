use sea_orm::entity::prelude::*;
use serde::Serialize;

/// A fact about a unit that campaign subjects filter on and the organisation record does not
/// carry: `comprehensive_enforcement`, `concentrated_risk`, `enforcement_powers`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "subject_flags")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    pub organisation_id: String,
    pub flag: String,
    pub set_by: String,
    pub set_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
