//! Grid work (网格化管理, measure 16): a grid worker patrols (巡查) and publicises (宣传). A
//! patrol has a start and an end (the end not before the start, neither in the future), a
//! place, notes, and the problems found; a publicity event has a day (not in the future), a
//! place, a kind and an audience (zero or more). Problems become hazards through the hazard
//! rules themselves (`crate::hazard::parse_new`), so nothing here repeats them.

use crate::{Collector, FieldError};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

pub const PLACE_MAX: usize = 200;
pub const NOTES_MAX: usize = 4000;
/// A patrol longer than a day is a typing error.
pub const MAX_PATROL_HOURS: i64 = 24;
/// At most this many problems in one patrol record.
pub const MAX_PROBLEMS: usize = 50;

/// A patrol's checked times: the instants and the local day it started on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatrolTimes {
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    pub patrol_on: NaiveDate,
}

/// Parses a local (Asia/Shanghai) date and time as typed in a `datetime-local` field
/// (`2024-03-01T09:30`), with a space, with seconds, or an RFC 3339 instant (the API).
pub fn parse_local_time(text: &str) -> Option<DateTime<Utc>> {
    let t = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(t) {
        return Some(at.with_timezone(&Utc));
    }
    let t = t.replace(' ', "T");
    let naive = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"].iter().find_map(|f| NaiveDateTime::parse_from_str(&t, f).ok())?;
    crate::time::shanghai().from_local_datetime(&naive).single().map(|at| at.with_timezone(&Utc))
}

fn instant(c: &mut Collector, field: &'static str, text: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if text.trim().is_empty() {
        c.push(FieldError::new(field, "field.required"));
        return None;
    }
    match parse_local_time(text) {
        None => {
            c.push(FieldError::new(field, "patrol.time.invalid"));
            None
        }
        Some(at) if at > now + chrono::Duration::minutes(5) => {
            c.push(FieldError::new(field, "patrol.time.future"));
            None
        }
        Some(at) => Some(at),
    }
}

/// Start and end of a patrol: both given, neither in the future (five minutes' grace for a
/// phone's clock), the end not before the start and within a day of it.
pub fn parse_times(start: &str, end: &str, now: DateTime<Utc>) -> Result<PatrolTimes, Vec<FieldError>> {
    let mut c = Collector::default();
    let started_at = instant(&mut c, "started_at", start, now);
    let ended_at = instant(&mut c, "ended_at", end, now);
    if let (Some(s), Some(e)) = (started_at, ended_at) {
        if e < s {
            c.push(FieldError::new("ended_at", "patrol.end.before_start"));
        } else if e - s > chrono::Duration::hours(MAX_PATROL_HOURS) {
            c.push(FieldError::new("ended_at", "patrol.end.too_long"));
        }
    }
    match (started_at, ended_at) {
        (Some(started_at), Some(ended_at)) if c.is_empty() => {
            Ok(PatrolTimes { started_at, ended_at, patrol_on: crate::time::local_date(started_at) })
        }
        _ => Err(c.0),
    }
}

/// Free text of at most `max` characters; `required` refuses an empty one.
pub fn parse_text(field: &'static str, text: &str, max: usize, required: bool) -> Result<String, FieldError> {
    let t = text.trim();
    if required && t.is_empty() {
        return Err(FieldError::new(field, "field.required"));
    }
    if t.chars().count() > max {
        return Err(FieldError::new(field, "field.too_long").with_detail(max.to_string()));
    }
    Ok(t.to_string())
}

/// Kinds of publicity (宣传): a lecture or training talk, leaflets handed out, door-to-door
/// visits, online (WeChat groups, short videos), banners and posters, anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicityKind {
    Lecture,
    Leaflets,
    Visit,
    Online,
    Banner,
    Other,
}

impl PublicityKind {
    pub const ALL: &'static [PublicityKind] = &[Self::Lecture, Self::Leaflets, Self::Visit, Self::Online, Self::Banner, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Lecture => "lecture",
            Self::Leaflets => "leaflets",
            Self::Visit => "visit",
            Self::Online => "online",
            Self::Banner => "banner",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == s)
    }

    pub fn sql_list() -> String {
        Self::ALL.iter().map(|k| format!("'{}'", k.as_str())).collect::<Vec<_>>().join(",")
    }
}

/// A publicity event as checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPublicity {
    pub held_on: NaiveDate,
    pub place: String,
    pub kind: PublicityKind,
    pub audience: i64,
    pub notes: String,
}

/// The audience: a whole number, zero or more (a leaflet round may reach no one countable).
pub fn parse_audience(text: &str) -> Result<i64, FieldError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(FieldError::new("audience", "field.required"));
    }
    match t.parse::<i64>() {
        Ok(n) if n < 0 => Err(FieldError::new("audience", "publicity.audience.negative")),
        Ok(n) if n > 1_000_000 => Err(FieldError::new("audience", "publicity.audience.too_large")),
        Ok(n) => Ok(n),
        Err(_) => Err(FieldError::new("audience", "field.not_a_count")),
    }
}

