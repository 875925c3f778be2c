use sea_orm::entity::prelude::*;
use serde::Serialize;

/// The enterprise base record (the "1" of the 1+N ledger), one-to-one with its organisation.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "enterprises")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: String,
    pub tenant_id: String,
    pub credit_code: String,
    pub industry_code: String,
    pub high_risk_group: Option<String>,
    pub grid_code: Option<String>,
    pub legal_representative: String,
    pub principal_name: String,
    pub principal_phone: Option<String>,
    pub safety_director_name: Option<String>,
    pub headcount: i32,
    pub risk_level: String,
    pub supervision_class: String,
    pub major_hazard_source: bool,
    /// Comma-separated `HazardousWorkKind` codes.
    pub hazardous_work_kinds: String,
    pub liability_insurance: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::organisation::Entity", from = "Column::OrganisationId", to = "super::organisation::Column::Id")]
    Organisation,
}

impl Related<super::organisation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organisation.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
