use sea_orm::entity::prelude::*;
use serde::Serialize;

/// A grid worker's patrol (巡查): when, where, the enterprise visited, what was seen.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "patrols")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    /// The worker's user id (the figures group by it).
    pub worker_id: String,
    pub worker_name: String,
    /// The grid (or other region) patrolled, and its path and township.
    pub region_code: String,
    pub region_path: String,
    pub township_code: Option<String>,
    pub place: String,
    pub enterprise_id: Option<String>,
    /// A copy of the visited enterprise's industry (departments see patrols of their sector).
    pub industry_code: Option<String>,
    pub started_at: DateTimeUtc,
    pub ended_at: DateTimeUtc,
    /// The local day the patrol started.
    pub patrol_on: Date,
    pub notes: String,
    pub problem_count: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
