//! Evidence: photos (docs/adr/0008-photos-in-an-object-store.md). Fulfilment records, hazards,
//! inspections and patrols share this one path:
//!
//! 1. cheap checks on every photo first: size, content by magic bytes, and the pixel count read
//!    from the image header, so a small file that claims 20 000 × 20 000 pixels is refused
//!    before anything is decoded or allocated;
//! 2. then, off the async threads and a few at a time: the SHA-256 of the original, its EXIF
//!    capture time and place, and a JPEG thumbnail (longest side 320 px, turned upright as the
//!    EXIF orientation says);
//! 3. on insert, the original goes to the object store under its SHA-256 *before* the row is
//!    written, so the row (committed with the record it proves, or not at all) is the commit
//!    point; the original itself is never changed.

use crate::{Actor, Ctx, ServiceError, ServiceResult};
use anze_domain::FieldError;
use anze_domain::evidence::photo::{
    ImageKind, MAX_PIXELS, MAX_SIDE, THUMB_SIDE, capture_time, check_dimensions, check_photo, decimal_degrees, png_size,
};
use anze_store::entity::photo;
use anze_store::objects::photo_key;
use base64::Engine;
use chrono::{DateTime, Utc};
use image::{ImageFormat, ImageReader, Limits};
use sea_orm::{ConnectionTrait, Set};
use sha2::{Digest, Sha256};
use std::io::Cursor;
use std::sync::LazyLock;
use tokio::sync::Semaphore;
use uuid::Uuid;

/// Decodes a photo sent as base64 (the API); a `data:image/…;base64,` prefix is allowed.
pub fn decode_photo(text: &str) -> Result<Vec<u8>, FieldError> {
    let t = text.trim();
    let t = t.split_once(";base64,").map_or(t, |(_, b)| b);
    base64::engine::general_purpose::STANDARD.decode(t).map_err(|_| FieldError::new("photo", "evidence.photo.not_base64"))
}

/// A photo whose bytes passed the checks, with what was read from it: ready to store.
#[derive(Debug, Clone)]
pub struct CheckedPhoto {
    pub kind: ImageKind,
    pub bytes: Vec<u8>,
    pub sha256: String,
    pub width: u32,
    pub height: u32,
    pub meta: Exif,
    /// A JPEG, longest side at most `THUMB_SIDE`.
    pub thumbnail: Vec<u8>,
}

/// What the camera wrote, when it did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Exif {
    pub taken_at: Option<DateTime<Utc>>,
    pub gps: Option<(f64, f64)>,
    /// EXIF orientation (1–8); 1 when absent.
    pub orientation: u8,
}

/// Decoding and thumbnailing run on blocking threads, at most this many at once, so a burst of
/// uploads cannot take every core or hold many decoded images in memory together.
static DECODERS: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2)));

/// Checks every photo (empty ones are skipped), so the caller can report all problems before
/// writing anything; then hashes each, reads its EXIF and makes its thumbnail.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn check_all(photos: Vec<Vec<u8>>) -> Result<Vec<CheckedPhoto>, FieldError> {
    let mut headers = vec![];
    for bytes in photos.into_iter().filter(|b| !b.is_empty()) {
        let kind = check_photo(&bytes)?;
        let (width, height) = dimensions(kind, &bytes)?;
        headers.push((kind, bytes, width, height));
    }
    let mut out = Vec::with_capacity(headers.len());
    for (kind, bytes, width, height) in headers {
        let _permit = DECODERS.acquire().await.map_err(|_| not_image())?;
        let p = tokio::task::spawn_blocking(move || process(kind, bytes, width, height)).await.map_err(|_| not_image())??;
        out.push(p);
    }
    Ok(out)
}

fn not_image() -> FieldError {
    FieldError::new("photo", "evidence.photo.not_image")
}

fn format_of(kind: ImageKind) -> ImageFormat {
    match kind {
        ImageKind::Jpeg => ImageFormat::Jpeg,
        ImageKind::Png => ImageFormat::Png,
        ImageKind::WebP => ImageFormat::WebP,
    }
}

/// Width and height from the image header alone (nothing decoded), checked against the limits.
/// A PNG's come straight from its header chunk; JPEG and WebP headers are parsed by the decoder
/// without limits, since only the header is read.
pub fn dimensions(kind: ImageKind, bytes: &[u8]) -> Result<(u32, u32), FieldError> {
    let (w, h) = match kind {
        ImageKind::Png => png_size(bytes).ok_or_else(not_image)?,
        _ => {
            let mut reader = ImageReader::with_format(Cursor::new(bytes), format_of(kind));
            reader.no_limits();
            reader.into_dimensions().map_err(|_| not_image())?
        }
    };
    check_dimensions(w, h)?;
    Ok((w, h))
}

