//! Identifiers: UUIDv7 made by the application, so ids sort by creation time and the
//! database never has to generate them.

use uuid::Uuid;

/// The tenant every row belongs to when a deployment has only one.
pub const DEFAULT_TENANT: Uuid = Uuid::from_u128(0x0000_0000_0000_7000_8000_0000_0000_0001);

pub fn new_id() -> Uuid {
    Uuid::now_v7()
}
