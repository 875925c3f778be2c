//! Reading a campaign file. TOML syntax, unknown fields and missing fields stop the reading at
//! the first problem (serde cannot go on); every other problem is collected, so one load
//! reports all of them, each with its 1-based line, the field, a stable code and a detail.
//! Nothing is half-loaded: a file with any problem gives no campaign.
//!
//! Values the file's author chooses from a closed set (metric, record kind, period …) are read
//! as spanned strings and parsed here rather than by serde, so an unknown one is reported with
//! its own code and line, and all of them at once.

use std::collections::HashMap;
use std::ops::Range;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use toml::{Spanned, Value};

use super::metric::{Condition, Filter, Metric, MetricName, RecordKind};
use super::period::{Due, PeriodKind, periods};
use super::{Campaign, Measure, Obligation, SensitivePeriod, SubjectKind, Subjects};
use crate::org::{PostTier, industry};

/// One problem in a campaign file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignError {
    /// 1-based line in the file.
    pub line: usize,
    /// The key concerned (`threshold`), or the unknown key for `campaign.field.unknown`.
    pub field: String,
    /// Stable code, translated at the edge (`err-campaign-metric-unknown`).
    pub code: &'static str,
    /// The offending value or what was expected, shown after the sentence.
    pub detail: Option<String>,
}

/// Longest title, issuer or sensitive-period name, in characters.
const NAME_MAX: usize = 200;
/// Longest quotation of the notice, in characters.
const WORDS_MAX: usize = 1000;
/// Longest campaign: ten years, so period lists stay bounded.
const CAMPAIGN_MAX_DAYS: i64 = 3660;
/// Longest delay after a period's end, and longest warning window, in days.
const DAYS_MAX: i64 = 92;
/// Most extra records one sensitive period may ask for.
const EXTRA_MAX: i64 = 10;
/// Largest whole threshold (records or people).
const COUNT_MAX: f64 = 100_000.0;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCampaign {
    code: Spanned<String>,
    title: Spanned<String>,
    issuer: Spanned<String>,
    start: Spanned<Value>,
    end: Spanned<Value>,
    #[serde(default)]
    sensitive_period: Vec<RawSensitive>,
    #[serde(default)]
    obligation: Vec<RawObligation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSensitive {
    name: Spanned<String>,
    start: Spanned<Value>,
    end: Spanned<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObligation {
    code: Spanned<String>,
    measure: Spanned<Value>,
    words: Spanned<String>,
    subjects: Spanned<RawSubjects>,
    metric: Spanned<String>,
    record: Option<Spanned<String>>,
    filters: Option<Spanned<Vec<Spanned<String>>>>,
    condition: Option<Spanned<String>>,
    role: Option<Spanned<String>>,
    first: Option<Spanned<String>>,
    then: Option<Spanned<String>>,
    threshold: Option<Spanned<Value>>,
    period: Spanned<String>,
    due: Option<Spanned<Value>>,
    due_offset_days: Option<Spanned<Value>>,
    warning_days: Option<Spanned<Value>>,
    in_sensitive_periods_extra: Option<Spanned<Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubjects {
    kind: Spanned<String>,
    enforcement_powers: Option<bool>,
    comprehensive_enforcement: Option<bool>,
    committee_member: Option<bool>,
    high_risk: Option<bool>,
    concentrated_risk: Option<bool>,
    industries: Option<Vec<Spanned<String>>>,
}

/// Reads a campaign file; every problem found, in line order, if it is not valid.
pub fn parse(text: &str) -> Result<Campaign, Vec<CampaignError>> {
    let raw: RawCampaign = toml::from_str(text).map_err(|e| vec![from_toml(text, &e)])?;
    let mut r = Reader { text, errors: vec![] };
    let campaign = r.campaign(raw);
    if r.errors.is_empty()
        && let Some(c) = campaign
    {
        return Ok(c);
    }
    r.errors.sort_by_key(|e| e.line);
    Err(r.errors)
}

/// The 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|b| **b == b'\n').count() + 1
}

/// The key written at the start of line `line` (`threshold = …` → `threshold`).
fn key_on_line(text: &str, line: usize) -> Option<String> {
    let l = text.lines().nth(line.checked_sub(1)?)?;
    let (key, _) = l.split_once('=')?;
    let key = key.trim();
    (!key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')).then(|| key.to_string())
}

/// What is written after the `=` on line `line`.
fn value_on_line(text: &str, line: usize) -> Option<String> {
    let l = text.lines().nth(line.checked_sub(1)?)?;
    Some(l.split_once('=')?.1.trim().to_string())
}

/// The name between the first pair of backticks of a serde message (`unknown field `x``).
fn quoted(message: &str) -> Option<String> {
    let rest = message.split_once('`')?.1;
    Some(rest.split_once('`')?.0.to_string())
}

/// A TOML or serde error as one campaign error at its line.
fn from_toml(text: &str, e: &toml::de::Error) -> CampaignError {
    let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
    let message = e.message().trim().to_string();
    let key = key_on_line(text, line);
    let (field, code) = if message.starts_with("unknown field") {
        (quoted(&message).unwrap_or_default(), "campaign.field.unknown")
    } else if message.starts_with("missing field") {
        (quoted(&message).unwrap_or_default(), "campaign.field.missing")
    } else if key.as_deref() == Some("threshold") {
        // `threshold = four` is not TOML at all; what the author meant is a number.
        ("threshold".to_string(), "campaign.threshold.not_number")
    } else if message.starts_with("invalid type") {
        (key.unwrap_or_default(), "campaign.field.invalid_type")
    } else {
        (key.unwrap_or_default(), "campaign.syntax")
    };
    let detail = match code {
        "campaign.field.unknown" | "campaign.field.missing" => field.clone(),
        "campaign.threshold.not_number" => value_on_line(text, line).unwrap_or_default(),
        _ => message.lines().next().unwrap_or_default().to_string(),
    };
    CampaignError { line, field, code, detail: Some(detail) }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    }
}

/// Valid codes: lowercase ASCII letters and digits, then also `-`, `_` or `.`; at most 64.
fn is_code(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'-' | b'_' | b'.'))
}

