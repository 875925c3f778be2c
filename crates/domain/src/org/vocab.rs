//! The closed vocabularies of organisations and people (`crate::vocabulary`).

use crate::vocabulary::vocabulary;

vocabulary!(
    /// Every kind of organisation in the glossary.
    OrgKind {
        SafetyCommittee = "safety_committee",
        CommitteeOffice = "committee_office",
        SpecialCommittee = "special_committee",
        Department = "department",
        TownshipOffice = "township_office",
        Enterprise = "enterprise",
        Insurer = "insurer",
        ExpertBody = "expert_body",
    }
);

impl OrgKind {
    pub fn is_government(self) -> bool {
        matches!(self, Self::SafetyCommittee | Self::CommitteeOffice | Self::SpecialCommittee | Self::Department | Self::TownshipOffice)
    }
}

vocabulary!(
    /// The eight enterprise tiers of the Shandong regulation, then the government posts.
    PostTier {
        Principal = "principal",
        SafetyDirector = "safety_director",
        OtherDeputy = "other_deputy",
        SafetyManager = "safety_manager",
        FunctionHead = "function_head",
        WorkshopHead = "workshop_head",
        TeamLeader = "team_leader",
        Worker = "worker",
        LeaderInCharge = "leader_in_charge",
        OtherLeader = "other_leader",
        Section = "section",
        Staff = "staff",
        Liaison = "liaison",
    }
);

impl PostTier {
    pub fn is_enterprise_tier(self) -> bool {
        !self.is_government_post()
    }
    pub fn is_government_post(self) -> bool {
        matches!(self, Self::LeaderInCharge | Self::OtherLeader | Self::Section | Self::Staff | Self::Liaison)
    }
    /// Whether a post of this tier may be held in an organisation of `kind`.
    pub fn fits(self, kind: OrgKind) -> bool {
        if kind == OrgKind::Enterprise { self.is_enterprise_tier() } else { self.is_government_post() || !kind.is_government() }
    }
}

vocabulary!(
    /// 红/橙/黄/蓝 risk grading.
    RiskLevel { Red = "red", Orange = "orange", Yellow = "yellow", Blue = "blue" }
);

vocabulary!(
    /// Classified supervision (分级分类监管) A (key) to D.
    SupervisionClass { A = "a", B = "b", C = "c", D = "d" }
);

vocabulary!(
    /// The eight special hazardous-work kinds of GB 30871.
    HazardousWorkKind {
        Hot = "hot",
        ConfinedSpace = "confined_space",
        Blinding = "blinding",
        Height = "height",
        Lifting = "lifting",
        TemporaryPower = "temporary_power",
        Excavation = "excavation",
        RoadBreak = "road_break",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for t in PostTier::ALL {
            assert_eq!(PostTier::parse(t.as_str()), Some(*t));
        }
        assert_eq!(PostTier::ALL.iter().filter(|t| t.is_enterprise_tier()).count(), 8);
        assert_eq!(OrgKind::parse("nope"), None);
        assert_eq!(RiskLevel::sql_list(), "'red','orange','yellow','blue'");
    }

    #[test]
    fn tiers_fit_their_organisations() {
        assert!(PostTier::Worker.fits(OrgKind::Enterprise));
        assert!(!PostTier::Worker.fits(OrgKind::Department));
        assert!(PostTier::LeaderInCharge.fits(OrgKind::TownshipOffice));
        assert!(!PostTier::LeaderInCharge.fits(OrgKind::Enterprise));
    }
}
