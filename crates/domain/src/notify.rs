//! Reminders and the delivery outbox (issue 5): a failed delivery is tried again after a wait
//! that doubles with each attempt, from one minute up to six hours; an e-mail address is
//! checked once at the boundary (`user@host.tld`, no spaces, at most 254 characters).

use crate::FieldError;
use chrono::Duration;

/// The first wait after a failed delivery.
pub const FIRST_RETRY_SECS: i64 = 60;
/// The longest wait between two attempts.
pub const MAX_RETRY_SECS: i64 = 6 * 3600;

/// The wait before the next attempt after `attempts` failed ones (1 → 1 min, 2 → 2 min, …,
/// capped at 6 h).
pub fn backoff(attempts: u32) -> Duration {
    let exp = attempts.saturating_sub(1).min(20);
    let secs = FIRST_RETRY_SECS.saturating_mul(1_i64 << exp).min(MAX_RETRY_SECS);
    Duration::seconds(secs)
}

/// An e-mail address, trimmed and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// `None` for blank input; an error naming `field` when it is not an address.
    pub fn parse_optional(field: &'static str, raw: &str) -> Result<Option<Email>, FieldError> {
        let t = raw.trim();
        if t.is_empty() {
            return Ok(None);
        }
        let bad = || FieldError::new(field, "user.email.invalid").with_detail(t);
        if t.len() > 254 || t.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"')) {
            return Err(bad());
        }
        let (local, host) = t.rsplit_once('@').ok_or_else(bad)?;
        let host_ok = host.contains('.')
            && !host.starts_with('.')
            && !host.ends_with('.')
            && !host.contains("..")
            && host.split('.').all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'));
        if local.is_empty() || local.len() > 64 || local.contains('@') || !host_ok {
            return Err(bad());
        }
        Ok(Some(Email(t.to_string())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_from_a_minute_up_to_six_hours() {
        assert_eq!(backoff(1), Duration::minutes(1));
        assert_eq!(backoff(2), Duration::minutes(2));
        assert_eq!(backoff(3), Duration::minutes(4));
        assert_eq!(backoff(9), Duration::minutes(256));
        assert_eq!(backoff(10), Duration::hours(6), "capped");
        assert_eq!(backoff(u32::MAX), Duration::hours(6), "no overflow");
        assert_eq!(backoff(0), Duration::minutes(1));
    }

    #[test]
    fn addresses_are_checked() {
        assert_eq!(Email::parse_optional("email", "  ").unwrap(), None);
        assert_eq!(Email::parse_optional("email", " li@example.cn ").unwrap().unwrap().as_str(), "li@example.cn");
        assert!(Email::parse_optional("email", "张三@安监.中国").unwrap().is_some());
        for bad in
            ["li", "li@", "@example.cn", "li@example", "li@@example.cn", "li @example.cn", "li@example..cn", "li@.cn", "a@b.cn,c@d.cn"]
        {
            let e = Email::parse_optional("email", bad).unwrap_err();
            assert_eq!((e.field, e.code), ("email", "user.email.invalid"), "{bad}");
        }
    }
}
