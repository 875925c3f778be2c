//! Duty lists (安全生产责任清单): the rules that need no I/O.
//!
//! A list belongs to one post tier in one organisation and moves `draft → published →
//! superseded`; only one list per (organisation, tier) is published at a time. A person's
//! signature binds to the exact text of the version they read (its hash), so a new version
//! asks everyone holding the post to sign again. A person is stale when they hold a post
//! without a signature on its current list for more than N days.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    PerShift,
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
    OnEvent,
}

impl Frequency {
    pub const ALL: [Frequency; 7] =
        [Self::PerShift, Self::Daily, Self::Weekly, Self::Monthly, Self::Quarterly, Self::Yearly, Self::OnEvent];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PerShift => "per_shift",
            Self::Daily => "daily",
            Self::Weekly => "weekly",
            Self::Monthly => "monthly",
            Self::Quarterly => "quarterly",
            Self::Yearly => "yearly",
            Self::OnEvent => "on_event",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }
    pub fn sql_list() -> String {
        Self::ALL.iter().map(|f| format!("'{}'", f.as_str())).collect::<Vec<_>>().join(",")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListState {
    Draft,
    Published,
    Superseded,
}

impl ListState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Superseded => "superseded",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Draft, Self::Published, Self::Superseded].into_iter().find(|x| x.as_str() == s)
    }

    /// Whether a list in this state may be published (a draft with at least one item).
    pub fn check_publish(self, items: usize) -> Result<(), &'static str> {
        match self {
            Self::Draft if items == 0 => Err("duty.list.empty"),
            Self::Draft => Ok(()),
            Self::Published => Err("duty.list.already_published"),
            Self::Superseded => Err("duty.list.superseded"),
        }
    }

    /// Items can be edited only in a draft: a published text is what people signed.
    pub fn check_edit(self) -> Result<(), &'static str> {
        if self == Self::Draft { Ok(()) } else { Err("duty.list.not_draft") }
    }

    /// A signature is accepted only on the published version.
    pub fn check_sign(self) -> Result<(), &'static str> {
        match self {
            Self::Published => Ok(()),
            Self::Superseded => Err("duty.list.superseded"),
            Self::Draft => Err("duty.list.not_published"),
        }
    }
}

/// One duty as it is hashed and shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemText {
    pub text: String,
    pub legal_basis: String,
    pub frequency: Frequency,
    pub evidence: String,
}

/// SHA-256 of a list's exact text: title and items in order (canonical JSON).
pub fn text_hash(title: &str, items: &[ItemText]) -> String {
    let canonical = serde_json::json!({"title": title, "items": items}).to_string();
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

/// The hash of a list's items alone (no title): the same duties word for word, wherever they
/// are published, have the same content hash.
pub fn content_hash(items: &[ItemText]) -> String {
    text_hash("", items)
}

/// Whether a person who has held a post since `held_since`, whose current list was published
/// at `published_at` (if any), is stale at `now`: no signature on the current text for more
/// than `grace_days` since the later of the two.
pub fn is_stale(
    held_since: DateTime<Utc>,
    published_at: Option<DateTime<Utc>>,
    signed_current: bool,
    grace_days: i64,
    now: DateTime<Utc>,
) -> bool {
    if signed_current {
        return false;
    }
    let since = published_at.map_or(held_since, |p| p.max(held_since));
    now - since > Duration::days(grace_days)
}

/// Coverage as a share in per mille, rounded down (0 when nobody is counted).
pub fn coverage_permille(covered: u64, people: u64) -> u64 {
    (covered * 1000).checked_div(people).unwrap_or(0)
}

/// How one item differs between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "change")]
pub enum ItemChange {
    Same {
        text: String,
    },
    /// Same duty text, other basis, frequency or evidence.
    Changed {
        before: ItemText,
        after: ItemText,
    },
    Added {
        after: ItemText,
    },
    Removed {
        before: ItemText,
    },
}

/// Item-by-item comparison of two versions, in the newer version's order: items are matched
/// by their duty text (a longest common subsequence), so a reordered or reworded list shows
/// what people must read again.
pub fn compare(before: &[ItemText], after: &[ItemText]) -> Vec<ItemChange> {
    let (n, m) = (before.len(), after.len());
    // lcs[i][j]: length of the common subsequence of before[i..] and after[j..] by text.
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if before[i].text == after[j].text { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, vec![]);
    while i < n || j < m {
        if i < n && j < m && before[i].text == after[j].text {
            out.push(if before[i] == after[j] {
                ItemChange::Same { text: after[j].text.clone() }
            } else {
                ItemChange::Changed { before: before[i].clone(), after: after[j].clone() }
            });
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push(ItemChange::Added { after: after[j].clone() });
            j += 1;
        } else {
            out.push(ItemChange::Removed { before: before[i].clone() });
            i += 1;
        }
    }
    out
}

/// How alike two lists read, from 0 (nothing shared) to 1 (the same words): the Jaccard
/// index of the character bigrams of their duty texts, so a copy with a few words changed
/// still scores high while two lists that merely share legal citations do not.
pub fn similarity(a: &[ItemText], b: &[ItemText]) -> f64 {
    crate::text::similarity(a.iter().map(|i| i.text.as_str()), b.iter().map(|i| i.text.as_str()))
}

/// Lists of different tiers that read this alike do not fit their posts.
pub const SAME_ACROSS_TIERS: f64 = 0.8;

/// The notice's deadline for revised government leader lists and section task division:
/// 31 March of the year.
pub fn government_list_deadline(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 3, 31).unwrap_or(NaiveDate::MIN)
}

