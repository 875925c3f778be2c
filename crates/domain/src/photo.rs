//! Photo rules that need no I/O beyond what `fulfilment` already has. The byte-size limit and
//! the content check by magic bytes (`fulfilment::check_photo`) are the one place for those;
//! this module adds the pixel limit, checked on the dimensions the decoder reports before it
//! allocates the image, so a small file that claims 20 000 × 20 000 pixels (a decompression
//! bomb) is refused before it costs memory.

use crate::FieldError;

/// The most pixels a photo may have: above any phone camera's ordinary output (a 108 MP
/// sensor writes 12 000 × 9 000), far below what would exhaust memory when decoded.
pub const MAX_PIXELS: u64 = 120_000_000;
/// The longest side a photo may have, in pixels.
pub const MAX_SIDE: u32 = 16_384;

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
}
