use sea_orm::entity::prelude::*;
use serde::Serialize;

/// A message waiting to be delivered (or delivered) by e-mail or webhook; `dedupe_key` is
/// unique, so the same message is never queued twice, and a delivered row is never sent again.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    /// `email` or `webhook`.
    pub channel: String,
    /// An e-mail address or a URL.
    pub recipient: String,
    pub subject: String,
    /// Plain text for e-mail, JSON for a webhook.
    pub body: String,
    pub dedupe_key: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    /// A dispatcher holds the row until then.
    pub claimed_until: Option<DateTimeUtc>,
    pub delivered_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