/// The tiers whose lists the 31 March deadline asks of each government body: the leader in
/// charge of safety, the other leaders (一岗双责) and the section task division.
pub const DEADLINE_TIERS: [&str; 3] = ["leader_in_charge", "other_leader", "section"];

/// Where a deadline stands for one list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineState {
    /// Published on or before the deadline.
    Met,
    /// Published, but after the deadline.
    Late,
    /// Not published yet, and the deadline has not passed.
    Pending,
    /// Not published, and the deadline has passed.
    Missed,
}

impl DeadlineState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Met => "met",
            Self::Late => "late",
            Self::Pending => "pending",
            Self::Missed => "missed",
        }
    }
}

/// The state of a deadline given the first publication (a local date), if any.
pub fn deadline_state(published_on: Option<NaiveDate>, deadline: NaiveDate, today: NaiveDate) -> DeadlineState {
    match published_on {
        Some(d) if d <= deadline => DeadlineState::Met,
        Some(_) => DeadlineState::Late,
        None if today <= deadline => DeadlineState::Pending,
        None => DeadlineState::Missed,
    }
}

/// Sums of coverage figures (a town, an industry, the city); per mille rounded down.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub people: u64,
    pub covered: u64,
    pub stale: u64,
}

impl std::ops::Add for Tally {
    type Output = Tally;
    fn add(self, other: Tally) -> Tally {
        Tally { people: self.people + other.people, covered: self.covered + other.covered, stale: self.stale + other.stale }
    }
}

