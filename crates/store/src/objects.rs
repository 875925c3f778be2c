//! The object store (docs/adr/0008-photos-in-an-object-store.md): where photo originals live,
//! a folder by default (`<data_dir>/objects`), through opendal so an S3-compatible store can
//! take its place later behind a feature. Keys are content addresses
//! (`photos/ab/cd/<sha256>`): identical content is stored once, and a file written for a
//! transaction that then rolled back is a harmless orphan, never a wrong answer. The database
//! row is the commit point: an object is only reachable through a committed row.
//!
//! Writes go to a temporary file first and are renamed into place after `fsync`, so a key
//! never names a half-written file.

use opendal::{ErrorKind, Operator, services::Fs};
use std::path::Path;

/// An error of the object store (the folder is missing, full, unreadable…).
#[derive(Debug, thiserror::Error)]
#[error("object store: {0}")]
pub struct ObjectError(#[from] opendal::Error);

/// The object store. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Objects {
    op: Operator,
}

impl Objects {
    /// A store in a folder, created when missing; temporary files go to `<root>/.partial`.
    pub fn folder(root: &Path) -> Result<Objects, ObjectError> {
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let partial = root.join(".partial");
        let builder = Fs::default().root(&root.to_string_lossy()).atomic_write_dir(&partial.to_string_lossy());
        Ok(Objects { op: Operator::new(builder)? })
    }

    /// Stores `bytes` under `key` unless the key already holds them (content addressing makes
    /// an existing key the same content).
    pub async fn put_once(&self, key: &str, bytes: Vec<u8>) -> Result<(), ObjectError> {
        if self.exists(key).await? {
            return Ok(());
        }
        self.op.write(key, bytes).await?;
        Ok(())
    }

    /// The bytes under `key`, or `None` when there are none.
    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, ObjectError> {
        match self.op.read(key).await {
            Ok(b) => Ok(Some(b.to_vec())),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn exists(&self, key: &str) -> Result<bool, ObjectError> {
        Ok(self.op.exists(key).await?)
    }
}

/// The key of a photo original: `photos/<first two hex>/<next two>/<sha256>`, so no folder
/// holds more than a few thousand files even with millions of photos.
pub fn photo_key(sha256_hex: &str) -> String {
    content_key("photos", sha256_hex)
}

/// The key of an attachment (activity records), laid out as photos are.
pub fn attachment_key(sha256_hex: &str) -> String {
    content_key("attachments", sha256_hex)
}

fn content_key(folder: &str, sha256_hex: &str) -> String {
    let h = sha256_hex.to_ascii_lowercase();
    match (h.get(0..2), h.get(2..4)) {
        (Some(a), Some(b)) => format!("{folder}/{a}/{b}/{h}"),
        _ => format!("{folder}/{h}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fan_out_by_the_hash() {
        let h = "ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789";
        assert_eq!(photo_key(h), format!("photos/ab/cd/{}", h.to_ascii_lowercase()));
    }

    #[tokio::test]
    async fn identical_content_is_stored_once() {
        let dir = std::env::temp_dir().join(format!("anze-objects-{}", uuid::Uuid::now_v7().simple()));
        let o = Objects::folder(&dir).unwrap();
        let key = photo_key("00aa11bb");
        assert_eq!(o.get(&key).await.unwrap(), None);
        o.put_once(&key, b"one".to_vec()).await.unwrap();
        o.put_once(&key, b"one".to_vec()).await.unwrap();
        assert_eq!(o.get(&key).await.unwrap().as_deref(), Some(&b"one"[..]));
        assert!(dir.join("photos/00/aa/00aa11bb").is_file());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
