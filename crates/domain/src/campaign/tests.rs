use super::*;

const NOTICE: &str = include_str!("../../../../campaigns/feianfa-2024-4.toml");
const SAMPLE: &str = include_str!("../../../../campaigns/sample-2025-other-city.toml");

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A small valid file; line numbers below are counted from its first line.
const BASE: &str = r#"code = "t-2024"
title = "测试活动"
issuer = "测试市安委会"
start = 2024-02-04
end = 2024-12-31

[[sensitive_period]]
name = "春节"
start = 2024-02-10
end = 2024-02-17

[[obligation]]
code = "covert"
measure = 12
words = "年内组织不少于4次暗访检查活动"
subjects = { kind = "department", enforcement_powers = true }
metric = "count"
record = "covert_inspection"
threshold = 4
period = "campaign"
warning_days = 30
"#;

/// `BASE` with line `line` (1-based) replaced by `with`.
fn edit(line: usize, with: &str) -> String {
    BASE.lines().enumerate().map(|(i, l)| if i + 1 == line { with } else { l }).collect::<Vec<_>>().join("\n")
}

/// `BASE` plus another obligation (its `[[obligation]]` header on line 23).
fn plus(obligation: &str) -> String {
    format!("{BASE}\n[[obligation]]\n{obligation}")
}

fn errors(text: &str) -> Vec<(usize, String, &'static str)> {
    match parse(text) {
        Ok(_) => vec![],
        Err(es) => es.into_iter().map(|e| (e.line, e.field, e.code)).collect(),
    }
}

fn one(text: &str) -> (usize, String, &'static str) {
    let es = errors(text);
    assert_eq!(es.len(), 1, "{es:?}");
    es.into_iter().next().unwrap()
}

#[test]
fn the_base_file_reads_into_a_campaign() {
    let c = parse(BASE).unwrap();
    assert_eq!((c.code.as_str(), c.start, c.end), ("t-2024", d(2024, 2, 4), d(2024, 12, 31)));
    assert_eq!(c.sensitive_periods.len(), 1);
    let o = &c.obligations[0];
    assert_eq!(o.metric, Metric::Count { record: RecordKind::CovertInspection, filters: vec![] });
    assert_eq!(
        (o.measure, o.threshold, o.period, o.due, o.warning_days),
        (Measure::Numbered(12), 4.0, PeriodKind::Campaign, Due::AfterEnd(0), 30)
    );
    assert_eq!(o.subjects.enforcement_powers, Some(true));
}