impl Tally {
    pub fn permille(self) -> u64 {
        coverage_permille(self.covered, self.people)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(t: &str) -> ItemText {
        ItemText {
            text: t.into(), legal_basis: "《安全生产法》第二十一条".into(), frequency: Frequency::Yearly, evidence: "记录".into()
        }
    }

    #[test]
    fn publish_rules() {
        assert_eq!(ListState::Draft.check_publish(0), Err("duty.list.empty"));
        assert_eq!(ListState::Draft.check_publish(3), Ok(()));
        assert_eq!(ListState::Superseded.check_publish(3), Err("duty.list.superseded"));
        assert_eq!(ListState::Published.check_edit(), Err("duty.list.not_draft"));
        assert_eq!(ListState::Superseded.check_sign(), Err("duty.list.superseded"));
        assert_eq!(ListState::Draft.check_sign(), Err("duty.list.not_published"));
    }

    #[test]
    fn the_hash_covers_every_word_and_the_order() {
        let a = text_hash("主要负责人", &[item("甲"), item("乙")]);
        assert_eq!(a, text_hash("主要负责人", &[item("甲"), item("乙")]));
        assert_ne!(a, text_hash("主要负责人", &[item("乙"), item("甲")]));
        assert_ne!(a, text_hash("主要负责人", &[item("甲"), item("乙。")]));
        let mut changed = item("乙");
        changed.frequency = Frequency::Monthly;
        assert_ne!(a, text_hash("主要负责人", &[item("甲"), changed]));
    }

    #[test]
    fn staleness_counts_from_the_later_of_post_and_publication() {
        let t = |d: i64| DateTime::<Utc>::from_timestamp(1_700_000_000 + d * 86_400, 0).unwrap();
        assert!(!is_stale(t(0), Some(t(0)), false, 7, t(7)));
        assert!(is_stale(t(0), Some(t(0)), false, 7, t(8)));
        assert!(!is_stale(t(0), Some(t(5)), false, 7, t(8)), "a new version restarts the clock");
        assert!(!is_stale(t(0), Some(t(0)), true, 7, t(100)));
        assert!(is_stale(t(0), None, false, 7, t(8)), "no list at all is stale too");
    }

    #[test]
    fn compare_finds_same_changed_added_removed() {
        let mut monthly = item("乙");
        monthly.frequency = Frequency::Monthly;
        let before = [item("甲"), item("乙"), item("丙")];
        let after = [item("甲"), monthly.clone(), item("丁")];
        let d = compare(&before, &after);
        assert_eq!(d[0], ItemChange::Same { text: "甲".into() });
        assert_eq!(d[1], ItemChange::Changed { before: item("乙"), after: monthly });
        assert!(d.contains(&ItemChange::Added { after: item("丁") }));
        assert!(d.contains(&ItemChange::Removed { before: item("丙") }));
        assert_eq!(d.len(), 4);
        assert!(compare(&before, &before).iter().all(|c| matches!(c, ItemChange::Same { .. })));
    }

    #[test]
    fn similarity_spots_copies_and_near_copies() {
        let principal = [item("建立健全并落实本单位全员安全生产责任制"), item("组织制定并实施安全生产教育和培训计划")];
        let worker = [item("严格遵守本岗位安全操作规程"), item("正确佩戴和使用劳动防护用品")];
        assert!((similarity(&principal, &principal) - 1.0).abs() < f64::EPSILON);
        assert!(similarity(&principal, &worker) < 0.2, "{}", similarity(&principal, &worker));
        let near = [item("建立健全并落实本企业全员安全生产责任制"), item("组织制定并实施安全生产教育和培训计划")];
        assert!(similarity(&principal, &near) >= SAME_ACROSS_TIERS, "{}", similarity(&principal, &near));
        assert_eq!(similarity(&[], &[]), 0.0);
    }

    #[test]
    fn coverage_share() {
        assert_eq!(coverage_permille(3, 4), 750);
        assert_eq!(coverage_permille(0, 0), 0);
    }

    #[test]
    fn the_31_march_deadline_is_met_late_pending_or_missed() {
        let deadline = government_list_deadline(2026);
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert_eq!(deadline, d(3, 31));
        assert_eq!(deadline_state(Some(d(3, 31)), deadline, d(5, 1)), DeadlineState::Met);
        assert_eq!(deadline_state(Some(d(4, 1)), deadline, d(5, 1)), DeadlineState::Late);
        assert_eq!(deadline_state(None, deadline, d(3, 31)), DeadlineState::Pending);
        assert_eq!(deadline_state(None, deadline, d(4, 1)), DeadlineState::Missed);
    }

    #[test]
    fn tallies_add_up_and_round_down() {
        let t = Tally { people: 3, covered: 1, stale: 1 } + Tally { people: 3, covered: 3, stale: 0 };
        assert_eq!(t, Tally { people: 6, covered: 4, stale: 1 });
        assert_eq!(t.permille(), 666);
        assert_eq!(Tally::default().permille(), 0);
    }
}
