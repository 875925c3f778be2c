//! The closed set of metrics a campaign file may name, and the closed vocabularies they take
//! (record kinds, filters, conditions). Each is implemented in Rust by the evaluator; a file
//! can only combine them, never invent one, so every status on a board has a definition a
//! reader can look up here.

use crate::org::PostTier;
use serde::Serialize;

use crate::vocabulary::vocabulary;

vocabulary!(
    /// What the platform records, or will record, that an obligation can count.
    RecordKind {
        /// A leader's own inspection (领导干部检查); for a special committee, its head's.
        LeaderInspection = "leader_inspection",
        /// A leader's inspection of their assigned enterprises (包保检查).
        AssignedInspection = "assigned_inspection",
        /// An unannounced "四不两直" inspection (暗访).
        CovertInspection = "covert_inspection",
        /// A themed enforcement action (专项执法检查).
        SpecialEnforcement = "special_enforcement",
        /// Enforcement by inspectors from another area or department (交叉执法).
        CrossEnforcement = "cross_enforcement",
        /// Enterprises inspecting each other (互查互学), organised by a department.
        PeerInspection = "peer_inspection",
        /// A special committee's supervisory inspection of its sector (督导检查, "四个一").
        SupervisoryInspection = "supervisory_inspection",
        /// Any enforcement inspection of an enterprise (安全监管执法检查), whatever its kind.
        EnforcementInspection = "enforcement_inspection",
        /// A hazard found or reported (隐患).
        Hazard = "hazard",
        /// A violation handed to comprehensive enforcement (移交综合行政执法).
        CaseTransfer = "case_transfer",
        /// A case passed to the police or prosecutors (行刑衔接).
        CriminalReferral = "criminal_referral",
        /// A quiz of key people during an enforcement visit (逢查必考).
        SpotQuiz = "spot_quiz",
        /// The enterprise head's own random quiz of frontline staff (每周随机抽查一线员工).
        FrontlineQuiz = "frontline_quiz",
        /// A principal's duty report and pledge (述职承诺).
        Pledge = "pledge",
        /// A study session on the safety doctrine and policies (组织学习).
        StudySession = "study_session",
        /// A training course (培训).
        Training = "training",
        /// An emergency drill (演练).
        Drill = "drill",
        /// A meeting of a committee (委员会会议).
        CommitteeMeeting = "committee_meeting",
        /// A meeting on one topic (专题会议).
        SpecialMeeting = "special_meeting",
        /// A public warning circular (警示通报).
        WarningNotice = "warning_notice",
        /// A summons for a talk (约谈).
        Interview = "interview",
        /// A unit's work plan for the campaign (工作方案).
        WorkPlan = "work_plan",
        /// A special committee's annual work plan (年度工作计划).
        AnnualWorkPlan = "annual_work_plan",
        /// A committee's rules of procedure (工作规则).
        WorkRules = "work_rules",
        /// A department's enforcement or inspection plan (执法检查计划).
        EnforcementPlan = "enforcement_plan",
        /// An analysis of the sector's safety situation (形势分析).
        SituationAnalysis = "situation_analysis",
        /// A committee's written quarterly report to the city office (季度书面报告).
        QuarterlyReport = "quarterly_report",
        /// A change of staffing of a safety office (人员配备变更).
        Staffing = "staffing",
        /// The assignment of a leader to be in charge of safety (分工安全生产工作).
        LeaderAssignment = "leader_assignment",
        /// A published duty list (发布的责任清单).
        DutyListPublished = "duty_list_published",
        /// Standards to assess how the duty lists are carried out (清单落实情况检查考核标准).
        AssessmentStandard = "assessment_standard",
        /// An assessment of how the duty lists are carried out (清单落实情况考核).
        ListAssessment = "list_assessment",
        /// A person taking up or changing a post (人员变更).
        PostChange = "post_change",
        /// An enterprise's "1+N" e-ledger (电子台账).
        Ledger = "ledger",
        /// A spot check of an enterprise's duty lists (清单抽查).
        SpotCheck = "spot_check",
        /// A grid worker's patrol (网格巡查).
        GridPatrol = "grid_patrol",
        /// The naming of outstanding grid workers (评选表扬优秀网格员).
        GridWorkerAward = "grid_worker_award",
        /// An enterprise built up and named as a benchmark (标杆企业).
        BenchmarkEnterprise = "benchmark_enterprise",
        /// A public exposure of a unit (公开曝光).
        Exposure = "exposure",
        /// A unit put on the blacklist (黑名单).
        BlacklistEntry = "blacklist_entry",
    }
);

