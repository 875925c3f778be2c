//! Photo rules that need no I/O beyond what `fulfilment` already has. The byte-size limit and
//! the content check by magic bytes (`fulfilment::check_photo`) are the one place for those;
//! this module adds the pixel limit, checked on the dimensions the decoder reports before it
//! allocates the image, so a small file that claims 20 000 × 20 000 pixels (a decompression
//! bomb) is refused before it costs memory. It also reads what a camera wrote: the capture
//! time (EXIF DateTimeOriginal, local time unless an offset says otherwise) and the place (GPS
//! degrees, minutes and seconds with their hemisphere) as decimal degrees.

use crate::FieldError;
use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};

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
        return Err(FieldError::new("photo", "fulfilment.photo.not_image"));
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(FieldError::new("photo", "photo.pixels.too_many").with_detail(format!("{width} × {height}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pixel_limits() {
        assert_eq!(check_dimensions(4032, 3024), Ok(()), "an ordinary phone photo");
        assert_eq!(check_dimensions(12_000, 9_000), Ok(()));
        assert_eq!(check_dimensions(20_000, 20_000).unwrap_err().code, "photo.pixels.too_many");
        assert_eq!(check_dimensions(16_385, 10).unwrap_err().code, "photo.pixels.too_many", "one side too long");
        assert_eq!(check_dimensions(16_384, 16_384).unwrap_err().code, "photo.pixels.too_many", "too many in all");
        assert_eq!(check_dimensions(0, 10).unwrap_err().code, "fulfilment.photo.not_image");
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
}
