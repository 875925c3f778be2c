use sea_orm::entity::prelude::*;
use serde::Serialize;

/// An organisation's coverage figures as last computed (the rollups sum these rows).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "coverage_summaries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: String,
    pub tenant_id: String,
    /// The organisation's kind, place and industry, copied at each refresh so that rollups
    /// and the caller's scope read this table alone.
    pub kind: String,
    pub region_path: String,
    pub township_code: Option<String>,
    pub industry_code: Option<String>,
    pub people: i32,
    pub covered: i32,
    pub stale: i32,
    pub missing_lists: i32,
    /// The base record is complete (`anze_domain::ledger::base_record`); enterprises only.
    pub base_complete: bool,
    /// 分级分类监管 class (A–D) of an enterprise.
    pub supervision_class: Option<String>,
    pub computed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
