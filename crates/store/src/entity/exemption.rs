use sea_orm::entity::prelude::*;
use serde::Serialize;

/// A documented exemption of one unit from one obligation in one period: shown beside the
/// computed status, never instead of it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "exemptions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    pub campaign_id: String,
    pub obligation_code: String,
    pub organisation_id: String,
    pub period_label: String,
    pub reason: String,
    pub granted_by: String,
    pub granted_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
