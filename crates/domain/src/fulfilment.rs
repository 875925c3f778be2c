//! Fulfilment (履职记录): the rules that need no I/O. An item with a frequency is due once per
//! calendar period (day, ISO week from Monday, month, quarter, year); a period that has ended
//! without a record dated inside it is a gap. `per_shift` is counted per day; `on_event` has
//! no periods, so it never has a gap.
//!
//! Periods start with the first whole period on or after the start date (the list's publish
//! date): a list published on a Wednesday owes its first weekly record the following week. The
//! current period is still open, so it is never a gap.

use crate::FieldError;
use crate::duty::Frequency;
use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

/// At most this many periods are computed (ten years of days), newest kept.
pub const MAX_PERIODS: usize = 3660;
/// Longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodState {
    /// At least one record is dated inside the period.
    Done,
    /// The period has ended with no record: a gap.
    Missed,
    /// The period contains today and has no record yet.
    Open,
}

/// One period in which an item is due, with both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub state: PeriodState,
}

/// The calendar period of `frequency` that contains `d` (None for `on_event`).
pub fn period_of(frequency: Frequency, d: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let ymd = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1);
    let month_end = |y: i32, m: u32| {
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        ymd(ny, nm).and_then(|n| n.pred_opt())
    };
    match frequency {
        Frequency::PerShift | Frequency::Daily => Some((d, d)),
        Frequency::Weekly => {
            let start = d - Duration::days(i64::from(d.weekday().num_days_from_monday()));
            Some((start, start + Duration::days(6)))
        }
        Frequency::Monthly => Some((ymd(d.year(), d.month())?, month_end(d.year(), d.month())?)),
        Frequency::Quarterly => {
            let first = (d.month0() / 3) * 3 + 1;
            Some((ymd(d.year(), first)?, month_end(d.year(), first + 2)?))
        }
        Frequency::Yearly => Some((ymd(d.year(), 1)?, NaiveDate::from_ymd_opt(d.year(), 12, 31)?)),
        Frequency::OnEvent => None,
    }
}

/// The periods from the first whole period on or after `start` up to the one containing
/// `today`, each marked done, missed or open from the record dates.
pub fn periods(frequency: Frequency, start: NaiveDate, today: NaiveDate, records: &[NaiveDate]) -> Vec<Period> {
    let mut out = vec![];
    let Some((first_start, first_end)) = period_of(frequency, start) else { return out };
    let mut cursor = if first_start < start { first_end.succ_opt() } else { Some(first_start) };
    while let Some(day) = cursor {
        if day > today {
            break;
        }
        let Some((s, e)) = period_of(frequency, day) else { break };
        let done = records.iter().any(|r| *r >= s && *r <= e);
        let state = if done {
            PeriodState::Done
        } else if e < today {
            PeriodState::Missed
        } else {
            PeriodState::Open
        };
        out.push(Period { start: s, end: e, state });
        cursor = e.succ_opt();
    }
    if out.len() > MAX_PERIODS {
        out.drain(..out.len() - MAX_PERIODS);
    }
    out
}

/// The number of gaps (missed periods).
pub fn gap_count(periods: &[Period]) -> usize {
    periods.iter().filter(|p| p.state == PeriodState::Missed).count()
}

/// Parses the date a duty was carried out: a real date, not after `today` (Asia/Shanghai).
pub fn check_done_on(text: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    if text.trim().is_empty() {
        return Err(FieldError::new("done_on", "field.required"));
    }
    let d = crate::time::parse_date(text).ok_or_else(|| FieldError::new("done_on", "fulfilment.date.invalid"))?;
    if d > today {
        return Err(FieldError::new("done_on", "fulfilment.date.future"));
    }
    if d < NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(d) {
        return Err(FieldError::new("done_on", "fulfilment.date.invalid"));
    }
    Ok(d)
}