/// Hash, EXIF and thumbnail of a photo whose header passed (blocking: decodes the image).
fn process(kind: ImageKind, bytes: Vec<u8>, width: u32, height: u32) -> Result<CheckedPhoto, FieldError> {
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let meta = read_exif(&bytes);
    let mut reader = ImageReader::with_format(Cursor::new(&bytes[..]), format_of(kind));
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    // Four bytes a pixel (RGBA), the widest a JPEG, PNG (8-bit) or WebP decodes to, and some room.
    limits.max_alloc = Some(MAX_PIXELS * 4 + (64 << 20));
    reader.limits(limits);
    let image = reader.decode().map_err(|_| not_image())?;
    if (image.width(), image.height()) != (width, height) {
        return Err(not_image());
    }
    let mut thumb = image.thumbnail(THUMB_SIDE, THUMB_SIDE);
    drop(image);
    if let Some(o) = image::metadata::Orientation::from_exif(meta.orientation) {
        thumb.apply_orientation(o);
    }
    let mut thumbnail = vec![];
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut thumbnail, 80).encode_image(&thumb.to_rgb8()).map_err(|_| not_image())?;
    Ok(CheckedPhoto { kind, bytes, sha256, width, height, meta, thumbnail })
}

/// The capture time, place and orientation, when the file carries EXIF (JPEG, PNG or WebP);
/// anything missing or malformed is simply absent.
pub fn read_exif(bytes: &[u8]) -> Exif {
    use exif::{In, Tag, Value};
    // Cameras and editors write quirky EXIF; keep whatever fields could be read.
    let e = match exif::Reader::new().continue_on_error(true).read_from_container(&mut Cursor::new(bytes)) {
        Ok(e) => e,
        Err(exif::Error::PartialResult(p)) => p.into_inner().0,
        Err(_) => return Exif { orientation: 1, ..Default::default() },
    };
    let ascii = |tag| match e.get_field(tag, In::PRIMARY).map(|f| &f.value) {
        Some(Value::Ascii(v)) => v.first().map(|s| String::from_utf8_lossy(s).into_owned()),
        _ => None,
    };
    let dms = |tag| match e.get_field(tag, In::PRIMARY).map(|f| &f.value) {
        Some(Value::Rational(v)) if v.len() == 3 => Some([v[0].to_f64(), v[1].to_f64(), v[2].to_f64()]),
        _ => None,
    };
    let offset = ascii(Tag::OffsetTimeOriginal).and_then(|o| parse_offset(&o));
    let taken_at = ascii(Tag::DateTimeOriginal).and_then(|t| capture_time(&t, offset));
    let lat = dms(Tag::GPSLatitude).zip(ascii(Tag::GPSLatitudeRef)).and_then(|(d, r)| decimal_degrees(d, &r));
    let lon = dms(Tag::GPSLongitude).zip(ascii(Tag::GPSLongitudeRef)).and_then(|(d, r)| decimal_degrees(d, &r));
    let orientation = e
        .get_field(Tag::Orientation, In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        .and_then(|v| u8::try_from(v).ok())
        .filter(|v| (1..=8).contains(v))
        .unwrap_or(1);
    Exif { taken_at, gps: lat.zip(lon), orientation }
}

/// `+08:00` / `-05:00` as minutes east of UTC.
fn parse_offset(s: &str) -> Option<i32> {
    let s = s.trim().trim_end_matches('\0');
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 14 && m < 60).then_some(sign * (h * 60 + m))
}

/// Stores a checked photo for an organisation inside the caller's transaction; its id. The
/// original is written to the object store first (once per content), then the row.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, organisation_id = %organisation_id))]
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    actor: &Actor,
    organisation_id: &str,
    p: CheckedPhoto,
    now: DateTime<Utc>,
) -> ServiceResult<String> {
    let id = anze_domain::ids::new_id().to_string();
    let key = photo_key(&p.sha256);
    let size = p.bytes.len() as i64;
    ctx.objects.put_once(&key, p.bytes).await.map_err(|e| ServiceError::Internal(e.to_string()))?;
    let row = photo::ActiveModel {
        id: Set(id.clone()),
        tenant_id: Set(ctx.tenant.clone()),
        organisation_id: Set(organisation_id.to_string()),
        content_type: Set(p.kind.content_type().into()),
        byte_size: Set(size),
        sha256: Set(p.sha256),
        bytes: Set(vec![]),
        created_by: Set(actor.name.clone()),
        created_at: Set(now),
        storage: Set("objects".into()),
        object_key: Set(Some(key)),
        width: Set(i32::try_from(p.width).ok()),
        height: Set(i32::try_from(p.height).ok()),
        taken_at: Set(p.meta.taken_at),
        gps_lat: Set(p.meta.gps.map(|g| g.0)),
        gps_lon: Set(p.meta.gps.map(|g| g.1)),
        thumbnail: Set(Some(p.thumbnail)),
    };
    anze_store::repo::evidence::insert_photo(db, row).await?;
    Ok(id)
}