/// A valid obligation with the spans its cross-checks report at.
struct Read {
    obligation: Obligation,
    code_span: Range<usize>,
}

struct Reader<'a> {
    text: &'a str,
    errors: Vec<CampaignError>,
}

impl Reader<'_> {
    fn err(&mut self, span: &Range<usize>, field: &str, code: &'static str, detail: Option<String>) {
        self.errors.push(CampaignError { line: line_of(self.text, span.start), field: field.to_string(), code, detail });
    }

    fn name(&mut self, s: &Spanned<String>, field: &str, max: usize) -> Option<String> {
        let t = s.get_ref().trim();
        if t.is_empty() {
            self.err(&s.span(), field, "field.required", None);
            None
        } else if t.chars().count() > max {
            self.err(&s.span(), field, "field.too_long", Some(max.to_string()));
            None
        } else {
            Some(t.to_string())
        }
    }

    fn code(&mut self, s: &Spanned<String>) -> Option<String> {
        if is_code(s.get_ref()) {
            Some(s.get_ref().clone())
        } else {
            self.err(&s.span(), "code", "campaign.code.invalid", Some(s.get_ref().clone()));
            None
        }
    }

    /// A date written as a TOML date (`2024-03-31`) or a string in a form people type.
    fn date(&mut self, v: &Spanned<Value>, field: &str) -> Option<NaiveDate> {
        let d = match v.get_ref() {
            Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
                dt.date.and_then(|d| NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day)))
            }
            Value::String(s) => crate::time::parse_date(s),
            _ => None,
        };
        if d.is_none() {
            self.err(&v.span(), field, "field.date_invalid", Some(value_text(v.get_ref())));
        }
        d
    }

    /// A whole number in `range`, or the error `code`.
    fn int(&mut self, v: &Spanned<Value>, field: &str, range: Range<i64>, code: &'static str) -> Option<u32> {
        match v.get_ref() {
            Value::Integer(n) if range.contains(n) => u32::try_from(*n).ok(),
            other => {
                let detail = format!("{} ({}–{})", value_text(other), range.start, range.end - 1);
                self.err(&v.span(), field, code, Some(detail));
                None
            }
        }
    }

    fn closed<T>(&mut self, s: &Spanned<String>, field: &str, code: &'static str, parse: fn(&str) -> Option<T>) -> Option<T> {
        let v = parse(s.get_ref().trim());
        if v.is_none() {
            self.err(&s.span(), field, code, Some(s.get_ref().clone()));
        }
        v
    }

    fn campaign(&mut self, raw: RawCampaign) -> Option<Campaign> {
        let code = self.code(&raw.code);
        let title = self.name(&raw.title, "title", NAME_MAX);
        let issuer = self.name(&raw.issuer, "issuer", NAME_MAX);
        let start = self.date(&raw.start, "start");
        let end = self.date(&raw.end, "end");
        // Obligations are checked against the dates only when the dates themselves are sound.
        let mut dates = None;
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                self.err(&raw.end.span(), "end", "campaign.dates.order", Some(format!("{s} > {e}")));
            } else if (e - s).num_days() >= CAMPAIGN_MAX_DAYS {
                self.err(&raw.end.span(), "end", "campaign.dates.too_long", Some(CAMPAIGN_MAX_DAYS.to_string()));
            } else {
                dates = Some((s, e));
            }
        }

        let mut sensitive = vec![];
        for p in &raw.sensitive_period {
            let name = self.name(&p.name, "name", NAME_MAX);
            let (s, e) = (self.date(&p.start, "start"), self.date(&p.end, "end"));
            let (Some(name), Some(s), Some(e)) = (name, s, e) else { continue };
            if e < s {
                self.err(&p.end.span(), "end", "campaign.dates.order", Some(format!("{s} > {e}")));
            } else if let Some((cs, ce)) = dates
                && (s < cs || e > ce)
            {
                self.err(&p.start.span(), "start", "campaign.period.outside", Some(format!("{s}..{e} ∉ {cs}..{ce}")));
            } else {
                sensitive.push(SensitivePeriod { name, start: s, end: e });
            }
        }

        if raw.obligation.is_empty() {
            self.err(&raw.code.span(), "obligation", "campaign.obligation.none", None);
        }
        let read: Vec<Read> = raw.obligation.iter().filter_map(|o| self.obligation(o, dates, !raw.sensitive_period.is_empty())).collect();
        self.cross_check(&read);

        Some(Campaign {
            code: code?,
            title: title?,
            issuer: issuer?,
            start: start?,
            end: end?,
            sensitive_periods: sensitive,
            obligations: read.into_iter().map(|r| r.obligation).collect(),
        })
    }

    /// Codes are unique; two obligations of one measure with the same metric, subjects and
    /// period must agree on the threshold, or the board could not say which one the notice meant.
    fn cross_check(&mut self, read: &[Read]) {
        let mut codes: HashMap<&str, usize> = HashMap::new();
        for (i, r) in read.iter().enumerate() {
            let o = &r.obligation;
            if let Some(&first) = codes.get(o.code.as_str()) {
                let at = line_of(self.text, read[first].code_span.start);
                self.err(&r.code_span, "code", "campaign.obligation.duplicate", Some(format!("{} ({at})", o.code)));
                continue;
            }
            codes.insert(&o.code, i);
            let clash = read[..i].iter().find(|p| {
                let q = &p.obligation;
                q.measure == o.measure
                    && q.metric == o.metric
                    && q.subjects == o.subjects
                    && q.period == o.period
                    && q.threshold != o.threshold
            });
            if let Some(p) = clash {
                let detail = format!("{} {} ≠ {} {}", p.obligation.code, p.obligation.threshold, o.code, o.threshold);
                self.err(&r.code_span, "threshold", "campaign.obligation.conflict", Some(detail));
            }
        }
    }

    fn measure(&mut self, v: &Spanned<Value>) -> Option<Measure> {
        let m = match v.get_ref() {
            Value::Integer(n) if (1..=i64::from(Measure::MAX)).contains(n) => u8::try_from(*n).ok().map(Measure::Numbered),
            Value::String(s) if s == "work_plan" => Some(Measure::WorkPlan),
            _ => None,
        };
        if m.is_none() {
            self.err(&v.span(), "measure", "campaign.measure.unknown", Some(value_text(v.get_ref())));
        }
        m
    }

    fn subjects(&mut self, s: &Spanned<RawSubjects>) -> Option<Subjects> {
        let raw = s.get_ref();
        let kind = self.closed(&raw.kind, "subjects.kind", "campaign.subjects.kind_unknown", SubjectKind::parse)?;
        let mut ok = true;
        let allowed: &[(&str, bool, &[SubjectKind])] = &[
            ("enforcement_powers", raw.enforcement_powers.is_some(), &[SubjectKind::Department]),
            ("comprehensive_enforcement", raw.comprehensive_enforcement.is_some(), &[SubjectKind::Department]),
            ("committee_member", raw.committee_member.is_some(), &[SubjectKind::Department]),
            ("high_risk", raw.high_risk.is_some(), &[SubjectKind::Department, SubjectKind::Enterprise]),
            ("concentrated_risk", raw.concentrated_risk.is_some(), &[SubjectKind::TownshipOffice]),
            ("industries", raw.industries.is_some(), &[SubjectKind::Department, SubjectKind::Enterprise]),
        ];
        for (name, given, kinds) in allowed {
            if *given && !kinds.contains(&kind) {
                let detail = format!("{name} / {}", kind.as_str());
                self.err(&s.span(), &format!("subjects.{name}"), "campaign.subjects.filter_not_applicable", Some(detail));
                ok = false;
            }
        }
        let mut industries = vec![];
        for code in raw.industries.iter().flatten() {
            if industry(code.get_ref()).is_some() {
                industries.push(code.get_ref().clone());
            } else {
                self.err(&code.span(), "subjects.industries", "campaign.industry.unknown", Some(code.get_ref().clone()));
                ok = false;
            }
        }
        ok.then_some(Subjects {
            kind,
            enforcement_powers: raw.enforcement_powers,
            comprehensive_enforcement: raw.comprehensive_enforcement,
            committee_member: raw.committee_member,
            high_risk: raw.high_risk,
            concentrated_risk: raw.concentrated_risk,
            industries,
        })
    }

    fn record(&mut self, s: &Option<Spanned<String>>, field: &str) -> Option<Option<RecordKind>> {
        match s {
            None => Some(None),
            Some(s) => self.closed(s, field, "campaign.record.unknown", RecordKind::parse).map(Some),
        }
    }

    /// The metric with its parameters: unknown names are reported first, then parameters the
    /// metric needs but lacks, or has but does not take, then filters and conditions that mean
    /// nothing for the record kind.
    fn metric(&mut self, o: &RawObligation) -> Option<Metric> {
        let name = self.closed(&o.metric, "metric", "campaign.metric.unknown", MetricName::parse);
        let record = self.record(&o.record, "record");
        let first = self.record(&o.first, "first");
        let then = self.record(&o.then, "then");
        let condition = match &o.condition {
            None => Some(None),
            Some(c) => self.closed(c, "condition", "campaign.condition.unknown", Condition::parse).map(Some),
        };
        let role = match &o.role {
            None => Some(None),
            Some(r) => self.closed(r, "role", "campaign.role.unknown", PostTier::parse).map(Some),
        };
        let parsed: Vec<Option<Filter>> = o
            .filters
            .iter()
            .flat_map(|f| f.get_ref())
            .map(|f| self.closed(f, "filters", "campaign.filter.unknown", Filter::parse))
            .collect();
        let filters: Option<Vec<Filter>> = parsed.into_iter().collect();
        let (name, record, first, then, condition, role, filters) = (name?, record?, first?, then?, condition?, role?, filters?);

        let given: [(&str, Option<Range<usize>>); 6] = [
            ("record", o.record.as_ref().map(Spanned::span)),
            ("filters", o.filters.as_ref().map(Spanned::span)),
            ("condition", o.condition.as_ref().map(Spanned::span)),
            ("role", o.role.as_ref().map(Spanned::span)),
            ("first", o.first.as_ref().map(Spanned::span)),
            ("then", o.then.as_ref().map(Spanned::span)),
        ];
        let (needs, takes): (&[&str], &[&str]) = match name {
            MetricName::Count | MetricName::ExistsBy => (&["record"], &["record", "filters"]),
            MetricName::Share => (&["record", "condition"], &["record", "condition", "filters"]),
            MetricName::StaffInPost => (&["role"], &["role"]),
            MetricName::Coverage => (&[], &[]),
            MetricName::InOrder => (&["first", "then"], &["first", "then", "filters"]),
        };
        let mut ok = true;
        for (param, span) in &given {
            match span {
                None if needs.contains(param) => {
                    self.err(&o.metric.span(), param, "campaign.metric.param_missing", Some(format!("{} → {param}", name.as_str())));
                    ok = false;
                }
                Some(span) if !takes.contains(param) => {
                    self.err(span, param, "campaign.metric.param_unexpected", Some(format!("{} ↛ {param}", name.as_str())));
                    ok = false;
                }
                _ => {}
            }
        }
        if !ok {
            return None;
        }
        // Filters apply to the record counted (for in_order, to the second one).
        let target = record.or(then);
        if let (Some(kind), Some(spans)) = (target, &o.filters) {
            for (f, s) in filters.iter().zip(spans.get_ref()) {
                if !f.applies_to(kind) {
                    self.err(&s.span(), "filters", "campaign.filter.not_applicable", Some(format!("{} / {}", f.as_str(), kind.as_str())));
                    ok = false;
                }
            }
        }
        if let (Some(kind), Some(c), Some(span)) = (record, condition, &o.condition)
            && !c.applies_to(kind)
        {
            self.err(&span.span(), "condition", "campaign.condition.not_applicable", Some(format!("{} / {}", c.as_str(), kind.as_str())));
            ok = false;
        }
        if !ok {
            return None;
        }
        // The parameters the match above demanded are present, so these all hold.
        match (name, record, condition, role, first, then) {
            (MetricName::Count, Some(record), ..) => Some(Metric::Count { record, filters }),
            (MetricName::ExistsBy, Some(record), ..) => Some(Metric::ExistsBy { record, filters }),
            (MetricName::Share, Some(record), Some(condition), ..) => Some(Metric::Share { record, condition, filters }),
            (MetricName::StaffInPost, _, _, Some(role), ..) => Some(Metric::StaffInPost { role }),
            (MetricName::Coverage, ..) => Some(Metric::Coverage),
            (MetricName::InOrder, _, _, _, Some(first), Some(then)) => Some(Metric::InOrder { first, then, filters }),
            _ => None,
        }
    }

    fn threshold(&mut self, o: &RawObligation, metric: Option<&Metric>) -> Option<f64> {
        let value = match &o.threshold {
            None => None,
            Some(v) => match v.get_ref() {
                Value::Integer(n) => Some((*n as f64, v.span())),
                Value::Float(x) if x.is_finite() => Some((*x, v.span())),
                other => {
                    self.err(&v.span(), "threshold", "campaign.threshold.not_number", Some(value_text(other)));
                    return None;
                }
            },
        };
        let metric = metric?;
        let Some((t, span)) = value else {
            return match metric {
                // "A record exists", "two records in order": once, unless the file says more.
                Metric::ExistsBy { .. } | Metric::InOrder { .. } => Some(1.0),
                _ => {
                    self.err(&o.metric.span(), "threshold", "campaign.threshold.required", Some(metric.name().as_str().to_string()));
                    None
                }
            };
        };
        if metric.is_ratio() {
            if !(t > 0.0 && t <= 1.0) {
                self.err(&span, "threshold", "campaign.threshold.out_of_range", Some(format!("{t} ∉ (0, 1]")));
                return None;
            }
        } else if t.fract() != 0.0 {
            self.err(&span, "threshold", "campaign.threshold.not_whole", Some(t.to_string()));
            return None;
        } else if !(1.0..=COUNT_MAX).contains(&t) {
            self.err(&span, "threshold", "campaign.threshold.out_of_range", Some(format!("{t} ∉ [1, {COUNT_MAX}]")));
            return None;
        }
        Some(t)
    }

    fn obligation(&mut self, o: &RawObligation, dates: Option<(NaiveDate, NaiveDate)>, has_calendar: bool) -> Option<Read> {
        let code = self.code(&o.code);
        let measure = self.measure(&o.measure);
        let words = self.name(&o.words, "words", WORDS_MAX);
        let subjects = self.subjects(&o.subjects);
        let metric = self.metric(o);
        let threshold = self.threshold(o, metric.as_ref());
        let period = self.closed(&o.period, "period", "campaign.period.unknown", PeriodKind::parse);
        let warning_days = match &o.warning_days {
            None => Some(0),
            Some(v) => self.int(v, "warning_days", 0..DAYS_MAX + 1, "campaign.warning_days.invalid"),
        };
        let sensitive_extra = match &o.in_sensitive_periods_extra {
            None => Some(0),
            Some(v) => {
                let n = self.int(v, "in_sensitive_periods_extra", 1..EXTRA_MAX + 1, "campaign.sensitive_extra.invalid");
                if !matches!(metric, None | Some(Metric::Count { .. })) {
                    self.err(&v.span(), "in_sensitive_periods_extra", "campaign.sensitive_extra.count_only", None);
                    None
                } else if !has_calendar {
                    self.err(&v.span(), "in_sensitive_periods_extra", "campaign.sensitive_extra.no_calendar", None);
                    None
                } else {
                    n
                }
            }
        };
        let due = self.due(o, period, dates);
        Some(Read {
            obligation: Obligation {
                code: code?,
                measure: measure?,
                words: words?,
                subjects: subjects?,
                metric: metric?,
                threshold: threshold?,
                period: period?,
                due: due?,
                warning_days: warning_days?,
                sensitive_extra: sensitive_extra?,
            },
            code_span: o.code.span(),
        })
    }

    /// The due rule, checked against the campaign: the period must fit in it, and a fixed due
    /// date must fall inside it and belongs to an obligation with one period only.
    fn due(&mut self, o: &RawObligation, period: Option<PeriodKind>, dates: Option<(NaiveDate, NaiveDate)>) -> Option<Due> {
        let due = match (&o.due, &o.due_offset_days) {
            (Some(_), Some(off)) => {
                self.err(&off.span(), "due_offset_days", "campaign.due.both", None);
                return None;
            }
            (Some(d), None) => Due::Date(self.date(d, "due")?),
            (None, Some(off)) => Due::AfterEnd(self.int(off, "due_offset_days", 0..DAYS_MAX + 1, "campaign.due.offset_invalid")?),
            (None, None) => Due::AfterEnd(0),
        };
        let (Some(kind), Some((start, end))) = (period, dates) else { return Some(due) };
        let list = periods(kind, start, end, due);
        if (end - start).num_days() + 1 < kind.min_days() || list.is_empty() {
            self.err(&o.period.span(), "period", "campaign.period.too_long", Some(format!("{} / {start}..{end}", kind.as_str())));
            return None;
        }
        if let (Due::Date(d), Some(span)) = (due, o.due.as_ref().map(Spanned::span)) {
            if list.len() > 1 {
                self.err(&span, "due", "campaign.due.date_needs_single_period", Some(format!("{} × {}", list.len(), kind.as_str())));
                return None;
            }
            if d < start || d > end {
                self.err(&span, "due", "campaign.period.outside", Some(format!("{d} ∉ {start}..{end}")));
                return None;
            }
        }
        Some(due)
    }
}
