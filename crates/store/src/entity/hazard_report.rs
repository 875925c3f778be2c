use sea_orm::entity::prelude::*;
use serde::Serialize;

/// The employee's report behind a hazard (员工报告), with its reward (奖励) and payout.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "hazard_reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub hazard_id: String,
    /// The employee, when they identified themselves; `None` for an anonymous report.
    pub person_id: Option<String>,
    pub reporter_name: Option<String>,
    /// Shown once on the phone; the reporter (named or not) claims the reward with it.
    pub receipt_code: String,
    /// The client address, kept to review abuse.
    pub address: String,
    pub suspected_duplicate_of: Option<String>,
    pub reward_fen: Option<i64>,
    pub reward_granted_by: Option<String>,
    pub reward_granted_at: Option<DateTimeUtc>,
    pub paid_by: Option<String>,
    pub paid_at: Option<DateTimeUtc>,
    pub payout_note: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