pub fn parse_publicity(
    held_on: &str,
    place: &str,
    kind: &str,
    audience: &str,
    notes: &str,
    today: NaiveDate,
) -> Result<NewPublicity, Vec<FieldError>> {
    let mut c = Collector::default();
    let held_on = match crate::time::parse_date(held_on) {
        _ if held_on.trim().is_empty() => {
            c.push(FieldError::new("held_on", "field.required"));
            None
        }
        None => {
            c.push(FieldError::new("held_on", "field.date_invalid"));
            None
        }
        Some(d) if d > today => {
            c.push(FieldError::new("held_on", "publicity.held_on.future"));
            None
        }
        Some(d) => Some(d),
    };
    let place = c.ok(parse_text("place", place, PLACE_MAX, true));
    let kind = match kind.trim() {
        "" => c.ok(Err(FieldError::new("kind", "field.required"))),
        k => c.ok(PublicityKind::parse(k).ok_or_else(|| FieldError::new("kind", "publicity.kind.invalid"))),
    };
    let audience = c.ok(parse_audience(audience));
    let notes = c.ok(parse_text("notes", notes, NOTES_MAX, false));
    match (held_on, place, kind, audience, notes) {
        (Some(held_on), Some(place), Some(kind), Some(audience), Some(notes)) if c.is_empty() => {
            Ok(NewPublicity { held_on, place, kind, audience, notes })
        }
        _ => Err(c.0),
    }
}

/// One year as a half-open range of local days, for the yearly figures.
pub fn year_range(year: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((NaiveDate::from_ymd_opt(year, 1, 1)?, NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?))
}

/// A month typed as `2024-03` as a half-open range of local days.
pub fn month_range(text: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (y, m) = text.trim().split_once('-')?;
    let (y, m) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
    let start = NaiveDate::from_ymd_opt(y, m, 1)?;
    let end = if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1)? } else { NaiveDate::from_ymd_opt(y, m + 1, 1)? };
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        parse_local_time("2024-06-01T12:00").unwrap()
    }

    fn fields(e: Vec<FieldError>) -> Vec<String> {
        e.into_iter().map(|e| format!("{}:{}", e.field, e.code)).collect()
    }

    #[test]
    fn local_times_read_as_shanghai_and_the_day_is_local() {
        let t = parse_times("2024-06-01T07:30", "2024-06-01 09:00", now()).unwrap();
        assert_eq!(t.started_at.to_rfc3339(), "2024-05-31T23:30:00+00:00");
        assert_eq!(t.patrol_on, NaiveDate::from_ymd_opt(2024, 6, 1).unwrap(), "the local day, not the UTC one");
        assert!(parse_local_time("2024-06-01T09:00:00+08:00").is_some());
        assert!(parse_local_time("yesterday").is_none());
    }

    #[test]
    fn an_end_before_the_start_a_future_time_or_a_missing_one_is_refused_by_field() {
        assert_eq!(fields(parse_times("2024-06-01T09:00", "2024-06-01T08:00", now()).unwrap_err()), ["ended_at:patrol.end.before_start"]);
        assert_eq!(
            fields(parse_times("2024-06-02T09:00", "2024-06-02T10:00", now()).unwrap_err()),
            ["started_at:patrol.time.future", "ended_at:patrol.time.future"]
        );
        assert_eq!(fields(parse_times("", "soon", now()).unwrap_err()), ["started_at:field.required", "ended_at:patrol.time.invalid"]);
        assert_eq!(fields(parse_times("2024-05-01T09:00", "2024-05-03T09:00", now()).unwrap_err()), ["ended_at:patrol.end.too_long"]);
    }

    #[test]
    fn publicity_needs_a_past_day_a_known_kind_and_an_audience_of_zero_or_more() {
        let today = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
        let ok = parse_publicity("2024-05-20", "村委会", "lecture", "0", "", today).unwrap();
        assert_eq!((ok.kind, ok.audience), (PublicityKind::Lecture, 0));
        let bad = parse_publicity("2024-06-02", "", "poster", "-3", "", today).unwrap_err();
        assert_eq!(
            fields(bad),
            [
                "held_on:publicity.held_on.future",
                "place:field.required",
                "kind:publicity.kind.invalid",
                "audience:publicity.audience.negative"
            ]
        );
        assert_eq!(parse_audience("十").unwrap_err().code, "field.not_a_count");
    }

    #[test]
    fn years_and_months_are_half_open_ranges() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(year_range(2024), Some((d(2024, 1, 1), d(2025, 1, 1))));
        assert_eq!(month_range("2024-12"), Some((d(2024, 12, 1), d(2025, 1, 1))));
        assert_eq!(month_range("2024-13"), None);
        for k in PublicityKind::ALL {
            assert_eq!(PublicityKind::parse(k.as_str()), Some(*k));
        }
    }
}