impl RecordKind {
    /// Records that are inspections of some kind (they take the inspection filters).
    pub fn is_inspection(self) -> bool {
        use RecordKind as K;
        matches!(
            self,
            K::LeaderInspection
                | K::AssignedInspection
                | K::CovertInspection
                | K::SpecialEnforcement
                | K::CrossEnforcement
                | K::PeerInspection
                | K::SupervisoryInspection
                | K::EnforcementInspection
        )
    }
}

vocabulary!(
    /// Narrows the records a metric looks at. Each applies to some record kinds only.
    Filter {
        /// Led in person by a member of the unit's leadership (领导班子成员带队).
        LedByUnitLeader = "led_by_unit_leader",
        /// Led in person by the special committee's head (专委会主任).
        LedByCommitteeHead = "led_by_committee_head",
        /// A drill other units came to watch (观摩).
        Observed = "observed",
        /// A meeting of all member units of the committee (全体成员会议).
        Plenary = "plenary",
        /// A meeting the committee's head attended (专委会主任参加).
        HeadAttends = "head_attends",
        /// A training for the enterprises of the unit's own sector or system (本系统本行业企业).
        ForSectorEnterprises = "for_sector_enterprises",
        /// A training for grid workers (网格员培训).
        ForGridWorkers = "for_grid_workers",
        /// Duty lists of the leadership tiers: leader in charge and other leaders (班子成员清单).
        LeadersLists = "leaders_lists",
        /// Duty lists of the section tier: the sections' task division (内部科室任务分工).
        SectionDivision = "section_division",
        /// Dated inside one of the campaign's sensitive periods (敏感时间节点).
        InSensitivePeriod = "in_sensitive_period",
    }
);

impl Filter {
    /// Whether the filter means something for records of `kind`.
    pub fn applies_to(self, kind: RecordKind) -> bool {
        use Filter as F;
        use RecordKind as K;
        match self {
            F::LedByUnitLeader | F::LedByCommitteeHead => kind.is_inspection(),
            F::Observed => kind == K::Drill,
            F::Plenary | F::HeadAttends => matches!(kind, K::CommitteeMeeting | K::SpecialMeeting),
            F::ForSectorEnterprises | F::ForGridWorkers => kind == K::Training,
            F::LeadersLists | F::SectionDivision => kind == K::DutyListPublished,
            F::InSensitivePeriod => true,
        }
    }
}

vocabulary!(
    /// What a record must satisfy to count towards a share.
    Condition {
        /// A transferred case taken up at once and handled within 24 hours of the transfer
        /// (立即承办, 处置时间不超过24小时).
        HandledWithin24h = "handled_within_24h",
        /// The principal, the safety manager and key frontline staff were quizzed on their
        /// duties and the main risks during the visit (逢查必考).
        QuizzedKeyPeople = "quizzed_key_people",
        /// The inspection's plan, problem list and site photos are archived (检查方案、问题清单及现场照片存档).
        ArchivedWithEvidence = "archived_with_evidence",
        /// The enterprise's "1+N" ledger is set up: base record complete, topical ledgers opened.
        LedgerEstablished = "ledger_established",
        /// The person signed the current list of their new post within the grace period (动态调整).
        SignedWithinGrace = "signed_within_grace",
        /// The list raised no fit-check finding: not the same as other tiers, every item with a
        /// basis (履行适用).
        FitCheckClear = "fit_check_clear",
        /// The hazard was rectified, accepted and closed by its deadline (闭环).
        ClosedOnTime = "closed_on_time",
    }
);

impl Condition {
    /// Whether the condition means something for records of `kind`.
    pub fn applies_to(self, kind: RecordKind) -> bool {
        use Condition as C;
        use RecordKind as K;
        match self {
            C::HandledWithin24h => kind == K::CaseTransfer,
            C::QuizzedKeyPeople => kind.is_inspection(),
            C::ArchivedWithEvidence => kind.is_inspection(),
            C::LedgerEstablished => kind == K::Ledger,
            C::SignedWithinGrace => kind == K::PostChange,
            C::FitCheckClear => kind == K::DutyListPublished,
            C::ClosedOnTime => kind == K::Hazard,
        }
    }
}

vocabulary!(
    /// The metric's name as spelt in a campaign file.
    MetricName {
        /// Count the records of a kind, optionally filtered.
        Count = "count",
        /// The share of records of a kind that meet a condition (0 to 1).
        Share = "share",
        /// A record of a kind exists by the due date.
        ExistsBy = "exists_by",
        /// The number of people in posts of a tier in the subject.
        StaffInPost = "staff_in_post",
        /// The duty-list coverage ratio: people who signed their current lists ÷ people.
        Coverage = "coverage",
        /// A record of one kind followed, on the same day or later, by a record of another.
        InOrder = "in_order",
    }
);