/// The organisation a photo belongs to, once the actor may see it (404 otherwise).
async fn in_scope(ctx: &Ctx, actor: &Actor, photo_id: Uuid) -> ServiceResult<()> {
    let owner =
        anze_store::repo::evidence::photo_owner(&ctx.db.read, &ctx.tenant, &photo_id.to_string()).await?.ok_or(ServiceError::NotFound)?;
    crate::scope::organisation(ctx, actor, Uuid::parse_str(&owner).map_err(|_| ServiceError::NotFound)?).await?;
    Ok(())
}

/// A photo's original, unchanged, with its content type, to the users who can see its
/// organisation: from the object store or, for rows from before ADR 0008, the database.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, photo_id = %photo_id))]
pub async fn original(ctx: &Ctx, actor: &Actor, photo_id: Uuid) -> ServiceResult<(String, Vec<u8>)> {
    in_scope(ctx, actor, photo_id).await?;
    let p = anze_store::repo::evidence::photo(&ctx.db.read, &ctx.tenant, &photo_id.to_string()).await?.ok_or(ServiceError::NotFound)?;
    let bytes = match (p.storage.as_str(), &p.object_key) {
        ("objects", Some(key)) => ctx
            .objects
            .get(key)
            .await
            .map_err(|e| ServiceError::Internal(e.to_string()))?
            .ok_or_else(|| ServiceError::Internal(format!("photo {photo_id}: object {key} is missing")))?,
        _ => p.bytes,
    };
    Ok((p.content_type, bytes))
}

/// A photo's thumbnail (a JPEG), in the same scope as the original; rows from before ADR 0008
/// have none and serve their original (at most 10 MB, shown scaled by the browser).
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, photo_id = %photo_id))]
pub async fn thumbnail(ctx: &Ctx, actor: &Actor, photo_id: Uuid) -> ServiceResult<(String, Vec<u8>)> {
    in_scope(ctx, actor, photo_id).await?;
    match anze_store::repo::evidence::photo_thumbnail(&ctx.db.read, &ctx.tenant, &photo_id.to_string()).await? {
        None => Err(ServiceError::NotFound),
        Some(Some(t)) => Ok(("image/jpeg".into(), t)),
        Some(None) => original(ctx, actor, photo_id).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_decode_from_plain_base64_or_a_data_url() {
        assert_eq!(decode_photo("AQID").unwrap(), vec![1, 2, 3]);
        assert_eq!(decode_photo("data:image/png;base64,AQID").unwrap(), vec![1, 2, 3]);
        assert_eq!(decode_photo("not base64!").unwrap_err().code, "evidence.photo.not_base64");
    }

    #[test]
    fn offsets_are_minutes_east() {
        assert_eq!(parse_offset("+08:00"), Some(480));
        assert_eq!(parse_offset("-05:30\0"), Some(-330));
        assert_eq!(parse_offset("08:00"), None);
        assert_eq!(parse_offset("+99:00"), None);
    }

    /// A PNG header that claims 20 000 × 20 000 pixels in 33 bytes is refused from the header.
    #[test]
    fn a_pixel_bomb_is_refused_from_its_header() {
        let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
        png.extend_from_slice(b"IHDR");
        png.extend_from_slice(&20_000u32.to_be_bytes());
        png.extend_from_slice(&20_000u32.to_be_bytes());
        png.extend_from_slice(&[8, 2, 0, 0, 0]);
        let crc = crc32(&png[12..]);
        png.extend_from_slice(&crc.to_be_bytes());
        let e = dimensions(ImageKind::Png, &png).unwrap_err();
        assert_eq!((e.field, e.code), ("photo", "evidence.photo.too_many_pixels"));
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for b in data {
            c ^= u32::from(*b);
            for _ in 0..8 {
                c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            }
        }
        !c
    }

    #[tokio::test]
    async fn a_small_png_gets_a_thumbnail_and_no_exif() {
        let img = image::RgbImage::from_fn(640, 200, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        let mut png = vec![];
        image::DynamicImage::ImageRgb8(img).write_to(&mut Cursor::new(&mut png), ImageFormat::Png).unwrap();
        let p = check_all(vec![png.clone(), vec![]]).await.unwrap();
        assert_eq!(p.len(), 1, "empty uploads are skipped");
        assert_eq!((p[0].width, p[0].height), (640, 200));
        assert_eq!(p[0].meta, Exif { orientation: 1, ..Default::default() });
        let t = image::load_from_memory_with_format(&p[0].thumbnail, ImageFormat::Jpeg).unwrap();
        assert_eq!((t.width(), t.height()), (320, 100));
        assert_eq!(p[0].bytes, png, "the original is kept as it came");
        let mut broken = png.clone();
        broken.truncate(60);
        assert_eq!(check_all(vec![broken]).await.unwrap_err().code, "evidence.photo.not_image");
    }
}
