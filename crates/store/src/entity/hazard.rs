use sea_orm::entity::prelude::*;
use serde::Serialize;

/// One hazard (隐患) with its current state; `organisation_kind`, `region_path`,
/// `township_code` and `industry_code` copy its unit's so views filter this table alone.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "hazards")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    pub organisation_id: String,
    pub organisation_kind: String,
    pub region_path: String,
    pub township_code: Option<String>,
    pub industry_code: Option<String>,
    pub description: String,
    pub location: Option<String>,
    pub grade: String,
    pub category: String,
    pub origin: String,
    pub direction: String,
    pub state: String,
    pub responsible_person: Option<String>,
    pub found_on: Date,
    pub deadline: Option<Date>,
    pub measures: String,
    /// Rectification funds in fen (分), so sums are exact.
    pub funds_fen: Option<i64>,
    pub reported_by_id: Option<String>,
    pub reported_by_name: String,
    /// The user who submitted the current fix: they may not accept it themselves.
    pub fixed_by_id: Option<String>,
    pub supervisor_checked: bool,
    /// Under listed supervision (挂牌督办).
    pub listed: bool,
    pub merged_into: Option<String>,
    pub closed_on: Option<Date>,
    /// Days from finding to closure, kept at closure so the mean is a portable sum.
    pub days_to_close: Option<i64>,
    /// `none`, or `approved` for public exposure (公开曝光) by an official.
    pub exposure: String,
    pub exposed_at: Option<DateTimeUtc>,
    pub exposed_by: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
