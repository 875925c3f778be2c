//! Photos as evidence: the byte-size limit, the content check by magic bytes, and the pixel
//! limit, checked on the dimensions the decoder reports before it allocates the image, so a
//! small file that claims 20 000 × 20 000 pixels (a decompression bomb) is refused before it
//! costs memory. It also reads what a camera wrote: the capture time (EXIF DateTimeOriginal,
//! local time unless an offset says otherwise) and the place (GPS degrees, minutes and seconds
//! with their hemisphere) as decimal degrees.

use crate::FieldError;
use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};

/// Largest photo accepted, in bytes.
pub const MAX_PHOTO_BYTES: usize = 10 * 1024 * 1024;

/// The most pixels a photo may have: above any phone camera's ordinary output (a 108 MP
/// sensor writes 12 000 × 9 000), far below what would exhaust memory when decoded.
pub const MAX_PIXELS: u64 = 120_000_000;
/// The longest side a photo may have, in pixels.
pub const MAX_SIDE: u32 = 16_384;

/// The longest side of a thumbnail, in pixels.
pub const THUMB_SIDE: u32 = 320;

/// A capture time as EXIF writes it (`2024:03:01 09:30:15`), with the offset the camera
/// recorded (`+08:00`, EXIF OffsetTimeOriginal) or else Beijing time, the city's own: in UTC.
pub fn capture_time(exif: &str, offset_minutes: Option<i32>) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(exif.trim().trim_end_matches('\0'), "%Y:%m:%d %H:%M:%S").ok()?;
    let offset = match offset_minutes {
        Some(m) => FixedOffset::east_opt(m.checked_mul(60)?)?,
        None => crate::time::shanghai(),
    };
    Some(naive.and_local_timezone(offset).single()?.with_timezone(&Utc))
}

/// Degrees, minutes and seconds in a hemisphere (`N`, `S`, `E`, `W`) as signed decimal
/// degrees; `None` for values no place on Earth has.
pub fn decimal_degrees(dms: [f64; 3], hemisphere: &str) -> Option<f64> {
    let [d, m, s] = dms;
    if !(d.is_finite() && d >= 0.0 && (0.0..60.0).contains(&m) && (0.0..60.0).contains(&s)) {
        return None;
    }
    let v = d + m / 60.0 + s / 3600.0;
    let (sign, max) = match hemisphere.trim().trim_end_matches('\0') {
        "N" => (1.0, 90.0),
        "S" => (-1.0, 90.0),
        "E" => (1.0, 180.0),
        "W" => (-1.0, 180.0),
        _ => return None,
    };
    (v <= max).then_some(sign * v)
}

/// Checks a photo's dimensions: neither side zero or above `MAX_SIDE`, and no more than
/// `MAX_PIXELS` in all.
pub fn check_dimensions(width: u32, height: u32) -> Result<(), FieldError> {
    if width == 0 || height == 0 {
        return Err(FieldError::new("photo", "evidence.photo.not_image"));
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(FieldError::new("photo", "evidence.photo.too_many_pixels").with_detail(format!("{width} × {height}")));
    }
    Ok(())
}

/// The kinds of image a photo may be, recognised by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Jpeg,
    Png,
    WebP,
}

impl ImageKind {
    /// Recognises JPEG, PNG (with its header chunk) and WebP by their magic bytes.
    pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
        if bytes.len() >= 4 && bytes[..3] == [0xFF, 0xD8, 0xFF] {
            Some(ImageKind::Jpeg)
        } else if bytes.len() >= 24 && bytes[..8] == [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A] && &bytes[12..16] == b"IHDR" {
            Some(ImageKind::Png)
        } else if bytes.len() >= 16 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" && &bytes[12..15] == b"VP8" {
            Some(ImageKind::WebP)
        } else {
            None
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Png => "image/png",
            ImageKind::WebP => "image/webp",
        }
    }
}

/// Width and height of a PNG, from its header chunk.
pub fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if ImageKind::sniff(bytes) != Some(ImageKind::Png) {
        return None;
    }
    let w = u32::from_be_bytes(bytes[16..20].try_into().ok()?);
    let h = u32::from_be_bytes(bytes[20..24].try_into().ok()?);
    (w > 0 && h > 0).then_some((w, h))
}

