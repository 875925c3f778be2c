//! Organisations and people: the parsed value types of the base record and the closed
//! vocabularies (kinds, levels, tiers, risk) the notice uses.

mod credit_code;
mod industry;
mod region;
mod vocab;

pub use credit_code::CreditCode;
pub use industry::{HighRiskGroup, INDUSTRIES, Industry, industry};
pub use region::{RegionCode, RegionLevel, TownshipKind, region_path_upper_bound};
pub use vocab::{HazardousWorkKind, OrgKind, PostTier, RiskLevel, SupervisionClass};

use crate::FieldError;

/// A human name or organisation name: trimmed, non-empty, bounded.
pub fn parse_name(field: &'static str, text: &str, max_chars: usize) -> Result<String, FieldError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(FieldError::new(field, "field.required"));
    }
    if t.chars().count() > max_chars {
        return Err(FieldError::new(field, "field.too_long").with_detail(max_chars.to_string()));
    }
    Ok(t.to_string())
}

/// Optional free text: empty becomes `None`.
pub fn parse_optional(field: &'static str, text: &str, max_chars: usize) -> Result<Option<String>, FieldError> {
    if text.trim().is_empty() { Ok(None) } else { parse_name(field, text, max_chars).map(Some) }
}

/// Mainland mobile (11 digits starting with 1) or a landline with area code.
pub fn parse_phone(field: &'static str, text: &str) -> Result<Option<String>, FieldError> {
    let t: String = text.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if t.is_empty() {
        return Ok(None);
    }
    let digits = t.bytes().all(|b| b.is_ascii_digit());
    let mobile = t.len() == 11 && t.starts_with('1');
    let landline = (10..=12).contains(&t.len()) && t.starts_with('0');
    if digits && (mobile || landline) { Ok(Some(t)) } else { Err(FieldError::new(field, "person.phone.invalid")) }
}

/// Resident ID number (GB 11643): 18 characters, ISO 7064 MOD 11-2 check character.
pub fn parse_id_number(field: &'static str, text: &str) -> Result<Option<String>, FieldError> {
    let t = text.trim().to_ascii_uppercase();
    if t.is_empty() {
        return Ok(None);
    }
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let bytes = t.as_bytes();
    if bytes.len() != 18 || !bytes[..17].iter().all(u8::is_ascii_digit) {
        return Err(FieldError::new(field, "person.id_number.invalid"));
    }
    let sum: u32 = bytes[..17].iter().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    if CHECK[(sum % 11) as usize] != bytes[17] {
        return Err(FieldError::new(field, "person.id_number.check_digit"));
    }
    Ok(Some(t))
}

/// Shows the first 3 and last 4 characters of an ID number, the first 3 and last 4 of a phone.
pub fn mask(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

/// The check character for the first 17 digits of an ID number (used by the demo generator).
pub fn id_number_check_char(first17: &str) -> char {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let sum: u32 = first17.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b.wrapping_sub(b'0')) * w).sum();
    CHECK[(sum % 11) as usize] as char
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers_are_checked() {
        // 11010519491231002X is the GB 11643 standard's own example.
        assert_eq!(parse_id_number("id", "11010519491231002x").unwrap().as_deref(), Some("11010519491231002X"));
        assert_eq!(parse_id_number("id", "110105194912310021").unwrap_err().code, "person.id_number.check_digit");
        assert_eq!(parse_id_number("id", "1101051949").unwrap_err().code, "person.id_number.invalid");
        assert_eq!(parse_id_number("id", "").unwrap(), None);
        assert_eq!(id_number_check_char("11010519491231002"), 'X');
    }

    #[test]
    fn masks_keep_head_and_tail() {
        assert_eq!(mask("13812345678"), "138****5678");
        assert_eq!(mask("11010519491231002X"), "110***********002X");
        assert_eq!(mask("123"), "***");
    }

    #[test]
    fn phones() {
        assert_eq!(parse_phone("phone", "138 1234 5678").unwrap().as_deref(), Some("13812345678"));
        assert_eq!(parse_phone("phone", "0538-3221234").unwrap().as_deref(), Some("05383221234"));
        assert!(parse_phone("phone", "12345").is_err());
    }

    #[test]
    fn names() {
        assert_eq!(parse_name("name", "  张三 ", 10).unwrap(), "张三");
        assert_eq!(parse_name("name", " ", 10).unwrap_err().code, "field.required");
        assert_eq!(parse_name("name", "一二三四五", 4).unwrap_err().code, "field.too_long");
    }
}
