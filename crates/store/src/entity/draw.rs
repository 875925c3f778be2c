use sea_orm::entity::prelude::*;
use serde::Serialize;

/// A random draw (双随机) with everything needed to run it again.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "draws")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    /// The seed, as decimal text (a u64).
    pub seed: String,
    pub pool_size: i64,
    pub pool_hash: String,
    /// The filters the pool was taken with (JSON), for the record.
    pub pool_filter: String,
    /// The whole draw (`anze_domain::draw::StoredDraw`) as JSON.
    pub record: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
