//! Industries: GB/T 4754-2017 codes (the divisions and groups that matter for safety
//! supervision) and the high-risk groups the notice names.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HighRiskGroup {
    Mining,
    HazardousChemicals,
    Fireworks,
    Metallurgy,
    Transport,
    Construction,
    CivilExplosives,
    Gas,
}

impl HighRiskGroup {
    pub const ALL: [HighRiskGroup; 8] = [
        Self::Mining,
        Self::HazardousChemicals,
        Self::Fireworks,
        Self::Metallurgy,
        Self::Transport,
        Self::Construction,
        Self::CivilExplosives,
        Self::Gas,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mining => "mining",
            Self::HazardousChemicals => "hazardous_chemicals",
            Self::Fireworks => "fireworks",
            Self::Metallurgy => "metallurgy",
            Self::Transport => "transport",
            Self::Construction => "construction",
            Self::CivilExplosives => "civil_explosives",
            Self::Gas => "gas",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Industry {
    /// GB/T 4754 code: a letter section, or its two-digit division / three-digit group.
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub high_risk: Option<HighRiskGroup>,
}

const fn ind(code: &'static str, name_zh: &'static str, name_en: &'static str, high_risk: Option<HighRiskGroup>) -> Industry {
    Industry { code, name_zh, name_en, high_risk }
}

use HighRiskGroup as G;

/// The catalogue used for enterprises and for departments' supervised industries.
pub const INDUSTRIES: &[Industry] = &[
    ind("06", "煤炭开采和洗选业", "Coal mining", Some(G::Mining)),
    ind("08", "黑色金属矿采选业", "Ferrous metal mining", Some(G::Mining)),
    ind("09", "有色金属矿采选业", "Non-ferrous metal mining", Some(G::Mining)),
    ind("10", "非金属矿采选业", "Non-metallic mineral mining", Some(G::Mining)),
    ind("13", "农副食品加工业", "Agri-food processing", None),
    ind("17", "纺织业", "Textiles", None),
    ind("20", "木材加工和木、竹、藤、棕、草制品业", "Wood products", None),
    ind("25", "石油、煤炭及其他燃料加工业", "Petroleum and coal processing", Some(G::HazardousChemicals)),
    ind("26", "化学原料和化学制品制造业", "Chemical products", Some(G::HazardousChemicals)),
    ind("267", "炸药、火工及焰火产品制造", "Explosives and fireworks manufacture", Some(G::Fireworks)),
    ind("2671", "炸药及火工产品制造", "Civil explosives manufacture", Some(G::CivilExplosives)),
    ind("2672", "焰火、鞭炮产品制造", "Fireworks and firecrackers", Some(G::Fireworks)),
    ind("27", "医药制造业", "Pharmaceuticals", None),
    ind("30", "非金属矿物制品业", "Non-metallic mineral products", None),
    ind("31", "黑色金属冶炼和压延加工业", "Ferrous metal smelting", Some(G::Metallurgy)),
    ind("32", "有色金属冶炼和压延加工业", "Non-ferrous metal smelting", Some(G::Metallurgy)),
    ind("33", "金属制品业", "Metal products", None),
    ind("34", "通用设备制造业", "General machinery", None),
    ind("36", "汽车制造业", "Automobiles", None),
    ind("38", "电气机械和器材制造业", "Electrical machinery", None),
    ind("44", "电力、热力生产和供应业", "Power and heat supply", None),
    ind("45", "燃气生产和供应业", "Gas production and supply", Some(G::Gas)),
    ind("47", "房屋建筑业", "Building construction", Some(G::Construction)),
    ind("48", "土木工程建筑业", "Civil engineering", Some(G::Construction)),
    ind("50", "建筑装饰、装修和其他建筑业", "Building decoration", Some(G::Construction)),
    ind("51", "批发业", "Wholesale", None),
    ind("5165", "危险化学品批发", "Hazardous chemicals wholesale", Some(G::HazardousChemicals)),
    ind("52", "零售业", "Retail", None),
    ind("5265", "机动车燃油零售", "Fuel retail", Some(G::HazardousChemicals)),
    ind("54", "道路运输业", "Road transport", Some(G::Transport)),
    ind("5430", "道路货物运输", "Road freight", Some(G::Transport)),
    ind("59", "装卸搬运和仓储业", "Warehousing", None),
    ind("61", "住宿业", "Accommodation", None),
    ind("62", "餐饮业", "Catering", None),
    ind("72", "商务服务业", "Business services", None),
    ind("80", "居民服务业", "Residential services", None),
];

pub fn industry(code: &str) -> Option<&'static Industry> {
    INDUSTRIES.iter().find(|i| i.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_high_risk_group_has_an_industry() {
        for g in HighRiskGroup::ALL {
            assert!(INDUSTRIES.iter().any(|i| i.high_risk == Some(g)), "{g:?}");
        }
        assert_eq!(industry("26").map(|i| i.high_risk), Some(Some(HighRiskGroup::HazardousChemicals)));
        assert!(industry("99").is_none());
    }

    #[test]
    fn codes_are_unique() {
        let mut codes: Vec<_> = INDUSTRIES.iter().map(|i| i.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), INDUSTRIES.len());
    }
}
