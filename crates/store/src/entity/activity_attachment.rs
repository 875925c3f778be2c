use sea_orm::entity::prelude::*;
use serde::Serialize;

/// A file attached to an activity record (minutes, sign-in sheet, plan, photo).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "activity_attachments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    pub activity_id: String,
    pub file_name: String,
    pub content_type: String,
    pub byte_size: i64,
    pub sha256: String,
    /// Where the bytes are in the object store (content-addressed).
    pub object_key: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
