use sea_orm::entity::prelude::*;

/// A photo attached to a record; the bytes are read only when the photo is served. `storage`
/// says where the original is: `db` (in `bytes`, rows from before ADR 0008) or `objects` (in
/// the object store under `object_key`; `bytes` is empty).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "photos")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub tenant_id: String,
    pub organisation_id: String,
    pub content_type: String,
    pub byte_size: i64,
    pub sha256: String,
    #[sea_orm(column_type = "Blob")]
    pub bytes: Vec<u8>,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub storage: String,
    pub object_key: Option<String>,
    /// As stored in the file (before any EXIF rotation).
    pub width: Option<i32>,
    pub height: Option<i32>,
    /// EXIF DateTimeOriginal, in UTC (its offset when the camera wrote one, else Beijing time).
    pub taken_at: Option<DateTimeUtc>,
    /// EXIF GPS position in decimal degrees (south and west negative).
    #[sea_orm(column_type = "Double", nullable)]
    pub gps_lat: Option<f64>,
    #[sea_orm(column_type = "Double", nullable)]
    pub gps_lon: Option<f64>,
    /// A JPEG at most 320 px on its longest side; absent for rows from before ADR 0008.
    #[sea_orm(column_type = "Blob", nullable)]
    pub thumbnail: Option<Vec<u8>>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