/// How progress is judged before the due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pace {
    /// Records accumulate: behind the pro rata share of elapsed time is at risk.
    ProRata,
    /// One thing must be in place by the due date: only the warning window puts it at risk.
    Deadline,
    /// A level that holds or not at any moment (a share): below it is at risk at once.
    Level,
}

/// One metric with its typed parameters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "metric")]
pub enum Metric {
    /// Records of `record` that pass every filter, dated in the period.
    Count { record: RecordKind, filters: Vec<Filter> },
    /// Of the records of `record` that pass every filter, the share meeting `condition`. No
    /// records at all is a share of 1: nothing was handled late.
    Share { record: RecordKind, condition: Condition, filters: Vec<Filter> },
    /// At least `threshold` (by default one) records of `record` by the due date.
    ExistsBy { record: RecordKind, filters: Vec<Filter> },
    /// People holding posts of tier `role` in the subject on the day looked at.
    StaffInPost { role: PostTier },
    /// The subject's duty-list coverage ratio on the day looked at.
    Coverage,
    /// A record of `first`, then a record of `then` (passing `filters`) dated on the same day
    /// or later, both in the period.
    InOrder { first: RecordKind, then: RecordKind, filters: Vec<Filter> },
}

impl Metric {
    pub fn name(&self) -> MetricName {
        match self {
            Self::Count { .. } => MetricName::Count,
            Self::Share { .. } => MetricName::Share,
            Self::ExistsBy { .. } => MetricName::ExistsBy,
            Self::StaffInPost { .. } => MetricName::StaffInPost,
            Self::Coverage => MetricName::Coverage,
            Self::InOrder { .. } => MetricName::InOrder,
        }
    }

    pub fn pace(&self) -> Pace {
        match self {
            Self::Count { .. } => Pace::ProRata,
            Self::ExistsBy { .. } | Self::InOrder { .. } | Self::StaffInPost { .. } | Self::Coverage => Pace::Deadline,
            Self::Share { .. } => Pace::Level,
        }
    }

    /// Whether the threshold is a ratio in (0, 1] rather than a whole number of records or people.
    pub fn is_ratio(&self) -> bool {
        matches!(self, Self::Share { .. } | Self::Coverage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_round_trip_and_refuse_strangers() {
        for k in RecordKind::ALL {
            assert_eq!(RecordKind::parse(k.as_str()), Some(*k));
        }
        for f in Filter::ALL {
            assert_eq!(Filter::parse(f.as_str()), Some(*f));
        }
        for c in Condition::ALL {
            assert_eq!(Condition::parse(c.as_str()), Some(*c));
        }
        for m in MetricName::ALL {
            assert_eq!(MetricName::parse(m.as_str()), Some(*m));
        }
        assert_eq!(RecordKind::parse("covert_inspections"), None);
        assert_eq!(MetricName::parse("cuont"), None);
        assert_eq!(serde_json::to_string(&RecordKind::CaseTransfer).ok().as_deref(), Some("\"case_transfer\""));
    }

    #[test]
    fn filters_and_conditions_know_their_records() {
        assert!(Filter::Observed.applies_to(RecordKind::Drill));
        assert!(!Filter::Observed.applies_to(RecordKind::Training));
        assert!(Filter::LedByUnitLeader.applies_to(RecordKind::CovertInspection));
        assert!(!Filter::LedByUnitLeader.applies_to(RecordKind::Pledge));
        assert!(Condition::HandledWithin24h.applies_to(RecordKind::CaseTransfer));
        assert!(!Condition::HandledWithin24h.applies_to(RecordKind::Hazard));
        assert!(Condition::QuizzedKeyPeople.applies_to(RecordKind::EnforcementInspection));
    }

    #[test]
    fn each_metric_has_its_pace() {
        let count = Metric::Count { record: RecordKind::CovertInspection, filters: vec![] };
        assert_eq!((count.name(), count.pace(), count.is_ratio()), (MetricName::Count, Pace::ProRata, false));
        let share = Metric::Share { record: RecordKind::CaseTransfer, condition: Condition::HandledWithin24h, filters: vec![] };
        assert_eq!((share.pace(), share.is_ratio()), (Pace::Level, true));
        assert_eq!(Metric::Coverage.pace(), Pace::Deadline);
        assert!(Metric::Coverage.is_ratio());
    }
}