/// Checks an uploaded photo: a real JPEG, PNG or WebP, no larger than the limit.
pub fn check_photo(bytes: &[u8]) -> Result<ImageKind, FieldError> {
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(FieldError::new("photo", "evidence.photo.too_large").with_detail(format!("{} MB", MAX_PHOTO_BYTES / 1024 / 1024)));
    }
    ImageKind::sniff(bytes).ok_or_else(|| FieldError::new("photo", "evidence.photo.not_image"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pixel_limits() {
        assert_eq!(check_dimensions(4032, 3024), Ok(()), "an ordinary phone photo");
        assert_eq!(check_dimensions(12_000, 9_000), Ok(()));
        assert_eq!(check_dimensions(20_000, 20_000).unwrap_err().code, "evidence.photo.too_many_pixels");
        assert_eq!(check_dimensions(16_385, 10).unwrap_err().code, "evidence.photo.too_many_pixels", "one side too long");
        assert_eq!(check_dimensions(16_384, 16_384).unwrap_err().code, "evidence.photo.too_many_pixels", "too many in all");
        assert_eq!(check_dimensions(0, 10).unwrap_err().code, "evidence.photo.not_image");
    }

    #[test]
    fn capture_time_is_beijing_time_unless_the_camera_says_otherwise() {
        assert_eq!(capture_time("2024:03:01 09:30:15", None).unwrap().to_rfc3339(), "2024-03-01T01:30:15+00:00");
        assert_eq!(capture_time("2024:03:01 09:30:15", Some(0)).unwrap().to_rfc3339(), "2024-03-01T09:30:15+00:00");
        assert_eq!(capture_time("2024:03:01 09:30:15\0", Some(-300)).unwrap().to_rfc3339(), "2024-03-01T14:30:15+00:00");
        assert_eq!(capture_time("0000:00:00 00:00:00", None), None, "cameras write zeros when unset");
        assert_eq!(capture_time("yesterday", None), None);
    }

    #[test]
    fn gps_positions_become_signed_decimal_degrees() {
        let lat = decimal_degrees([36.0, 10.0, 30.0], "N").unwrap();
        assert!((lat - 36.175).abs() < 1e-9, "{lat}");
        let lon = decimal_degrees([116.0, 45.0, 36.0], "E").unwrap();
        assert!((lon - 116.76).abs() < 1e-9, "{lon}");
        assert!(decimal_degrees([33.0, 52.0, 0.0], "S").unwrap() < 0.0);
        assert!(decimal_degrees([70.0, 0.0, 0.0], "W").unwrap() < 0.0);
        assert_eq!(decimal_degrees([91.0, 0.0, 0.0], "N"), None, "beyond the pole");
        assert_eq!(decimal_degrees([10.0, 61.0, 0.0], "N"), None);
        assert_eq!(decimal_degrees([10.0, 0.0, 0.0], "X"), None);
        assert_eq!(decimal_degrees([f64::NAN, 0.0, 0.0], "N"), None);
    }

    #[test]
    fn photos_are_recognised_by_their_magic_bytes() {
        let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
        png.extend_from_slice(b"IHDR");
        png.extend_from_slice(&[0, 0, 0, 3, 0, 0, 0, 2, 8, 2, 0, 0, 0]);
        assert_eq!(check_photo(&png), Ok(ImageKind::Png));
        assert_eq!(png_size(&png), Some((3, 2)));
        assert_eq!(check_photo(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 16]), Ok(ImageKind::Jpeg));
        assert_eq!(check_photo(b"RIFF\x10\0\0\0WEBPVP8 \0\0\0\0"), Ok(ImageKind::WebP));
        assert_eq!(check_photo(b"%PDF-1.7 not a photo").unwrap_err().code, "evidence.photo.not_image");
        assert_eq!(check_photo(b"GIF89a......").unwrap_err().code, "evidence.photo.not_image");
        let mut big = png.clone();
        big.resize(MAX_PHOTO_BYTES + 1, 0);
        assert_eq!(check_photo(&big).unwrap_err().code, "evidence.photo.too_large");
        assert_eq!(png_size(b"\xFF\xD8\xFF\xE0"), None);
    }
}