#[test]
fn an_unknown_metric_record_or_period_is_refused_at_its_line() {
    assert_eq!(one(&edit(17, r#"metric = "cuont""#)), (17, "metric".into(), "campaign.metric.unknown"));
    assert_eq!(one(&edit(18, r#"record = "covert_inspections""#)), (18, "record".into(), "campaign.record.unknown"));
    assert_eq!(one(&edit(20, r#"period = "fortnight""#)), (20, "period".into(), "campaign.period.unknown"));
    assert_eq!(one(&edit(14, r#"measure = 27.5"#)), (14, "measure".into(), "campaign.measure.unknown"));
    assert_eq!(one(&edit(16, r#"subjects = { kind = "village" }"#)), (16, "subjects.kind".into(), "campaign.subjects.kind_unknown"));
}

#[test]
fn every_independent_problem_is_reported_at_once_in_line_order() {
    let text = edit(20, r#"period = "fortnight""#).replace(r#"metric = "count""#, r#"metric = "cuont""#);
    let es = errors(&text);
    assert_eq!(es.iter().map(|e| (e.0, e.2)).collect::<Vec<_>>(), [(17, "campaign.metric.unknown"), (20, "campaign.period.unknown")]);
}

#[test]
fn an_unknown_field_is_refused_with_its_name_and_line() {
    assert_eq!(one(&edit(21, "warn_days = 30")), (21, "warn_days".into(), "campaign.field.unknown"));
    assert_eq!(one(&edit(16, r#"subjects = { kind = "department", powers = true }"#)).2, "campaign.field.unknown");
    assert_eq!(one(&edit(3, r#"isuer = "x""#)).2, "campaign.field.unknown");
    let e = parse(&edit(21, "warn_days = 30")).unwrap_err();
    assert_eq!(e[0].detail.as_deref(), Some("warn_days"));
    // A missing field is reported at the table that lacks it.
    assert_eq!(one(&edit(15, "")), (12, "words".into(), "campaign.field.missing"));
}

#[test]
fn a_threshold_that_is_not_a_number_is_refused() {
    assert_eq!(one(&edit(19, r#"threshold = "4""#)), (19, "threshold".into(), "campaign.threshold.not_number"));
    assert_eq!(one(&edit(19, "threshold = four")), (19, "threshold".into(), "campaign.threshold.not_number"));
    assert_eq!(parse(&edit(19, "threshold = four")).unwrap_err()[0].detail.as_deref(), Some("four"));
    assert_eq!(one(&edit(19, "threshold = 4.5")), (19, "threshold".into(), "campaign.threshold.not_whole"));
    assert_eq!(one(&edit(19, "threshold = 0")), (19, "threshold".into(), "campaign.threshold.out_of_range"));
    assert_eq!(one(&edit(19, "")), (17, "threshold".into(), "campaign.threshold.required"));
    let share = r#"code = "s"
measure = 12
words = "立即承办"
subjects = { kind = "department" }
metric = "share"
record = "case_transfer"
condition = "handled_within_24h"
threshold = 100
period = "campaign""#;
    assert_eq!(one(&plus(share)), (31, "threshold".into(), "campaign.threshold.out_of_range"));
    assert!(parse(&plus(&share.replace("threshold = 100", "threshold = 0.95"))).is_ok());
}

#[test]
fn toml_syntax_errors_carry_their_line() {
    let (line, _, code) = one(&edit(15, r#"words = "unterminated"#));
    assert_eq!((line, code), (15, "campaign.syntax"));
    assert_eq!(one(&edit(15, "words = 3")), (15, "words".into(), "campaign.field.invalid_type"));
}

#[test]
fn a_period_must_fit_the_campaign() {
    // A quarterly duty in a campaign of two months.
    let short = edit(5, "end = 2024-03-31").replace(r#"period = "campaign""#, r#"period = "quarter""#);
    assert_eq!(one(&short), (20, "period".into(), "campaign.period.too_long"));
    // The 2024 campaign starts on 4 February: shorter than a calendar year.
    assert_eq!(one(&edit(20, r#"period = "year""#)).2, "campaign.period.too_long");
    assert!(parse(&edit(20, r#"period = "quarter""#)).is_ok());
}

#[test]
fn a_due_date_must_lie_in_the_campaign_and_belong_to_a_single_period() {
    assert_eq!(one(&plus_due("due = 2025-01-15")), (31, "due".into(), "campaign.period.outside"));
    assert_eq!(one(&plus_due("due = 2024-01-15")), (31, "due".into(), "campaign.period.outside"));
    assert!(parse(&plus_due("due = 2024-03-31")).is_ok());
    assert!(parse(&plus_due("due = \"2024年3月31日\"")).is_ok(), "a date as people type it");
    assert_eq!(one(&plus_due("due = 2024-13-01")), (31, "due".into(), "campaign.syntax"));
    assert_eq!(one(&plus_due("due = \"三月底\"")), (31, "due".into(), "field.date_invalid"));
    let monthly = plus_due("due = 2024-03-31").replace(
        r#"period = "campaign"
due"#,
        r#"period = "month"
due"#,
    );
    assert_eq!(one(&monthly), (31, "due".into(), "campaign.due.date_needs_single_period"));
    assert_eq!(one(&plus_due("due = 2024-03-31\ndue_offset_days = 3")), (32, "due_offset_days".into(), "campaign.due.both"));
    assert_eq!(one(&plus_due("due_offset_days = 200")), (31, "due_offset_days".into(), "campaign.due.offset_invalid"));
    assert_eq!(one(&plus_due("warning_days = -1")), (31, "warning_days".into(), "campaign.warning_days.invalid"));
}

fn plus_due(due: &str) -> String {
    plus(&format!(
        r#"code = "plan"
measure = 6
words = "2024年3月底前"
subjects = {{ kind = "department" }}
metric = "exists_by"
record = "assessment_standard"
period = "campaign"
{due}"#
    ))
}

#[test]
fn the_campaign_and_its_calendar_must_be_in_order() {
    assert_eq!(one(&edit(5, "end = 2024-01-31")), (5, "end".into(), "campaign.dates.order"));
    assert_eq!(one(&edit(5, "end = 2040-01-31")), (5, "end".into(), "campaign.dates.too_long"));
    assert_eq!(one(&edit(9, "start = 2024-01-20")), (9, "start".into(), "campaign.period.outside"));
    assert_eq!(one(&edit(10, "end = 2024-02-01")), (10, "end".into(), "campaign.dates.order"));
    assert_eq!(one(&edit(1, r#"code = "T 2024""#)), (1, "code".into(), "campaign.code.invalid"));
    assert_eq!(one(&edit(2, r#"title = "  ""#)), (2, "title".into(), "field.required"));
    let no_obligations = BASE.split("[[obligation]]").next().unwrap_or_default();
    assert_eq!(one(no_obligations).2, "campaign.obligation.none");
}

#[test]
fn an_obligation_code_used_twice_is_refused_at_the_second() {
    let again = BASE.split("[[obligation]]").nth(1).unwrap_or_default().replace("threshold = 4", "threshold = 5");
    let (line, field, code) = errors(&plus(again.trim_start()))[0].clone();
    assert_eq!((line, field.as_str(), code), (24, "code", "campaign.obligation.duplicate"));
}

#[test]
fn one_measure_with_the_same_metric_twice_must_agree_on_the_threshold() {
    let again = BASE.split("[[obligation]]").nth(1).unwrap_or_default().replace("\"covert\"", "\"covert-again\"");
    assert!(parse(&plus(again.trim_start())).is_ok(), "the same duty said twice agrees with itself");
    let conflicting = again.replace("threshold = 4", "threshold = 6");
    assert_eq!(one(&plus(conflicting.trim_start())), (24, "threshold".into(), "campaign.obligation.conflict"));
    // Other subjects (here: departments without enforcement powers) may have another threshold.
    let others = conflicting.replace("enforcement_powers = true", "enforcement_powers = false");
    assert!(parse(&plus(others.trim_start())).is_ok());
}

#[test]
fn a_metric_takes_exactly_its_parameters() {
    assert_eq!(one(&edit(18, "")), (17, "record".into(), "campaign.metric.param_missing"));
    assert_eq!(one(&edit(18, "record = \"covert_inspection\"\nrole = \"staff\"")), (19, "role".into(), "campaign.metric.param_unexpected"));
    let share_without_condition = edit(17, r#"metric = "share""#).replace("threshold = 4", "threshold = 1.0");
    assert_eq!(one(&share_without_condition), (17, "condition".into(), "campaign.metric.param_missing"));
    assert_eq!(
        one(&edit(18, "record = \"covert_inspection\"\nfilters = [\"observd\"]")),
        (19, "filters".into(), "campaign.filter.unknown")
    );
    assert_eq!(
        one(&edit(18, "record = \"covert_inspection\"\nfilters = [\"observed\"]")),
        (19, "filters".into(), "campaign.filter.not_applicable")
    );
    let wrong_condition = edit(17, r#"metric = "share""#).replace("threshold = 4", "threshold = 1.0\ncondition = \"handled_within_24h\"");
    assert_eq!(one(&wrong_condition), (20, "condition".into(), "campaign.condition.not_applicable"));
    let unknown_condition = wrong_condition.replace("handled_within_24h", "within_a_day");
    assert_eq!(one(&unknown_condition).2, "campaign.condition.unknown");
    let staff = edit(17, r#"metric = "staff_in_post""#).replace(r#"record = "covert_inspection""#, r#"role = "boss""#);
    assert_eq!(one(&staff), (18, "role".into(), "campaign.role.unknown"));
    let in_order = edit(17, r#"metric = "in_order""#)
        .replace(r#"record = "covert_inspection""#, "first = \"supervisory_inspection\"\nthen = \"committee_meting\"");
    assert_eq!(one(&in_order), (19, "then".into(), "campaign.record.unknown"));
}

#[test]
fn subject_filters_must_fit_the_kind_and_industries_the_catalogue() {
    assert_eq!(
        one(&edit(16, r#"subjects = { kind = "enterprise", enforcement_powers = true }"#)),
        (16, "subjects.enforcement_powers".into(), "campaign.subjects.filter_not_applicable")
    );
    assert_eq!(
        one(&edit(16, r#"subjects = { kind = "department", industries = ["26", "99"] }"#)),
        (16, "subjects.industries".into(), "campaign.industry.unknown")
    );
    assert!(parse(&edit(16, r#"subjects = { kind = "department", industries = ["26"] }"#)).is_ok());
}

#[test]
fn sensitive_extras_need_a_count_and_a_calendar() {
    assert!(parse(&edit(21, "in_sensitive_periods_extra = 1")).is_ok());
    assert_eq!(one(&edit(21, "in_sensitive_periods_extra = 0")).2, "campaign.sensitive_extra.invalid");
    let no_calendar = edit(21, "in_sensitive_periods_extra = 1")
        .replace("[[sensitive_period]]\nname = \"春节\"\nstart = 2024-02-10\nend = 2024-02-17\n", "");
    assert_eq!(one(&no_calendar).2, "campaign.sensitive_extra.no_calendar");
    let share = edit(17, r#"metric = "share""#).replace("threshold = 4", "threshold = 1.0\ncondition = \"quizzed_key_people\"");
    let share = share.replace("warning_days = 30", "in_sensitive_periods_extra = 1");
    assert_eq!(one(&share).2, "campaign.sensitive_extra.count_only");
}

#[test]
fn the_needed_count_rises_in_months_with_a_sensitive_period() {
    let c = parse(NOTICE).unwrap();
    let o = c.obligation("m3-head-monthly-inspection").unwrap();
    let ps = o.periods(&c);
    assert_eq!(ps.len(), 11);
    let needed: Vec<f64> = ps.iter().map(|p| o.needed(&c, p)).collect();
    // Feb (春节), Mar (两会), Apr, May, Jun, Jul, Aug, Sep (中秋), Oct (国庆), Nov, Dec.
    assert_eq!(needed, [2.0, 2.0, 2.0, 2.0, 2.0, 1.0, 1.0, 2.0, 2.0, 1.0, 1.0]);
    // One inspection in February is not enough once the month is over.
    assert_eq!(o.status_on(&c, &ps[0], 1.0, d(2024, 3, 1)), Status::Missed);
    assert_eq!(o.status_on(&c, &ps[0], 2.0, d(2024, 3, 1)), Status::Met);
}

#[test]
fn statuses_of_shipped_obligations_on_the_issue_dates() {
    let c = parse(NOTICE).unwrap();
    let at = |code: &str, counted: f64, today: NaiveDate| {
        let o = c.obligation(code).unwrap();
        let ps = o.periods(&c);
        let p = period_at(&ps, today).or(ps.last()).unwrap();
        o.status_on(&c, p, counted, today)
    };
    // Covert inspections: 4 over 4 Feb–31 Dec (332 days); one owed once a quarter of it (83
    // days) has passed, on 26 April.
    assert_eq!(at("m12-covert-inspections", 0.0, d(2024, 3, 1)), Status::OnTrack);
    assert_eq!(at("m12-covert-inspections", 0.0, d(2024, 4, 1)), Status::OnTrack);
    assert_eq!(at("m12-covert-inspections", 0.0, d(2024, 4, 25)), Status::OnTrack);
    assert_eq!(at("m12-covert-inspections", 0.0, d(2024, 4, 26)), Status::AtRisk);
    assert_eq!(at("m12-covert-inspections", 2.0, d(2024, 7, 1)), Status::OnTrack);
    assert_eq!(at("m12-covert-inspections", 3.0, d(2024, 12, 31)), Status::AtRisk);
    assert_eq!(at("m12-covert-inspections", 4.0, d(2024, 12, 31)), Status::Met);
    // The first deputy head by 31 March, with a 14-day window.
    assert_eq!(at("m14-first-deputy", 0.0, d(2024, 3, 1)), Status::OnTrack);
    assert_eq!(at("m14-first-deputy", 0.0, d(2024, 3, 20)), Status::AtRisk);
    assert_eq!(at("m14-first-deputy", 0.0, d(2024, 4, 1)), Status::Missed);
    // The ledger share is a deadline (30 April), not a level to hold from February.
    assert_eq!(at("m19-ledger", 0.4, d(2024, 3, 1)), Status::OnTrack);
    assert_eq!(at("m19-ledger", 0.9, d(2024, 5, 1)), Status::Missed);
    // A late case is at risk at once.
    assert_eq!(at("m12-case-transfer-24h", 0.9, d(2024, 3, 1)), Status::AtRisk);
    // The Q1 report (4 February–31 March) is due 10 April; on 1 April Q2 has begun as well.
    let report = c.obligation("m5-quarterly-report").unwrap();
    let quarters = report.periods(&c);
    assert_eq!((quarters[0].start, quarters[0].due), (d(2024, 2, 4), d(2024, 4, 10)));
    assert_eq!(report.status_on(&c, &quarters[0], 0.0, d(2024, 3, 1)), Status::OnTrack);
    assert_eq!(report.status_on(&c, &quarters[0], 0.0, d(2024, 4, 1)), Status::AtRisk);
    assert_eq!(report.status_on(&c, &quarters[0], 0.0, d(2024, 4, 11)), Status::Missed);
    assert_eq!(report.status_on(&c, &quarters[1], 0.0, d(2024, 4, 1)), Status::OnTrack);
}

#[test]
fn the_shipped_notice_loads_and_covers_every_quantified_measure() {
    let c = match parse(NOTICE) {
        Ok(c) => c,
        Err(e) => panic!("{e:#?}"),
    };
    assert_eq!((c.code.as_str(), c.start, c.end), ("feianfa-2024-4", d(2024, 2, 4), d(2024, 12, 31)));
    let measures = c.measures();
    for n in [1, 2, 3, 5, 6, 12, 14, 15, 16, 19, 21, 22, 24, 26] {
        assert!(measures.contains(&Measure::Numbered(n)), "measure {n} missing");
    }
    assert!(measures.contains(&Measure::WorkPlan));
    // Every obligation quotes the notice in Chinese (each fragment between "……" was checked
    // against the seed text, which lives outside the repository).
    for o in &c.obligations {
        assert!(o.words.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)), "{} quotes no Chinese", o.code);
    }
    // The numbers the notice states.
    let threshold = |code: &str| c.obligation(code).map(|o| o.threshold);
    assert_eq!(threshold("m1-office-staff"), Some(2.0));
    assert_eq!(threshold("m2-study-sessions"), Some(4.0));
    assert_eq!(threshold("m12-covert-inspections"), Some(4.0));
    assert_eq!(threshold("m12-special-enforcement"), Some(2.0));
    assert_eq!(threshold("m15-office-staff"), Some(3.0));
    assert_eq!(threshold("m15-office-staff-concentrated"), Some(5.0));
    assert_eq!(threshold("m21-pledges"), Some(2.0));
    assert_eq!(threshold("m24-peer-inspections"), Some(2.0));
    assert_eq!(threshold("m26-benchmark-enterprises"), Some(5.0));
    let due = |code: &str| c.obligation(code).map(|o| o.due);
    for code in ["m6-leaders-lists", "m6-section-division", "m6-assessment-standard", "m14-first-deputy"] {
        assert_eq!(due(code), Some(Due::Date(d(2024, 3, 31))), "{code}");
    }
    assert_eq!(due("m19-ledger"), Some(Due::Date(d(2024, 4, 30))));
    assert_eq!(c.obligation("m3-head-monthly-inspection").map(|o| (o.period, o.sensitive_extra)), Some((PeriodKind::Month, 1)));
    assert_eq!(c.obligation("m5-quarterly-report").map(|o| o.period), Some(PeriodKind::Quarter));
    assert_eq!(c.obligation("m22-weekly-frontline-quiz").map(|o| o.period), Some(PeriodKind::Week));
}

#[test]
fn the_sample_of_another_city_and_year_loads() {
    let c = match parse(SAMPLE) {
        Ok(c) => c,
        Err(e) => panic!("{e:#?}"),
    };
    assert_eq!(c.start, d(2025, 1, 1));
    let half = c.obligation("pledge-half-yearly").unwrap();
    assert_eq!(half.periods(&c).iter().map(|p| p.due).collect::<Vec<_>>(), [d(2025, 7, 15), d(2026, 1, 15)]);
    assert_eq!(c.obligation("grid-weekly-patrol").map(|o| o.periods(&c).len()), Some(52));
    assert_eq!(c.obligation("grid-weekly-patrol").map(|o| o.subjects.kind), Some(SubjectKind::Grid));
}

#[test]
fn subjects_match_units_by_kind_flags_and_industry_prefix() {
    let dept = SubjectFacts {
        kind: SubjectKind::Department,
        enforcement_powers: true,
        comprehensive_enforcement: false,
        committee_member: true,
        high_risk: true,
        concentrated_risk: false,
        industries: vec!["2614".into()],
    };
    let mut s = Subjects::of(SubjectKind::Department);
    assert!(s.matches(&dept));
    s.enforcement_powers = Some(false);
    assert!(!s.matches(&dept));
    s.enforcement_powers = Some(true);
    s.industries = vec!["26".into()];
    assert!(s.matches(&dept), "26 covers 2614");
    s.industries = vec!["54".into()];
    assert!(!s.matches(&dept));
    assert!(!Subjects::of(SubjectKind::Enterprise).matches(&dept));
    assert_eq!(SubjectKind::Grid.org_kind(), None);
    assert_eq!(SubjectKind::TownshipOffice.org_kind(), Some(OrgKind::TownshipOffice));
}

#[test]
fn a_copy_for_next_year_shifts_every_date() {
    let c = parse(NOTICE).unwrap();
    let next = shift_years(&c, 1);
    assert_eq!((next.code.as_str(), next.start, next.end), ("feianfa-2025-4", d(2025, 2, 4), d(2025, 12, 31)));
    assert_eq!(next.obligation("m14-first-deputy").map(|o| o.due), Some(Due::Date(d(2025, 3, 31))));
    assert_eq!(next.obligation("m5-quarterly-report").map(|o| o.due), Some(Due::AfterEnd(10)));
    assert_eq!(next.sensitive_periods[0].start, d(2025, 2, 10));
    assert_eq!(next.obligations.len(), c.obligations.len());
    assert_eq!(next.obligation("m14-first-deputy").map(|o| o.words.as_str()), c.obligation("m14-first-deputy").map(|o| o.words.as_str()));
    // 29 February has no twin in 2025; a code without the year gains one.
    let mut leap = parse(BASE).unwrap();
    leap.code = "spring".into();
    leap.end = d(2024, 2, 29);
    let moved = shift_years(&leap, 1);
    assert_eq!((moved.end, moved.code.as_str()), (d(2025, 2, 28), "spring-2025"));
    assert_eq!(shift_date(d(2024, 2, 29), 4), d(2028, 2, 29));
    assert_eq!(shift_years(&c, -1).start, d(2023, 2, 4));
}

#[test]
fn a_campaign_serialises_for_the_api() {
    let c = parse(BASE).unwrap();
    let json = serde_json::to_value(&c).unwrap();
    assert_eq!(json["obligations"][0]["measure"], 12);
    assert_eq!(json["obligations"][0]["metric"]["metric"], "count");
    assert_eq!(json["obligations"][0]["metric"]["record"], "covert_inspection");
    assert_eq!(json["obligations"][0]["period"], "campaign");
}

#[test]
fn every_campaign_error_code_and_label_has_a_message_in_both_languages() {
    let sources = [include_str!("parse.rs"), include_str!("status.rs")];
    let mut codes: Vec<&str> = sources
        .iter()
        .flat_map(|src| {
            src.split('"').filter(|s| s.starts_with("campaign.") && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_'))
        })
        .collect();
    codes.sort_unstable();
    codes.dedup();
    assert!(codes.len() > 30, "{codes:?}");
    let mut ids: Vec<String> = codes.iter().map(|c| format!("err-{}", c.replace('.', "-"))).collect();
    ids.extend(MetricName::ALL.iter().map(|m| format!("campaign-metric-{}", m.as_str())));
    ids.extend(Status::ALL.iter().map(|s| format!("campaign-status-{}", s.as_str())));
    ids.extend(PeriodKind::ALL.iter().map(|p| format!("campaign-period-{}", p.as_str())));
    ids.extend(SubjectKind::ALL.iter().map(|k| format!("campaign-subject-{}", k.as_str())));
    ids.extend(RecordKind::ALL.iter().map(|r| format!("campaign-record-{}", r.as_str())));
    ids.extend(Filter::ALL.iter().map(|f| format!("campaign-filter-{}", f.as_str())));
    ids.extend(Condition::ALL.iter().map(|c| format!("campaign-condition-{}", c.as_str())));
    for ftl in [include_str!("../../../web/locales/zh-CN/main.ftl"), include_str!("../../../web/locales/en/main.ftl")] {
        for id in &ids {
            assert!(ftl.lines().any(|l| l.starts_with(&format!("{id} = "))), "{id} has no message");
        }
    }
}
