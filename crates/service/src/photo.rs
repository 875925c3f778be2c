//! Photos as evidence (ADR 0005): checked by their magic bytes and size, hashed, and stored
//! in the same transaction as the record they prove. Fulfilment records and hazards share
//! this one path.

use crate::{Actor, Ctx, ServiceResult};
use anze_domain::FieldError;
use anze_domain::fulfilment::{ImageKind, check_photo};
use anze_store::entity::photo;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, Set};
use sha2::{Digest, Sha256};

/// A photo whose bytes passed the checks, ready to store.
#[derive(Debug, Clone)]
pub struct CheckedPhoto {
    kind: ImageKind,
    bytes: Vec<u8>,
}

/// Checks every photo, so the caller can report all problems before writing anything.
pub fn check_all(photos: Vec<Vec<u8>>) -> Result<Vec<CheckedPhoto>, FieldError> {
    photos.into_iter().filter(|b| !b.is_empty()).map(|bytes| check_photo(&bytes).map(|kind| CheckedPhoto { kind, bytes })).collect()
}

/// Stores a checked photo for an organisation inside the caller's transaction; its id.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    actor: &Actor,
    organisation_id: &str,
    p: CheckedPhoto,
    now: DateTime<Utc>,
) -> ServiceResult<String> {
    let id = anze_domain::ids::new_id().to_string();
    let row = photo::ActiveModel {
        id: Set(id.clone()),
        tenant_id: Set(ctx.tenant.clone()),
        organisation_id: Set(organisation_id.to_string()),
        content_type: Set(p.kind.content_type().into()),
        byte_size: Set(p.bytes.len() as i64),
        sha256: Set(hex::encode(Sha256::digest(&p.bytes))),
        bytes: Set(p.bytes),
        created_by: Set(actor.name.clone()),
        created_at: Set(now),
    };
    anze_store::repo::fulfilment::insert_photo(db, row).await?;
    Ok(id)
}
