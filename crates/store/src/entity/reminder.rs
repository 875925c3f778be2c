use sea_orm::entity::prelude::*;
use serde::Serialize;

/// A reminder sent to a unit about one period of one obligation (`due_soon` or `missed`);
/// unique per unit, campaign, obligation, period and kind, so it is never sent twice.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "reminders")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    pub organisation_id: String,
    pub campaign_code: String,
    pub obligation_code: String,
    pub period_label: String,
    pub kind: String,
    pub due_on: Date,
    /// The in-app notice that carried it.
    pub notification_id: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
