//! Writing a campaign back in the file format of ADR 0007, so a copy for next year
//! ([`super::shift_years`]) is stored as a file people can read, review and load again.
//! Comments of the original are not kept; `parse(&to_toml(c))` gives `c` back (a test).

use std::fmt::Write;

use super::metric::Metric;
use super::period::Due;
use super::{Campaign, Measure, Obligation};

fn string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn list(items: impl IntoIterator<Item = String>) -> String {
    format!("[{}]", items.into_iter().map(|s| string(&s)).collect::<Vec<_>>().join(", "))
}

fn subjects(o: &Obligation) -> String {
    let s = &o.subjects;
    let mut parts = vec![format!("kind = {}", string(s.kind.as_str()))];
    let flags = [
        ("enforcement_powers", s.enforcement_powers),
        ("comprehensive_enforcement", s.comprehensive_enforcement),
        ("committee_member", s.committee_member),
        ("high_risk", s.high_risk),
        ("concentrated_risk", s.concentrated_risk),
    ];
    for (name, v) in flags {
        if let Some(v) = v {
            parts.push(format!("{name} = {v}"));
        }
    }
    if !s.industries.is_empty() {
        parts.push(format!("industries = {}", list(s.industries.iter().cloned())));
    }
    format!("{{ {} }}", parts.join(", "))
}

fn obligation(out: &mut String, o: &Obligation) {
    let _ = writeln!(out, "\n[[obligation]]");
    let _ = writeln!(out, "code = {}", string(&o.code));
    let _ = match o.measure {
        Measure::Numbered(n) => writeln!(out, "measure = {n}"),
        Measure::WorkPlan => writeln!(out, "measure = \"work_plan\""),
    };
    let _ = writeln!(out, "words = {}", string(&o.words));
    let _ = writeln!(out, "subjects = {}", subjects(o));
    let _ = writeln!(out, "metric = {}", string(o.metric.name().as_str()));
    let filters = |out: &mut String, f: &[super::Filter]| {
        if !f.is_empty() {
            let _ = writeln!(out, "filters = {}", list(f.iter().map(|x| x.as_str().to_string())));
        }
    };
    match &o.metric {
        Metric::Count { record, filters: f } | Metric::ExistsBy { record, filters: f } => {
            let _ = writeln!(out, "record = {}", string(record.as_str()));
            filters(out, f);
        }
        Metric::Share { record, condition, filters: f } => {
            let _ = writeln!(out, "record = {}", string(record.as_str()));
            filters(out, f);
            let _ = writeln!(out, "condition = {}", string(condition.as_str()));
        }
        Metric::StaffInPost { role } => {
            let _ = writeln!(out, "role = {}", string(role.as_str()));
        }
        Metric::Coverage => {}
        Metric::InOrder { first, then, filters: f } => {
            let _ = writeln!(out, "first = {}", string(first.as_str()));
            let _ = writeln!(out, "then = {}", string(then.as_str()));
            filters(out, f);
        }
    }
    let _ = if o.metric.is_ratio() { writeln!(out, "threshold = {:?}", o.threshold) } else { writeln!(out, "threshold = {}", o.threshold) };
    let _ = writeln!(out, "period = {}", string(o.period.as_str()));
    let _ = match o.due {
        Due::Date(d) => writeln!(out, "due = {d}"),
        Due::AfterEnd(0) => Ok(()),
        Due::AfterEnd(n) => writeln!(out, "due_offset_days = {n}"),
    };
    if o.warning_days > 0 {
        let _ = writeln!(out, "warning_days = {}", o.warning_days);
    }
    if o.sensitive_extra > 0 {
        let _ = writeln!(out, "in_sensitive_periods_extra = {}", o.sensitive_extra);
    }
}

/// The campaign as a campaign file; `note` becomes a comment at the top.
pub fn to_toml(c: &Campaign, note: &str) -> String {
    let mut out = String::new();
    for line in note.lines() {
        let _ = writeln!(out, "# {line}");
    }
    let _ = writeln!(out, "code = {}", string(&c.code));
    let _ = writeln!(out, "title = {}", string(&c.title));
    let _ = writeln!(out, "issuer = {}", string(&c.issuer));
    let _ = writeln!(out, "start = {}", c.start);
    let _ = writeln!(out, "end = {}", c.end);
    for s in &c.sensitive_periods {
        let _ = writeln!(out, "\n[[sensitive_period]]\nname = {}\nstart = {}\nend = {}", string(&s.name), s.start, s.end);
    }
    for o in &c.obligations {
        obligation(&mut out, o);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{parse, shift_years};
    use super::*;

    #[test]
    fn the_shipped_files_round_trip_and_their_copies_load() {
        for text in
            [include_str!("../../../../campaigns/feianfa-2024-4.toml"), include_str!("../../../../campaigns/sample-2025-other-city.toml")]
        {
            let c = parse(text).expect("shipped file");
            let written = to_toml(&c, "copy\nof a file");
            assert_eq!(parse(&written).as_ref(), Ok(&c), "{written}");
            let next = shift_years(&c, 1);
            assert_eq!(parse(&to_toml(&next, "")).as_ref(), Ok(&next));
        }
    }
}
