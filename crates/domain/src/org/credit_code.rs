//! Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a
//! 31-character alphabet (no I, O, S, V, Z); the last is a check character computed with
//! weights 3^i mod 31.

use crate::FieldError;
use serde::Serialize;

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct CreditCode(String);

impl CreditCode {
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        const FIELD: &str = "credit_code";
        let t = text.trim().to_ascii_uppercase();
        if t.is_empty() {
            return Err(FieldError::new(FIELD, "field.required"));
        }
        if t.len() != 18 {
            return Err(FieldError::new(FIELD, "org.credit_code.length"));
        }
        let values: Option<Vec<u32>> = t.bytes().map(value_of).collect();
        let Some(values) = values else {
            return Err(FieldError::new(FIELD, "org.credit_code.charset"));
        };
        if check_char(&values[..17]) != t.as_bytes()[17] {
            return Err(FieldError::new(FIELD, "org.credit_code.check_digit"));
        }
        Ok(Self(t))
    }

    /// Completes 17 valid characters with their check character (demo data, tests).
    pub fn complete(first17: &str) -> Option<Self> {
        let values: Option<Vec<u32>> = first17.bytes().map(value_of).collect();
        let values = values.filter(|v| v.len() == 17)?;
        let mut s = first17.to_string();
        s.push(check_char(&values) as char);
        Some(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn value_of(b: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == b).map(|p| p as u32)
}

fn check_char(values: &[u32]) -> u8 {
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    ALPHABET[((31 - sum % 31) % 31) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_codes() {
        // The standard's sample code and two registered enterprises' codes.
        for code in ["91350100M000100Y43", "91440300708461136T", "91110108551385082Q"] {
            assert!(CreditCode::parse(code).is_ok(), "{code}");
        }
        assert_eq!(CreditCode::parse(" 91350100m000100y43 ").unwrap().as_str(), "91350100M000100Y43");
    }

    #[test]
    fn rejects_wrong_check_digit_length_and_charset() {
        assert_eq!(CreditCode::parse("91350100M000100Y44").unwrap_err().code, "org.credit_code.check_digit");
        assert_eq!(CreditCode::parse("9135").unwrap_err().code, "org.credit_code.length");
        assert_eq!(CreditCode::parse("91350100M00010OY43").unwrap_err().code, "org.credit_code.charset");
        assert_eq!(CreditCode::parse("").unwrap_err().code, "field.required");
    }

    #[test]
    fn complete_makes_a_valid_code() {
        let c = CreditCode::complete("91370983MA3C00001").unwrap();
        assert!(CreditCode::parse(c.as_str()).is_ok());
        assert!(CreditCode::complete("short").is_none());
    }
}