/// Trims a note and checks its length.
pub fn check_note(text: &str) -> Result<String, FieldError> {
    let t = text.trim();
    if t.chars().count() > MAX_NOTE_CHARS {
        return Err(FieldError::new("note", "field.too_long").with_detail(MAX_NOTE_CHARS.to_string()));
    }
    Ok(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn weekly_periods_start_with_the_first_whole_week_and_mark_gaps() {
        // Published on Wednesday 2024-03-06; today is Wednesday 2024-04-03.
        let records = [d("2024-03-07"), d("2024-03-12"), d("2024-03-27")];
        let p = periods(Frequency::Weekly, d("2024-03-06"), d("2024-04-03"), &records);
        let starts: Vec<String> = p.iter().map(|p| p.start.to_string()).collect();
        assert_eq!(starts, ["2024-03-11", "2024-03-18", "2024-03-25", "2024-04-01"]);
        let states: Vec<PeriodState> = p.iter().map(|p| p.state).collect();
        assert_eq!(states, [PeriodState::Done, PeriodState::Missed, PeriodState::Done, PeriodState::Open]);
        assert_eq!(p[0].end, d("2024-03-17"));
        assert_eq!(gap_count(&p), 1);
    }

    #[test]
    fn a_list_published_on_a_monday_owes_that_week() {
        let p = periods(Frequency::Weekly, d("2024-03-04"), d("2024-03-20"), &[]);
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].start, d("2024-03-04"));
        assert_eq!(gap_count(&p), 2, "the current week is open, not a gap");
    }

    #[test]
    fn daily_and_per_shift_count_days_and_today_is_open() {
        for f in [Frequency::Daily, Frequency::PerShift] {
            let p = periods(f, d("2024-02-27"), d("2024-03-01"), &[d("2024-02-28")]);
            let states: Vec<PeriodState> = p.iter().map(|p| p.state).collect();
            // 2024 is a leap year: 27, 28, 29 February and 1 March.
            assert_eq!(states, [PeriodState::Missed, PeriodState::Done, PeriodState::Missed, PeriodState::Open]);
        }
    }

    #[test]
    fn monthly_quarterly_and_yearly_are_calendar_periods() {
        let p = periods(Frequency::Monthly, d("2024-01-01"), d("2024-03-15"), &[d("2024-02-29")]);
        assert_eq!(
            p.iter().map(|p| (p.start.to_string(), p.end.to_string())).collect::<Vec<_>>(),
            [
                ("2024-01-01".to_string(), "2024-01-31".to_string()),
                ("2024-02-01".into(), "2024-02-29".into()),
                ("2024-03-01".into(), "2024-03-31".into())
            ]
        );
        assert_eq!(p.iter().map(|p| p.state).collect::<Vec<_>>(), [PeriodState::Missed, PeriodState::Done, PeriodState::Open]);
        let q = periods(Frequency::Quarterly, d("2024-02-10"), d("2024-11-02"), &[d("2024-05-05")]);
        assert_eq!(q.iter().map(|p| p.start.to_string()).collect::<Vec<_>>(), ["2024-04-01", "2024-07-01", "2024-10-01"]);
        assert_eq!(q[1].end, d("2024-09-30"));
        assert_eq!(gap_count(&q), 1);
        let y = periods(Frequency::Yearly, d("2023-01-01"), d("2025-06-01"), &[d("2024-12-31")]);
        assert_eq!(y.iter().map(|p| p.state).collect::<Vec<_>>(), [PeriodState::Missed, PeriodState::Done, PeriodState::Open]);
        assert_eq!(period_of(Frequency::Quarterly, d("2024-12-31")), Some((d("2024-10-01"), d("2024-12-31"))));
    }

    #[test]
    fn on_event_never_has_a_gap_and_a_future_start_has_no_periods() {
        assert!(periods(Frequency::OnEvent, d("2020-01-01"), d("2024-01-01"), &[]).is_empty());
        assert!(periods(Frequency::Daily, d("2024-05-01"), d("2024-04-01"), &[]).is_empty());
    }

    #[test]
    fn long_daily_histories_are_capped() {
        let p = periods(Frequency::Daily, d("2000-01-01"), d("2024-01-01"), &[]);
        assert_eq!(p.len(), MAX_PERIODS);
        assert_eq!(p.last().unwrap().start, d("2024-01-01"));
    }

    #[test]
    fn dates_and_notes_are_checked() {
        let today = d("2024-03-31");
        assert_eq!(check_done_on("2024年3月31日", today), Ok(today));
        assert_eq!(check_done_on("2024-04-01", today).unwrap_err().code, "fulfilment.date.future");
        assert_eq!(check_done_on("昨天", today).unwrap_err().code, "fulfilment.date.invalid");
        assert_eq!(check_done_on(" ", today).unwrap_err(), FieldError::new("done_on", "field.required"));
        assert_eq!(check_note("  检查了灭火器  "), Ok("检查了灭火器".to_string()));
        assert_eq!(check_note(&"查".repeat(MAX_NOTE_CHARS + 1)).unwrap_err().field, "note");
    }
}
