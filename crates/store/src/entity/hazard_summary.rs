use sea_orm::entity::prelude::*;
use serde::Serialize;

/// A unit's hazard figures as last computed (the overview by township and by industry sums
/// these rows). Every hazard write recomputes its unit's row in the same transaction; the
/// daily job brings `overdue` to the day for every unit.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "hazard_summaries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: String,
    pub tenant_id: String,
    /// The organisation's kind, place and industry, copied so that the caller's scope reads
    /// this table alone.
    pub kind: String,
    pub region_path: String,
    pub township_code: Option<String>,
    pub industry_code: Option<String>,
    pub total: i64,
    pub open: i64,
    /// Open hazards past their deadline on `overdue_on`.
    pub overdue: i64,
    pub major: i64,
    pub closed: i64,
    pub days_to_close: i64,
    pub overdue_on: Date,
    pub computed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
