use sea_orm::entity::prelude::*;
use serde::Serialize;

/// A unit an inspection visits, with a copy of its kind, place and industry for scoping.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "inspection_targets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub inspection_id: String,
    pub organisation_id: String,
    pub organisation_kind: String,
    pub region_path: String,
    pub industry_code: Option<String>,
    pub inspector_signature: Option<String>,
    pub representative_signature: Option<String>,
    pub signed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
