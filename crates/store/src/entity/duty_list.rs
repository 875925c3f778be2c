use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "duty_lists")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    pub organisation_id: String,
    pub tier: String,
    pub title: String,
    pub version: i32,
    pub state: String,
    pub template_id: Option<String>,
    pub text_hash: Option<String>,
    /// SHA-256 of the items alone (no title): finds a list copied from another enterprise.
    pub content_hash: Option<String>,
    pub published_at: Option<DateTimeUtc>,
    pub superseded_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
