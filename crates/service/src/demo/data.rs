//! Pure generator of the demo city (no I/O). See the types below.
//!
//! Every draw comes from a `ChaCha8Rng` seeded from the caller's seed (and, for staff, the
//! enterprise or organisation index), with integer arithmetic only, so equal inputs give equal
//! output on every platform. ID numbers and phones are unique by construction (see `IdSpace`),
//! so `enterprise_staff` needs no state shared between calls.
use std::collections::HashSet;
use std::sync::OnceLock;

use anze_domain::org::{
    CreditCode, HazardousWorkKind, HighRiskGroup, INDUSTRIES, Industry, OrgKind, PostTier, RiskLevel, SupervisionClass, TownshipKind,
    id_number_check_char,
};
use chrono::{Datelike, Months, NaiveDate};
use rand::distributions::{Distribution, WeightedIndex};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// A few hundred enterprises with their staff (the default).
    Small,
    /// 50 000 enterprises and about 1 000 000 staff (benchmarks).
    City,
}

#[derive(Debug, Clone)]
pub struct DemoRegion {
    /// GB/T 2260 code (6, 9, 12 digits) or a 15-digit grid code.
    pub code: String,
    pub name: String,
    pub township_kind: Option<TownshipKind>,
}

#[derive(Debug, Clone)]
pub struct DemoOrg {
    /// Stable key unique in the city, e.g. "dept:emergency", "town:370983100".
    pub key: String,
    pub kind: OrgKind,
    pub name: String,
    pub region_code: String,
    pub parent_key: Option<String>,
}

#[derive(Debug, Clone)]
pub struct DemoDepartment {
    pub org: DemoOrg,
    /// GB/T 4754 codes from `anze_domain::org::INDUSTRIES` this department supervises.
    pub industries: Vec<&'static str>,
}

#[derive(Debug, Clone)]
pub struct DemoCommittee {
    pub org: DemoOrg,
    pub lead_key: String,
    pub member_keys: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct DemoEnterprise {
    pub name: String,
    pub region_code: String,
    pub grid_code: String,
    pub credit_code: String,
    pub industry_code: &'static str,
    pub address: String,
    pub legal_representative: String,
    pub principal_name: String,
    pub principal_phone: String,
    pub safety_director_name: Option<String>,
    pub headcount: u32,
    pub risk_level: RiskLevel,
    pub supervision_class: SupervisionClass,
    pub major_hazard_source: bool,
    pub hazardous_work_kinds: Vec<HazardousWorkKind>,
    pub liability_insurance: bool,
}

#[derive(Debug, Clone)]
pub struct DemoPerson {
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub tier: PostTier,
    pub post_title: String,
    pub unit_name: Option<String>,
    pub start_date: NaiveDate,
}

#[derive(Debug, Clone)]
pub struct DemoCity {
    pub regions: Vec<DemoRegion>,
    /// Committee, committee office, township offices, insurers, expert bodies.
    pub organisations: Vec<DemoOrg>,
    pub departments: Vec<DemoDepartment>,
    pub committees: Vec<DemoCommittee>,
    pub enterprises: Vec<DemoEnterprise>,
}

pub fn city(scale: Scale, seed: u64) -> DemoCity {
    let mut rng = ChaCha8Rng::seed_from_u64(mix(seed, SALT_CITY));
    let geo = build_geo(scale, &mut rng);
    let enterprises = build_enterprises(scale, seed, &geo, &mut rng);
    DemoCity {
        regions: geo.regions,
        organisations: build_organisations(),
        departments: build_departments(),
        committees: build_committees(),
        enterprises,
    }
}

/// The staff of enterprise number `index` of its city: exactly `e.headcount` people.
///
/// ID numbers are unique across a city as long as `index < ENTERPRISE_LIMIT` and every headcount
/// is at most `MAX_HEADCOUNT` (both hold for `city`); see `IdSpace`.
pub fn enterprise_staff(e: &DemoEnterprise, index: usize, seed: u64) -> Vec<DemoPerson> {
    let mut rng = ChaCha8Rng::seed_from_u64(mix(mix(seed, SALT_STAFF), index as u64));
    let cat = category(e.industry_code);
    let plan = staff_plan(e, cat, &mut rng);
    let index = index as u64;
    let (mut leaders, mut others) = (0u64, 0u64);
    let mut people = Vec::with_capacity(plan.len());
    for post in plan {
        let (space, slot) = if is_leader_band(post.tier) {
            debug_assert!(leaders < LEADER_SLOTS, "staff_plan bounds the leader band");
            leaders += 1;
            (&LEADERS, index * LEADER_SLOTS + leaders - 1)
        } else {
            others += 1;
            worker_slot(index, others - 1)
        };
        let (id_number, birth) = space.id(seed, slot);
        let (name, phone) = match post.tier {
            PostTier::Principal => (e.principal_name.clone(), e.principal_phone.clone()),
            PostTier::SafetyDirector => {
                (e.safety_director_name.clone().unwrap_or_else(|| person_name(&mut rng)), phone_number(seed, space.tag, slot))
            }
            _ => (person_name(&mut rng), phone_number(seed, space.tag, slot)),
        };
        let start_date = start_date(&mut rng, birth);
        people.push(DemoPerson { name, id_number, phone, tier: post.tier, post_title: post.title, unit_name: post.unit, start_date });
    }
    people
}

/// The safety posts of a department, township office or the committee office; empty for other
/// kinds. ID numbers come from their own block, disjoint from enterprise staff.
pub fn government_staff(org: &DemoOrg, index: usize, seed: u64) -> Vec<DemoPerson> {
    let ordinal = government_ordinal(org, index);
    let mut rng = ChaCha8Rng::seed_from_u64(mix(mix(seed, SALT_GOV), ordinal));
    let plan = match org.kind {
        OrgKind::Department => department_plan(org, &mut rng),
        OrgKind::TownshipOffice => township_plan(org, &mut rng),
        OrgKind::CommitteeOffice => committee_office_plan(),
        _ => return Vec::new(),
    };
    plan.into_iter()
        .enumerate()
        .map(|(pos, post)| {
            let slot = ordinal * GOV_SLOTS + pos as u64;
            let (id_number, birth) = GOVERNMENT.id(seed, slot);
            DemoPerson {
                name: person_name(&mut rng),
                id_number,
                phone: phone_number(seed, GOVERNMENT.tag, slot),
                tier: post.tier,
                post_title: post.title,
                unit_name: post.unit,
                start_date: start_date(&mut rng, birth),
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Seeds

const SALT_CITY: u64 = 0x6369_7479;
const SALT_STAFF: u64 = 0x0073_7461_6666;
const SALT_GOV: u64 = 0x0067_6f76;
const SALT_PHONE: u64 = 0x0070_686f_6e65;

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub(crate) fn mix(a: u64, b: u64) -> u64 {
    splitmix(a ^ splitmix(b))
}

// ---------------------------------------------------------------------------------------------
// Regions

const PROVINCE: &str = "370000";
const PREFECTURE: &str = "370900";
const COUNTY: &str = "370983";

/// The real streets, towns and the two zones of 肥城市.
const TOWNSHIPS: [(&str, &str, TownshipKind); 16] = [
    ("370983001", "新城街道", TownshipKind::Street),
    ("370983002", "老城街道", TownshipKind::Street),
    ("370983003", "王瓜店街道", TownshipKind::Street),
    ("370983004", "仪阳街道", TownshipKind::Street),
    ("370983100", "潮泉镇", TownshipKind::Town),
    ("370983101", "桃园镇", TownshipKind::Town),
    ("370983102", "王庄镇", TownshipKind::Town),
    ("370983103", "湖屯镇", TownshipKind::Town),
    ("370983104", "石横镇", TownshipKind::Town),
    ("370983105", "安临站镇", TownshipKind::Town),
    ("370983106", "孙伯镇", TownshipKind::Town),
    ("370983107", "安驾庄镇", TownshipKind::Town),
    ("370983108", "汶阳镇", TownshipKind::Town),
    ("370983109", "边院镇", TownshipKind::Town),
    ("370983400", "高新区", TownshipKind::Zone),
    ("370983401", "经开区", TownshipKind::Zone),
];

const VILLAGE_SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "孙", "徐", "马", "高", "朱", "于", "董", "胡", "郭", "吴", "宋", "尹", "侯", "孟", "石",
    "袁", "许", "韩", "冯", "程", "曹", "田", "崔", "范", "贾", "魏", "薛", "鲁", "颜", "房", "邢",
];
const VILLAGE_SUFFIXES: &[&str] = &[
    "庄", "家庄", "家楼", "家寨", "家岭", "家峪", "家洼", "家河", "官庄", "店", "屯", "家疃", "庄子", "家院", "家林", "家坡", "家埠", "集",
];
const DIRECTIONS: &[&str] = &["东", "西", "南", "北", "前", "后", "大", "小", "上", "下"];
const VILLAGE_PLACES: &[&str] = &[
    "鱼山",
    "黄山",
    "栲山",
    "凤凰",
    "石坞",
    "岈山",
    "陶山",
    "牛山",
    "白庄",
    "夏辉",
    "东坞",
    "西坞",
    "下寨",
    "上庄",
    "河西",
    "河东",
    "沙沟",
    "柳沟",
    "枣园",
    "杏园",
    "梨园",
    "槐树",
    "柳树",
    "松林",
    "石门",
    "红山",
    "青石",
    "泉沟",
    "大辛",
    "小辛",
    "南栾",
    "北栾",
    "桃花峪",
    "响水湾",
    "龙泉",
    "马埠",
    "花园",
    "孔庄",
    "演马",
    "尚庄",
];
const COMMUNITY_STEMS: &[&str] = &[
    "龙山", "凤山", "白云", "新华", "泰和", "佛桃", "桃都", "汇阳", "阳光", "和平", "文化", "金桥", "兴隆", "幸福", "花园", "向阳", "育才",
    "康乐", "嘉禾", "润泽", "锦绣", "长山", "仪阳", "泰西", "湖光", "明珠", "翠园", "书香", "安和", "东湖", "西湖", "东关", "西关", "南关",
    "北关", "城东", "城西", "城南", "城北", "滨河", "盛世", "瑞园", "丽景", "颐和", "金山", "永安", "福安", "同心", "振兴", "康汇",
];
const COMMUNITY_VARIANTS: &[&str] = &["", "", "", "东", "西", "南", "北", "新"];

struct Village {
    code: String,
    name: String,
    township: usize,
}

struct Grid {
    code: String,
    village: usize,
}

struct Geo {
    regions: Vec<DemoRegion>,
    villages: Vec<Village>,
    grids: Vec<Grid>,
}

fn region(code: &str, name: &str, township_kind: Option<TownshipKind>) -> DemoRegion {
    DemoRegion { code: code.to_string(), name: name.to_string(), township_kind }
}

fn build_geo(scale: Scale, rng: &mut ChaCha8Rng) -> Geo {
    let mut regions = vec![region(PROVINCE, "山东省", None), region(PREFECTURE, "泰安市", None), region(COUNTY, "肥城市", None)];
    let (mut villages, mut grids) = (Vec::new(), Vec::new());
    let mut used = HashSet::new();
    for (t, &(code, name, kind)) in TOWNSHIPS.iter().enumerate() {
        regions.push(region(code, name, Some(kind)));
        let village_count = match scale {
            Scale::Small => rng.gen_range(3..=6),
            Scale::City => rng.gen_range(25..=45),
        };
        // Percent of communities (社区) among the township's villages.
        let community_share = match kind {
            TownshipKind::Street => 75,
            TownshipKind::Zone => 40,
            TownshipKind::Town => 12,
        };
        // Statistical codes: 001.. for residents' committees, 201.. for villagers' committees.
        let (mut next_community, mut next_village) = (1, 201);
        for _ in 0..village_count {
            let (number, village_name) = if rng.gen_range(0..100) < community_share {
                next_community += 1;
                (next_community - 1, unique_place(rng, &mut used, community_stem, "社区"))
            } else {
                next_village += 1;
                (next_village - 1, unique_place(rng, &mut used, village_stem, "村"))
            };
            let village_code = format!("{code}{number:03}");
            regions.push(region(&village_code, &village_name, None));
            let grid_count = match scale {
                Scale::Small => rng.gen_range(1..=3),
                Scale::City => rng.gen_range(2..=4),
            };
            for g in 1..=grid_count {
                let grid_code = format!("{village_code}{g:03}");
                regions.push(region(&grid_code, &format!("第{g}网格"), None));
                grids.push(Grid { code: grid_code, village: villages.len() });
            }
            villages.push(Village { code: village_code, name: village_name, township: t });
        }
    }
    Geo { regions, villages, grids }
}

fn village_stem(rng: &mut ChaCha8Rng) -> String {
    let base = if rng.gen_range(0..100) < 70 {
        format!("{}{}", pick(rng, VILLAGE_SURNAMES), pick(rng, VILLAGE_SUFFIXES))
    } else {
        pick(rng, VILLAGE_PLACES).to_string()
    };
    if rng.gen_range(0..100) < 25 { format!("{}{base}", pick(rng, DIRECTIONS)) } else { base }
}

fn community_stem(rng: &mut ChaCha8Rng) -> String {
    format!("{}{}", pick(rng, COMMUNITY_STEMS), pick(rng, COMMUNITY_VARIANTS))
}

/// A place name not used before in the city; numbered ("王庄二村") once the pools run dry.
fn unique_place(rng: &mut ChaCha8Rng, used: &mut HashSet<String>, stem: fn(&mut ChaCha8Rng) -> String, suffix: &str) -> String {
    for _ in 0..64 {
        let name = format!("{}{suffix}", stem(rng));
        if used.insert(name.clone()) {
            return name;
        }
    }
    let base = stem(rng);
    (2..)
        .map(|k| format!("{base}{}{suffix}", chinese_number(k)))
        .find(|name| used.insert(name.clone()))
        .expect("an unbounded range always yields an unused name")
}

// ---------------------------------------------------------------------------------------------
// Organisations, departments, special committees

fn org(key: &str, kind: OrgKind, name: &str, region_code: &str, parent_key: Option<&str>) -> DemoOrg {
    DemoOrg {
        key: key.to_string(),
        kind,
        name: name.to_string(),
        region_code: region_code.to_string(),
        parent_key: parent_key.map(str::to_string),
    }
}

fn build_organisations() -> Vec<DemoOrg> {
    let mut orgs = vec![
        org("committee", OrgKind::SafetyCommittee, "肥城市安全生产委员会", COUNTY, None),
        org("committee_office", OrgKind::CommitteeOffice, "肥城市安委会办公室", COUNTY, Some("committee")),
    ];
    for (code, name, kind) in TOWNSHIPS {
        let office = match kind {
            TownshipKind::Town => format!("{name}人民政府"),
            TownshipKind::Street => format!("{name}办事处"),
            TownshipKind::Zone => format!("{name}管委会"),
        };
        orgs.push(org(&format!("town:{code}"), OrgKind::TownshipOffice, &office, code, None));
    }
    orgs.extend([
        org("insurer:picc", OrgKind::Insurer, "中国人民财产保险股份有限公司肥城支公司", COUNTY, None),
        org("insurer:cic", OrgKind::Insurer, "中华联合财产保险股份有限公司肥城支公司", COUNTY, None),
        org("expert:pool", OrgKind::ExpertBody, "肥城市安全生产专家库", COUNTY, None),
        org("expert:hazchem", OrgKind::ExpertBody, "肥城市危险化学品安全专家组", COUNTY, None),
    ]);
    orgs
}

struct DeptSpec {
    key: &'static str,
    name: &'static str,
    /// The section that handles safety work.
    section: &'static str,
    industries: &'static [&'static str],
}

const DEPTS: &[DeptSpec] = &[
    DeptSpec {
        key: "emergency",
        name: "应急管理局",
        section: "安全生产综合协调科",
        industries: &[
            "06", "08", "09", "10", "13", "17", "20", "25", "26", "267", "2671", "2672", "27", "30", "31", "32", "33", "34", "36", "38",
            "5165", "5265",
        ],
    },
    DeptSpec { key: "housing", name: "住房和城乡建设局", section: "质量安全监督科", industries: &["45", "47", "48", "50"] },
    DeptSpec { key: "transport", name: "交通运输局", section: "安全监督科", industries: &["48", "54", "5430", "59"] },
    DeptSpec { key: "market", name: "市场监督管理局", section: "特种设备安全监察科", industries: &["13", "27", "62"] },
    DeptSpec { key: "enforcement", name: "综合行政执法局", section: "安全生产科", industries: &["45", "62"] },
    DeptSpec { key: "police", name: "公安局", section: "治安管理大队", industries: &["2671", "54", "5430"] },
    DeptSpec { key: "fire", name: "消防救援大队", section: "防火监督科", industries: &["52", "61", "62", "72", "80"] },
    DeptSpec {
        key: "industry",
        name: "工业和信息化局",
        section: "安全生产科",
        industries: &["17", "20", "2671", "30", "31", "32", "33", "34", "36", "38", "44"],
    },
    DeptSpec {
        key: "resources", name: "自然资源和规划局", section: "矿产资源管理科", industries: &["06", "08", "09", "10"]
    },
    DeptSpec {
        key: "commerce", name: "商务局", section: "安全生产科", industries: &["51", "52", "5165", "5265", "59", "61", "62"]
    },
    DeptSpec { key: "education", name: "教育和体育局", section: "安全管理科", industries: &[] },
    DeptSpec { key: "health", name: "卫生健康局", section: "职业健康科", industries: &["27", "61", "80"] },
    DeptSpec { key: "agriculture", name: "农业农村局", section: "安全生产科", industries: &["13"] },
    DeptSpec { key: "water", name: "水利局", section: "安全生产科", industries: &["48"] },
    DeptSpec { key: "culture", name: "文化和旅游局", section: "安全生产科", industries: &["61", "72"] },
    DeptSpec { key: "development", name: "发展和改革局", section: "能源科", industries: &["44", "45"] },
];

fn build_departments() -> Vec<DemoDepartment> {
    DEPTS
        .iter()
        .map(|d| DemoDepartment {
            org: org(&format!("dept:{}", d.key), OrgKind::Department, &format!("肥城市{}", d.name), COUNTY, None),
            industries: d.industries.to_vec(),
        })
        .collect()
}

/// (key, name, lead department, member departments).
const COMMITTEES: &[(&str, &str, &str, &[&str])] = &[
    ("hazchem", "危险化学品安全专业委员会", "emergency", &["fire", "police", "transport", "market", "industry", "commerce"]),
    ("road", "道路交通安全专业委员会", "police", &["transport", "education", "housing", "agriculture", "emergency"]),
    ("construction", "建设工程安全专业委员会", "housing", &["transport", "water", "resources", "enforcement", "emergency"]),
    ("fire", "消防安全专业委员会", "fire", &["housing", "education", "health", "commerce", "culture", "market"]),
    ("industry", "工贸行业安全专业委员会", "emergency", &["industry", "market", "commerce", "fire"]),
    ("gas", "城镇燃气安全专业委员会", "housing", &["enforcement", "market", "emergency", "police", "fire"]),
    ("mining", "非煤矿山安全专业委员会", "emergency", &["resources", "police", "industry"]),
];

fn build_committees() -> Vec<DemoCommittee> {
    COMMITTEES
        .iter()
        .map(|&(key, name, lead, members)| DemoCommittee {
            org: org(&format!("sc:{key}"), OrgKind::SpecialCommittee, &format!("肥城市{name}"), COUNTY, Some("committee")),
            lead_key: format!("dept:{lead}"),
            member_keys: members.iter().map(|m| format!("dept:{m}")).collect(),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Industries

/// Coarse sector used for names, titles and hazardous work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cat {
    Mining,
    Chemical,
    HazTrade,
    FuelRetail,
    Explosive,
    Metallurgy,
    Manufacturing,
    Power,
    Gas,
    Construction,
    Transport,
    Warehouse,
    Trade,
    Hospitality,
    Services,
}

fn category(code: &str) -> Cat {
    match code {
        "06" | "08" | "09" | "10" => Cat::Mining,
        "25" | "26" => Cat::Chemical,
        "5165" => Cat::HazTrade,
        "5265" => Cat::FuelRetail,
        "267" | "2671" | "2672" => Cat::Explosive,
        "31" | "32" => Cat::Metallurgy,
        "44" => Cat::Power,
        "45" => Cat::Gas,
        "47" | "48" | "50" => Cat::Construction,
        "54" | "5430" => Cat::Transport,
        "59" => Cat::Warehouse,
        "51" | "52" => Cat::Trade,
        "61" | "62" => Cat::Hospitality,
        "72" | "80" => Cat::Services,
        _ => Cat::Manufacturing,
    }
}

/// Relative frequency (about per mille) of each industry among the city's enterprises.
fn base_weight(code: &str) -> u32 {
    match code {
        "06" | "08" | "2672" => 2,
        "09" | "267" | "2671" => 1,
        "10" | "44" => 6,
        "13" => 55,
        "17" => 30,
        "20" | "48" | "59" => 25,
        "25" => 3,
        "26" => 22,
        "27" | "45" | "5165" => 8,
        "30" => 45,
        "31" | "32" => 5,
        "33" | "51" => 80,
        "34" => 70,
        "36" => 20,
        "38" | "5430" | "61" => 35,
        "47" | "50" => 40,
        "52" => 120,
        "5265" => 14,
        "54" => 15,
        "62" => 110,
        "72" => 50,
        "80" => 60,
        _ => 10,
    }
}

/// How much more common a sector is in a kind of township (mines and fireworks only in towns).
fn township_factor(cat: Cat, kind: TownshipKind) -> u32 {
    use TownshipKind::{Street, Town, Zone};
    match (cat, kind) {
        (Cat::Mining | Cat::Explosive, Town) => 10,
        (Cat::Mining | Cat::Explosive, _) => 0,
        (Cat::Metallurgy, Street) => 0,
        (Cat::Metallurgy, _) => 10,
        (Cat::Chemical, Town) => 6,
        (Cat::Chemical, Street) => 1,
        (Cat::Chemical, Zone) => 25,
        (Cat::Manufacturing | Cat::Power, Town) => 10,
        (Cat::Manufacturing | Cat::Power, Street) => 4,
        (Cat::Manufacturing | Cat::Power, Zone) => 25,
        (Cat::FuelRetail, Town) => 10,
        (Cat::FuelRetail, _) => 6,
        (Cat::Trade | Cat::Hospitality | Cat::Services, Town) => 8,
        (Cat::Trade | Cat::Hospitality | Cat::Services, Street) => 25,
        (Cat::Trade | Cat::Hospitality | Cat::Services, Zone) => 5,
        _ => 10,
    }
}

/// Words between the trade name and the legal form, fitting the industry.
fn trade_words(code: &str) -> &'static [&'static str] {
    match code {
        "06" => &["煤业", "矿业", "能源"],
        "08" => &["铁矿", "矿业"],
        "09" => &["矿业", "有色矿业"],
        "10" => &["矿业", "石料", "石材", "石膏", "盐化"],
        "13" => &["食品", "面粉", "粮油", "饲料", "桃业食品", "肉制品", "农产品"],
        "17" => &["纺织", "棉纺", "织造", "纺织科技", "无纺布"],
        "20" => &["木业", "板材", "木制品", "家具"],
        "25" => &["石化", "焦化", "能源化工"],
        "26" => &["化工", "化学", "精细化工", "新材料", "化肥", "生物化工"],
        "267" => &["烟花爆竹", "焰火"],
        "2671" => &["民爆器材", "民用爆破器材"],
        "2672" => &["烟花", "花炮", "烟花爆竹"],
        "27" => &["药业", "制药", "生物医药"],
        "30" => &["建材", "水泥", "陶瓷", "新型建材", "玻璃", "混凝土"],
        "31" => &["钢铁", "特钢", "钢管", "铸造"],
        "32" => &["铝业", "铜业", "金属材料"],
        "33" => &["金属制品", "钢结构", "五金", "铸件"],
        "34" => &["机械", "机械制造", "泵业", "重工", "机械设备"],
        "36" => &["汽车配件", "专用车", "汽车零部件"],
        "38" => &["电气", "电器", "电缆", "电力设备"],
        "44" => &["热力", "热电", "新能源", "供热"],
        "45" => &["燃气", "天然气", "液化气", "燃气能源"],
        "47" => &["建设工程", "建筑工程", "建筑安装工程", "建设"],
        "48" => &["路桥工程", "市政工程", "水利工程", "土木工程"],
        "50" => &["装饰工程", "装饰装修", "建筑装饰工程", "防水工程"],
        "51" => &["商贸", "贸易", "物资", "农资"],
        "5165" => &["化工贸易", "化工物资", "石化贸易"],
        "52" => &["商贸", "超市", "百货", "购物中心", "家电"],
        "5265" => &["石油", "加油站", "石化能源"],
        "54" => &["运输", "客运", "公交"],
        "5430" => &["物流", "运输", "货运", "危险货物运输"],
        "59" => &["仓储", "物流", "装卸"],
        "61" => &["酒店", "宾馆", "大酒店"],
        "62" => &["餐饮", "餐饮管理", "饭店"],
        "72" => &["物业管理", "企业管理", "人力资源", "旅行社"],
        "80" => &["家政服务", "洗浴服务", "保洁服务"],
        _ => &["实业", "科技"],
    }
}

// ---------------------------------------------------------------------------------------------
// Enterprises

const BRAND_CHARS: &str = "恒鑫泰瑞华金宏兴盛隆安康德福源达通信诚佳润丰永昌汇博宇成天新海中鲁正明嘉裕祥和力鼎凯豪星辰腾远晟旭益广富立科创众伟东阳桃岳龙凤锦荣聚航";
const ROADS: &[&str] = &[
    "龙山路",
    "长山街",
    "新城路",
    "泰临路",
    "向阳街",
    "凤山大街",
    "桃都大街",
    "白庄路",
    "孙伯路",
    "仪阳路",
    "王晋路",
    "泰西大街",
    "工业路",
    "开发区路",
    "创业路",
    "兴业路",
    "兴润路",
    "文化路",
    "建设路",
    "府前街",
    "站前路",
    "潮汶路",
    "汶阳路",
    "石横大街",
    "康王路",
    "春秋路",
];

fn build_enterprises(scale: Scale, seed: u64, geo: &Geo, rng: &mut ChaCha8Rng) -> Vec<DemoEnterprise> {
    let count = match scale {
        Scale::Small => 300,
        Scale::City => 50_000,
    };
    debug_assert!(count as u64 <= ENTERPRISE_LIMIT, "ID numbers are unique only below ENTERPRISE_LIMIT");
    let kinds = [TownshipKind::Street, TownshipKind::Town, TownshipKind::Zone];
    let industry_dists: Vec<WeightedIndex<u32>> = kinds
        .iter()
        .map(|&k| {
            let weights = INDUSTRIES.iter().map(|i| base_weight(i.code) * township_factor(category(i.code), k));
            WeightedIndex::new(weights).expect("every township kind has industries with positive weight")
        })
        .collect();
    let kind_of_grid = |g: usize| TOWNSHIPS[geo.villages[geo.grids[g].village].township].2;
    let kind_slot = |k: TownshipKind| kinds.iter().position(|&x| x == k).expect("all kinds listed");
    let grid_dist = WeightedIndex::new((0..geo.grids.len()).map(|g| match kind_of_grid(g) {
        TownshipKind::Zone => 3u32,
        TownshipKind::Street => 2,
        TownshipKind::Town => 1,
    }))
    .expect("the city has grids");
    let town_grids: Vec<usize> = (0..geo.grids.len()).filter(|&g| kind_of_grid(g) == TownshipKind::Town).collect();
    // One enterprise of each high-risk group first, then one per grid, then weighted draws.
    let forced: Vec<&'static Industry> = HighRiskGroup::ALL
        .iter()
        .map(|&g| {
            let options: Vec<&'static Industry> = INDUSTRIES.iter().filter(|i| i.high_risk == Some(g)).collect();
            *options.choose(rng).expect("every high-risk group has an industry")
        })
        .collect();
    let mut coverage: Vec<usize> = (0..geo.grids.len()).collect();
    coverage.shuffle(rng);

    let mut names = HashSet::with_capacity(count);
    let mut credit_codes = HashSet::with_capacity(count);
    let mut enterprises = Vec::with_capacity(count);
    for i in 0..count {
        let (grid_index, industry) = if i < forced.len() {
            (*town_grids.choose(rng).expect("肥城 has towns"), forced[i])
        } else {
            let g = coverage.get(i - forced.len()).copied().unwrap_or_else(|| grid_dist.sample(rng));
            (g, &INDUSTRIES[industry_dists[kind_slot(kind_of_grid(g))].sample(rng)])
        };
        let grid = &geo.grids[grid_index];
        let village = &geo.villages[grid.village];
        let township_name = TOWNSHIPS[village.township].1;
        let cat = category(industry.code);
        let high_risk = industry.high_risk.is_some();
        let headcount = draw_headcount(scale, rng);
        let name = enterprise_name(rng, industry.code, cat, headcount, &mut names);
        let credit_code = credit_code(rng, &mut credit_codes);
        let address = format!("{township_name}{}{}{}号", village.name, pick(rng, ROADS), rng.gen_range(1..=399));
        let legal_representative = person_name(rng);
        let principal_name = if rng.gen_range(0..100) < 85 { legal_representative.clone() } else { person_name(rng) };
        let principal_phone = phone_number(seed, LEADERS.tag, i as u64 * LEADER_SLOTS);
        let wants_director = if high_risk || headcount >= 30 { rng.gen_range(0..100) < 90 } else { rng.gen_range(0..100) < 8 };
        let safety_director_name = wants_director.then(|| {
            loop {
                let n = person_name(rng);
                if n != principal_name {
                    break n;
                }
            }
        });
        let major_hazard_source =
            matches!(industry.high_risk, Some(HighRiskGroup::HazardousChemicals | HighRiskGroup::Gas)) && rng.gen_range(0..100) < 10;
        let risk_level = risk_level(rng, high_risk, major_hazard_source);
        let supervision_class = supervision_class(rng, risk_level);
        let hazardous_work_kinds = hazardous_works(rng, cat);
        let liability_insurance = if high_risk { rng.gen_range(0..100) < 92 } else { rng.gen_range(0..100) < 20 };
        enterprises.push(DemoEnterprise {
            name,
            region_code: village.code.clone(),
            grid_code: grid.code.clone(),
            credit_code,
            industry_code: industry.code,
            address,
            legal_representative,
            principal_name,
            principal_phone,
            safety_director_name,
            headcount,
            risk_level,
            supervision_class,
            major_hazard_source,
            hazardous_work_kinds,
            liability_insurance,
        });
    }
    enterprises
}

/// Skewed headcounts from integer buckets: Small 5–60 (mean ≈ 25); City 3–1500 (mean ≈ 20).
fn draw_headcount(scale: Scale, rng: &mut ChaCha8Rng) -> u32 {
    const SMALL: [(u32, u32, u32); 4] = [(5, 14, 30), (15, 29, 35), (30, 44, 22), (45, 60, 13)];
    const CITY: [(u32, u32, u32); 6] = [(3, 9, 5000), (10, 19, 2900), (20, 49, 1550), (50, 99, 400), (100, 299, 125), (300, 1500, 25)];
    let buckets: &[(u32, u32, u32)] = match scale {
        Scale::Small => &SMALL,
        Scale::City => &CITY,
    };
    let dist = WeightedIndex::new(buckets.iter().map(|b| b.2)).expect("positive weights");
    let (lo, hi, _) = buckets[dist.sample(rng)];
    rng.gen_range(lo..=hi)
}

fn enterprise_name(rng: &mut ChaCha8Rng, code: &str, cat: Cat, headcount: u32, used: &mut HashSet<String>) -> String {
    let words = trade_words(code);
    let make = |rng: &mut ChaCha8Rng, long_brand: bool| {
        let roll = rng.gen_range(0..100);
        let prefix = match cat {
            Cat::Construction => ["山东", "肥城市", "泰安市"][usize::from(roll >= 35) + usize::from(roll >= 80)],
            Cat::Transport | Cat::Warehouse => ["肥城市", "泰安", "山东"][usize::from(roll >= 50) + usize::from(roll >= 75)],
            _ => ["肥城市", "山东", "泰安市", "肥城"][usize::from(roll >= 70) + usize::from(roll >= 82) + usize::from(roll >= 92)],
        };
        let long = long_brand || rng.gen_range(0..100) < 20;
        let brand = brand(rng, long);
        let form_roll = rng.gen_range(0..100);
        let form = match (headcount >= 300, form_roll) {
            (true, 0..30) => "集团有限公司",
            (true, 30..50) => "股份有限公司",
            (false, 0..12) => "有限责任公司",
            _ => "有限公司",
        };
        format!("{prefix}{brand}{}{form}", pick(rng, words))
    };
    for attempt in 0..40 {
        let name = make(rng, attempt >= 20);
        if used.insert(name.clone()) {
            return name;
        }
    }
    // Word pools exhausted: a numbered branch of an existing name.
    let base = make(rng, true);
    (2..).map(|k| format!("{base}第{k}分公司")).find(|n| used.insert(n.clone())).expect("an unbounded range always yields an unused name")
}

/// A trade name (字号) of two or three characters, no character twice in a row.
fn brand(rng: &mut ChaCha8Rng, long: bool) -> String {
    let len = if long { 3 } else { 2 };
    let mut out = String::with_capacity(len * 3);
    let mut last = usize::MAX;
    while out.len() < len * 3 {
        let c = rng.gen_range(0..cjk_len(BRAND_CHARS));
        if c != last {
            out.push_str(cjk(BRAND_CHARS, c));
            last = c;
        }
    }
    out
}

const CREDIT_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// "91370983" + an organisation code: either a new-style "MA3…" code or an old 8-digit one with
/// its GB 11714 check character.
fn credit_code(rng: &mut ChaCha8Rng, used: &mut HashSet<String>) -> String {
    loop {
        let mut first17 = String::from("91370983");
        if rng.gen_range(0..100) < 60 {
            first17.push_str("MA3");
            for _ in 0..6 {
                first17.push(char::from(CREDIT_ALPHABET[rng.gen_range(0..CREDIT_ALPHABET.len())]));
            }
        } else {
            const W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
            let digits: Vec<u32> = (0..8).map(|_| rng.gen_range(0..10)).collect();
            let sum: u32 = digits.iter().zip(W).map(|(d, w)| d * w).sum();
            let check = match 11 - sum % 11 {
                10 => 'X',
                11 => '0',
                c => char::from_digit(c, 10).expect("0..=9"),
            };
            first17.extend(digits.iter().map(|&d| char::from_digit(d, 10).expect("0..=9")));
            first17.push(check);
        }
        let code = CreditCode::complete(&first17).expect("17 characters of the credit-code alphabet").as_str().to_string();
        if used.insert(code.clone()) {
            return code;
        }
    }
}

fn risk_level(rng: &mut ChaCha8Rng, high_risk: bool, major_hazard: bool) -> RiskLevel {
    const LEVELS: [RiskLevel; 4] = [RiskLevel::Red, RiskLevel::Orange, RiskLevel::Yellow, RiskLevel::Blue];
    if major_hazard {
        return if rng.gen_range(0..100) < 30 { RiskLevel::Red } else { RiskLevel::Orange };
    }
    let weights: [u32; 4] = if high_risk { [3, 17, 40, 40] } else { [1, 5, 24, 70] };
    LEVELS[WeightedIndex::new(weights).expect("positive weights").sample(rng)]
}

fn supervision_class(rng: &mut ChaCha8Rng, risk: RiskLevel) -> SupervisionClass {
    let roll = rng.gen_range(0..100);
    match risk {
        RiskLevel::Red => SupervisionClass::A,
        RiskLevel::Orange if roll < 60 => SupervisionClass::A,
        RiskLevel::Orange => SupervisionClass::B,
        RiskLevel::Yellow if roll < 50 => SupervisionClass::B,
        RiskLevel::Yellow => SupervisionClass::C,
        RiskLevel::Blue if roll < 40 => SupervisionClass::C,
        RiskLevel::Blue => SupervisionClass::D,
    }
}

/// Percent chance of each kind, in `HazardousWorkKind::ALL` order
/// (hot, confined space, blinding, height, lifting, temporary power, excavation, road break).
fn hazardous_works(rng: &mut ChaCha8Rng, cat: Cat) -> Vec<HazardousWorkKind> {
    let chances: [u32; 8] = match cat {
        Cat::Chemical | Cat::Gas => [100, 100, 70, 80, 60, 70, 40, 30],
        Cat::HazTrade | Cat::FuelRetail => [60, 50, 10, 30, 10, 40, 10, 0],
        Cat::Metallurgy => [100, 90, 50, 90, 95, 80, 20, 10],
        Cat::Mining => [90, 80, 0, 70, 70, 80, 60, 0],
        Cat::Explosive => [40, 10, 0, 30, 20, 50, 10, 0],
        Cat::Construction => [95, 40, 0, 100, 85, 95, 80, 30],
        Cat::Manufacturing | Cat::Power => [70, 30, 5, 50, 50, 50, 10, 5],
        Cat::Transport | Cat::Warehouse => [30, 10, 0, 20, 40, 20, 0, 0],
        Cat::Trade | Cat::Hospitality | Cat::Services => [10, 5, 0, 15, 0, 10, 0, 0],
    };
    HazardousWorkKind::ALL.iter().zip(chances).filter(|&(_, p)| rng.gen_range(0..100) < p).map(|(&k, _)| k).collect()
}

// ---------------------------------------------------------------------------------------------
// Enterprise staff

struct Post {
    tier: PostTier,
    title: String,
    unit: Option<String>,
}

fn post(tier: PostTier, title: impl Into<String>, unit: Option<String>) -> Post {
    Post { tier, title: title.into(), unit }
}

/// Tiers whose ID numbers come from the older `LEADERS` block.
fn is_leader_band(tier: PostTier) -> bool {
    matches!(tier, PostTier::Principal | PostTier::SafetyDirector | PostTier::OtherDeputy | PostTier::FunctionHead | PostTier::WorkshopHead)
}

/// The posts of one enterprise, in tier order; at most 1 + 1 + 2 + 8 + 12 = 24 in the leader band.
fn staff_plan(e: &DemoEnterprise, cat: Cat, rng: &mut ChaCha8Rng) -> Vec<Post> {
    let h = e.headcount as usize;
    let mut posts = Vec::with_capacity(h);
    if h == 0 {
        return posts;
    }
    let mut left = h;
    let mut take = |n: usize| {
        let k = n.min(left);
        left -= k;
        (k, left)
    };
    take(1);
    posts.push(post(PostTier::Principal, principal_title(rng, cat, h), None));
    if e.safety_director_name.is_some() && take(1).0 == 1 {
        posts.push(post(PostTier::SafetyDirector, "安全总监", None));
    }
    let (deputies, _) = take(match h {
        0..15 => 0,
        15..50 => rng.gen_range(0..=1),
        _ => rng.gen_range(1..=2),
    });
    let mut deputy_titles = deputy_titles(cat).to_vec();
    deputy_titles.shuffle(rng);
    posts.extend(deputy_titles.iter().take(deputies).map(|t| post(PostTier::OtherDeputy, *t, None)));
    let (managers, _) = take(match h {
        0..30 => 1,
        30..100 => rng.gen_range(1..=2),
        _ => rng.gen_range(2..=3),
    });
    let safety_unit = (h >= 20).then(|| safety_unit(cat).to_string());
    for _ in 0..managers {
        let title = match rng.gen_range(0..10) {
            0..6 => "专职安全员",
            6..9 => "安全管理员",
            _ => "注册安全工程师",
        };
        posts.push(post(PostTier::SafetyManager, title, safety_unit.clone()));
    }
    let (functions, _) = take(if h >= 20 { (h / 30).clamp(1, 8) } else { 0 });
    posts.extend(function_units(cat).iter().take(functions).map(|(u, t)| post(PostTier::FunctionHead, *t, Some(u.to_string()))));
    let (workshops, left_after) = take(if h >= 15 { (h / 50).clamp(1, 12) } else { 0 });
    let mut units = Vec::with_capacity(workshops);
    for k in 0..workshops {
        let (unit, title) = workshop(cat, k);
        posts.push(post(PostTier::WorkshopHead, title, Some(unit.clone())));
        units.push(unit);
    }
    let (teams, _) = take(if h >= 8 { (left_after / 12).clamp(1, 60) } else { 0 });
    let team_names = team_names(cat);
    for t in 0..teams {
        let unit = (!units.is_empty()).then(|| units[t % units.len()].clone());
        posts.push(post(PostTier::TeamLeader, format!("{}班长", team_names[t % team_names.len()]), unit));
    }
    let (workers, _) = take(usize::MAX);
    let titles = worker_titles(cat);
    for _ in 0..workers {
        let unit = units.choose(rng).cloned();
        posts.push(post(PostTier::Worker, *pick(rng, titles), unit));
    }
    debug_assert_eq!(posts.len(), h);
    posts
}

fn principal_title(rng: &mut ChaCha8Rng, cat: Cat, h: usize) -> &'static str {
    match cat {
        Cat::Mining => "矿长",
        Cat::Trade | Cat::FuelRetail | Cat::Services | Cat::Hospitality if h < 30 => "经理",
        _ if h >= 100 => ["董事长", "总经理", "董事长兼总经理"][rng.gen_range(0..3)],
        _ => "总经理",
    }
}

fn deputy_titles(cat: Cat) -> &'static [&'static str] {
    match cat {
        Cat::Mining => &["生产副矿长", "机电副矿长", "总工程师"],
        Cat::Construction => &["生产经理", "技术负责人", "总工程师"],
        Cat::Trade | Cat::Hospitality | Cat::Services | Cat::FuelRetail => &["副总经理", "运营副总经理"],
        _ => &["生产副总", "技术副总", "经营副总", "总工程师"],
    }
}

fn safety_unit(cat: Cat) -> &'static str {
    match cat {
        Cat::Mining => "安全科",
        Cat::Construction => "安全质量部",
        Cat::Transport | Cat::Warehouse => "安全技术部",
        Cat::Trade | Cat::Hospitality | Cat::Services => "安全保卫部",
        _ => "安全环保部",
    }
}

/// Functional departments and their heads' titles, eight per sector.
fn function_units(cat: Cat) -> &'static [(&'static str, &'static str)] {
    match cat {
        Cat::Mining => &[
            ("生产技术科", "生产技术科科长"),
            ("安全科", "安全科科长"),
            ("机电科", "机电科科长"),
            ("通风科", "通风科科长"),
            ("地测科", "地测科科长"),
            ("调度室", "调度室主任"),
            ("综合办公室", "办公室主任"),
            ("财务科", "财务科科长"),
        ],
        Cat::Construction => &[
            ("工程管理部", "工程管理部经理"),
            ("安全质量部", "安全质量部经理"),
            ("技术部", "技术部经理"),
            ("物资设备部", "物资设备部经理"),
            ("经营部", "经营部经理"),
            ("综合办公室", "办公室主任"),
            ("财务部", "财务部经理"),
            ("人力资源部", "人力资源部经理"),
        ],
        Cat::Transport | Cat::Warehouse => &[
            ("运营调度部", "运营调度部部长"),
            ("安全技术部", "安全技术部部长"),
            ("车辆管理部", "车辆管理部部长"),
            ("维修部", "维修部部长"),
            ("业务部", "业务部部长"),
            ("综合办公室", "办公室主任"),
            ("财务部", "财务部部长"),
            ("人力资源部", "人力资源部部长"),
        ],
        Cat::Trade | Cat::Hospitality | Cat::Services => &[
            ("运营部", "运营部经理"),
            ("安全保卫部", "安全保卫部经理"),
            ("工程部", "工程部经理"),
            ("采购部", "采购部经理"),
            ("客服部", "客服部经理"),
            ("行政部", "行政部经理"),
            ("财务部", "财务部经理"),
            ("人力资源部", "人力资源部经理"),
        ],
        _ => &[
            ("生产部", "生产部部长"),
            ("安全环保部", "安全环保部部长"),
            ("设备部", "设备部部长"),
            ("技术质量部", "技术质量部部长"),
            ("供销部", "供销部部长"),
            ("综合办公室", "办公室主任"),
            ("财务部", "财务部部长"),
            ("人力资源部", "人力资源部部长"),
        ],
    }
}

/// The `k`-th workshop (or its sector's equivalent) and its head's title.
fn workshop(cat: Cat, k: usize) -> (String, String) {
    let named: &[(&str, &str)] = match cat {
        Cat::Chemical => &[("合成车间", "主任"), ("精馏车间", "主任"), ("罐区", "主任"), ("包装车间", "主任"), ("公用工程车间", "主任")],
        Cat::Metallurgy => &[("炼铁车间", "主任"), ("炼钢车间", "主任"), ("轧钢车间", "主任"), ("动力车间", "主任"), ("检修车间", "主任")],
        Cat::Mining => &[("采掘一区", "区长"), ("采掘二区", "区长"), ("机电运输区", "区长"), ("通风区", "区长"), ("选矿车间", "主任")],
        Cat::Explosive => &[("制药工房", "主任"), ("装药工房", "主任"), ("包装工房", "主任"), ("成品库区", "主任")],
        Cat::Power => &[("锅炉车间", "主任"), ("汽机车间", "主任"), ("电气车间", "主任"), ("燃料车间", "主任")],
        Cat::Gas => &[("城区储配站", "站长"), ("管网运行所", "所长"), ("加气站", "站长"), ("客户服务中心", "主任")],
        Cat::Hospitality => &[("厨房", "厨师长"), ("前厅部", "经理"), ("客房部", "经理"), ("餐饮部", "经理"), ("工程部", "经理")],
        _ => &[],
    };
    if let Some((unit, head)) = named.get(k) {
        return (unit.to_string(), format!("{unit}{head}"));
    }
    let n = chinese_number(k + 1);
    match cat {
        Cat::Construction => (format!("第{n}项目部"), "项目经理".to_string()),
        Cat::Transport => (format!("第{n}车队"), "车队队长".to_string()),
        Cat::Warehouse | Cat::HazTrade => (format!("{}号库区", k + 1), "库区主管".to_string()),
        Cat::FuelRetail => (format!("加油{n}站"), "站长".to_string()),
        Cat::Trade => (format!("{}号门店", k + 1), "店长".to_string()),
        Cat::Services | Cat::Hospitality => (format!("{}号项目点", k + 1), "项目主管".to_string()),
        Cat::Mining => (format!("采掘{}区", chinese_number(k - named.len() + 3)), "区长".to_string()),
        _ => {
            let unit = format!("{}车间", chinese_number(k + 1 - named.len()));
            let title = format!("{unit}主任");
            (unit, title)
        }
    }
}

fn team_names(cat: Cat) -> &'static [&'static str] {
    match cat {
        Cat::Chemical | Cat::Gas => &["甲班", "乙班", "丙班", "丁班", "维修班", "电仪班", "装卸班"],
        Cat::Metallurgy => &["炉前班", "轧钢班", "天车班", "电工班", "维修班"],
        Cat::Mining => &["掘进班", "采矿班", "爆破班", "支护班", "运输班", "机电班", "通风班"],
        Cat::Construction => &["钢筋班", "木工班", "架子工班", "混凝土班", "电工班", "焊工班", "瓦工班"],
        Cat::Transport => &["货运一班", "货运二班", "维修班", "调度班"],
        Cat::Warehouse | Cat::HazTrade => &["装卸班", "叉车班", "仓管班"],
        Cat::FuelRetail => &["早班", "中班", "晚班"],
        Cat::Trade => &["理货班", "收银班", "配送班"],
        Cat::Hospitality => &["热菜班", "面点班", "服务班", "保洁班"],
        Cat::Services => &["保洁班", "保安班", "维修班"],
        Cat::Explosive => &["制药班", "装药班", "包装班", "搬运班"],
        Cat::Power => &["运行一班", "运行二班", "检修班", "燃料班"],
        Cat::Manufacturing => &["焊工班", "装配班", "机加班", "包装班", "电工班", "维修班", "喷涂班", "质检班"],
    }
}

fn worker_titles(cat: Cat) -> &'static [&'static str] {
    match cat {
        Cat::Chemical => &["化工操作工", "中控室操作员", "设备维修工", "电工", "化验员", "装卸工", "操作工"],
        Cat::Gas => &["燃气巡线工", "入户安检员", "充装工", "调压工", "抢修工"],
        Cat::Metallurgy => &["炉前工", "轧钢工", "天车工", "电工", "焊工", "维修钳工"],
        Cat::Mining => &["采掘工", "爆破工", "支护工", "井下电工", "提升机司机", "安全检查工"],
        Cat::Construction => &["钢筋工", "木工", "架子工", "电工", "焊工", "塔吊司机", "信号工", "混凝土工"],
        Cat::Transport => &["货车司机", "客车驾驶员", "押运员", "装卸工", "调度员", "维修工"],
        Cat::Warehouse | Cat::HazTrade => &["仓库保管员", "叉车司机", "装卸工", "押运员"],
        Cat::FuelRetail => &["加油员", "收银员", "卸油员"],
        Cat::Trade => &["营业员", "收银员", "理货员", "送货员"],
        Cat::Hospitality => &["厨师", "服务员", "前台接待", "保洁员", "客房服务员"],
        Cat::Services => &["保洁员", "保安员", "维修工", "客服专员"],
        Cat::Explosive => &["药物混合工", "装药工", "包装工", "仓库保管员"],
        Cat::Power => &["锅炉工", "电工", "运行值班员", "检修工"],
        Cat::Manufacturing => &["操作工", "焊工", "电工", "叉车司机", "装配工", "质检员", "维修工", "仓库保管员"],
    }
}

// ---------------------------------------------------------------------------------------------
// Government staff

fn department_plan(org: &DemoOrg, rng: &mut ChaCha8Rng) -> Vec<Post> {
    let key = org.key.strip_prefix("dept:").unwrap_or("");
    let section = DEPTS.iter().find(|d| d.key == key).map_or("安全生产科", |d| d.section);
    let (in_charge, leaders): (&str, [&str; 4]) = match key {
        "fire" => ("分管安全副大队长", ["大队长", "政治教导员", "副大队长", "副大队长"]),
        "police" => ("分管安全副局长", ["局长", "政委", "副局长", "副局长"]),
        _ => ("分管安全副局长", ["党组书记、局长", "副局长", "副局长", "党组成员"]),
    };
    let (head, member) = if section.ends_with("大队") {
        ("大队长", "民警")
    } else if section.ends_with('科') {
        ("科长", "科员")
    } else {
        ("主任", "工作人员")
    };
    safety_posts(rng, in_charge, &leaders, section, &format!("{section}{head}"), &format!("{section}{member}"))
}

fn township_plan(org: &DemoOrg, rng: &mut ChaCha8Rng) -> Vec<Post> {
    let kind = TOWNSHIPS.iter().find(|t| t.0 == org.region_code).map_or(TownshipKind::Town, |t| t.2);
    match kind {
        TownshipKind::Town => safety_posts(
            rng,
            "分管安全副镇长",
            &["党委书记", "镇长", "党委副书记", "副镇长"],
            "应急管理办公室",
            "应急管理办公室主任",
            "安全监管员",
        ),
        TownshipKind::Street => safety_posts(
            rng,
            "分管安全副主任",
            &["党工委书记", "办事处主任", "党工委副书记", "办事处副主任"],
            "应急管理办公室",
            "应急管理办公室主任",
            "安全监管员",
        ),
        TownshipKind::Zone => safety_posts(
            rng,
            "分管安全副主任",
            &["党工委书记", "管委会主任", "党工委副书记", "管委会副主任"],
            "安全环保局",
            "安全环保局局长",
            "安全监管员",
        ),
    }
}

/// One leader in charge, 2–4 other leaders, a section head, 2–4 staff and a liaison (≤ 11).
fn safety_posts(rng: &mut ChaCha8Rng, in_charge: &str, leaders: &[&str], section: &str, head: &str, member: &str) -> Vec<Post> {
    let unit = || Some(section.to_string());
    let mut posts = vec![post(PostTier::LeaderInCharge, in_charge, None)];
    let n_leaders = rng.gen_range(2..=4.min(leaders.len()));
    posts.extend(leaders.iter().take(n_leaders).map(|t| post(PostTier::OtherLeader, *t, None)));
    posts.push(post(PostTier::Section, head, unit()));
    for _ in 0..rng.gen_range(2..=4) {
        posts.push(post(PostTier::Staff, member, unit()));
    }
    posts.push(post(PostTier::Liaison, "安全生产联络员", unit()));
    posts
}

fn committee_office_plan() -> Vec<Post> {
    let unit = || Some("安委会办公室".to_string());
    vec![
        post(PostTier::LeaderInCharge, "安委办主任", None),
        post(PostTier::Staff, "安委办工作人员", unit()),
        post(PostTier::Staff, "安委办工作人员", unit()),
        post(PostTier::Liaison, "安全生产联络员", unit()),
    ]
}

/// A number unique per government organisation, from its key where the key is known (so the
/// caller's numbering cannot make two offices share ID numbers), else `FALLBACK + index`.
fn government_ordinal(org: &DemoOrg, index: usize) -> u64 {
    const FALLBACK: u64 = 2_000;
    let by_key = match org.key.as_str() {
        "committee" => Some(0),
        "committee_office" => Some(1),
        key => key
            .strip_prefix("town:")
            .filter(|c| c.len() == 9 && c.starts_with(COUNTY))
            .and_then(|c| c[6..].parse::<u64>().ok())
            .map(|n| 10 + n)
            .or_else(|| key.strip_prefix("dept:").and_then(|k| DEPTS.iter().position(|d| d.key == k)).map(|p| 1_100 + p as u64)),
    };
    by_key.unwrap_or(FALLBACK + index as u64)
}

// ---------------------------------------------------------------------------------------------
// ID numbers and phones
//
// An ID number is prefix + birth date + 3-digit sequence + check. Each `IdSpace` is a block of
// (prefix, date, sequence) triples; blocks are disjoint (different sequence ranges for prefix
// 370983, other prefixes for `OUTSIDE`). A person gets a slot number that is unique within a
// block by construction, and `permute` (a keyed bijection of the block) spreads slots over
// birth dates and sequence numbers. Slots:
//   LEADERS:    enterprise index * LEADER_SLOTS + n-th leader-band post (≤ 24 < 40)
//   LOCAL:      enterprise index * LOCAL_SLOTS + n-th other post, for n < 170 and n % 7 != 6
//   OUTSIDE:    enterprise index * MAX_HEADCOUNT + n-th other post, for every other n
//   GOVERNMENT: organisation ordinal * GOV_SLOTS + position (≤ 11 < 16)
// so IDs are unique while enterprise index < ENTERPRISE_LIMIT and headcount ≤ MAX_HEADCOUNT
// (the tests check every block's capacity).

const ENTERPRISE_LIMIT: u64 = 50_000;
const MAX_HEADCOUNT: u64 = 2_000;
const LEADER_SLOTS: u64 = 40;
const LOCAL_SLOTS: u64 = 170;
const GOV_SLOTS: u64 = 16;

struct IdSpace {
    tag: u64,
    prefixes: &'static [&'static str],
    born_from: i32,
    born_to: i32,
    seq_lo: u64,
    seq_hi: u64,
}

const LEADERS: IdSpace = IdSpace { tag: 1, prefixes: &[COUNTY], born_from: 1962, born_to: 1988, seq_lo: 1, seq_hi: 300 };
const LOCAL: IdSpace = IdSpace { tag: 2, prefixes: &[COUNTY], born_from: 1965, born_to: 2004, seq_lo: 301, seq_hi: 900 };
/// Neighbouring counties: 泰山区, 岱岳区, 宁阳县, 东平县, 新泰市, 平阴县, 汶上县, 泗水县.
const OUTSIDE: IdSpace = IdSpace {
    tag: 3,
    prefixes: &["370902", "370911", "370921", "370923", "370982", "370124", "370830", "370831"],
    born_from: 1965,
    born_to: 2004,
    seq_lo: 1,
    seq_hi: 999,
};
const GOVERNMENT: IdSpace = IdSpace { tag: 4, prefixes: &[COUNTY], born_from: 1965, born_to: 1995, seq_lo: 901, seq_hi: 999 };

impl IdSpace {
    fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.born_from, 1, 1).expect("valid year")
    }

    fn days(&self) -> u64 {
        let last = NaiveDate::from_ymd_opt(self.born_to, 12, 31).expect("valid year");
        (last - self.first_day()).num_days() as u64 + 1
    }

    fn seqs(&self) -> u64 {
        self.seq_hi - self.seq_lo + 1
    }

    fn capacity(&self) -> u64 {
        self.prefixes.len() as u64 * self.days() * self.seqs()
    }

    /// The ID number of `slot` (unique per slot below `capacity`) and its birth date.
    fn id(&self, seed: u64, slot: u64) -> (String, NaiveDate) {
        let cap = self.capacity();
        let s = permute(slot % cap, cap, mix(seed, self.tag));
        let per_prefix = self.days() * self.seqs();
        let prefix = self.prefixes[(s / per_prefix) as usize];
        let rest = s % per_prefix;
        let birth = self.first_day() + chrono::Days::new(rest / self.seqs());
        let seq = self.seq_lo + rest % self.seqs();
        let first17 = format!("{prefix}{:04}{:02}{:02}{seq:03}", birth.year(), birth.month(), birth.day());
        let check = id_number_check_char(&first17);
        (format!("{first17}{check}"), birth)
    }
}

fn worker_slot(index: u64, n: u64) -> (&'static IdSpace, u64) {
    if n < LOCAL_SLOTS && n % 7 != 6 { (&LOCAL, index * LOCAL_SLOTS + n) } else { (&OUTSIDE, index * MAX_HEADCOUNT + n) }
}

const MOBILE_PREFIXES: [&str; 29] = [
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156", "157", "158", "159",
    "180", "181", "182", "183", "184", "185", "186", "187", "188", "189",
];
const PHONE_BLOCK: u64 = 200_000_000;

/// A mobile number unique per (block, slot): every slot is below `PHONE_BLOCK`, and `permute`
/// spreads `tag * PHONE_BLOCK + slot` over 29 prefixes × 10^8 numbers.
fn phone_number(seed: u64, tag: u64, slot: u64) -> String {
    let cap = MOBILE_PREFIXES.len() as u64 * 100_000_000;
    let s = permute(tag * PHONE_BLOCK + slot % PHONE_BLOCK, cap, mix(seed, SALT_PHONE));
    format!("{}{:08}", MOBILE_PREFIXES[(s / 100_000_000) as usize], s % 100_000_000)
}

/// A keyed bijection of `0..cap`: rounds of invertible steps on ⌈log2 cap⌉-bit words (xor with a
/// key, multiply by an odd constant, xorshift), cycle-walked until the value falls below `cap`.
fn permute(x: u64, cap: u64, key: u64) -> u64 {
    debug_assert!(x < cap);
    let bits = 64 - cap.saturating_sub(1).leading_zeros();
    let mask = if bits >= 64 { u64::MAX } else { (1u64 << bits) - 1 };
    let shift = (bits / 2).max(1);
    let mut y = x;
    loop {
        for round in 0..4 {
            y ^= key.rotate_left(round * 17) & mask;
            y = y.wrapping_mul(0x9E37_79B9_7F4A_7C15) & mask;
            y ^= y >> shift;
        }
        if y < cap {
            return y;
        }
    }
}

/// A start date in 2010-01-01 ..= 2024-02-29, never before the 18th birthday.
fn start_date(rng: &mut ChaCha8Rng, birth: NaiveDate) -> NaiveDate {
    let from = NaiveDate::from_ymd_opt(2010, 1, 1).expect("valid date");
    let to = NaiveDate::from_ymd_opt(2024, 2, 29).expect("valid date");
    let adult = birth.checked_add_months(Months::new(18 * 12)).unwrap_or(to);
    let lo = from.max(adult).min(to);
    lo + chrono::Days::new(rng.gen_range(0..=(to - lo).num_days() as u64))
}

// ---------------------------------------------------------------------------------------------
// Names

/// Common surnames, most frequent first (each character is 3 bytes of UTF-8).
const SURNAMES: &str = "王张李刘陈杨赵孙徐马高朱于董胡郭吴宋尹黄周林何罗梁郑谢韩唐冯程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤黎易常武乔贺赖龚文庞樊兰殷施陶洪翟安颜倪严牛温季俞章鲁葛伍韦申尤毕聂丛焦向柳邢路岳齐梅莫庄辛管祝左涂谷祁时舒耿牟卜詹关苗凌费纪靳盛童欧甄项曲成裴席卫屈鲍位霍翁隋甘景单包司柏宁柯阮桂闵解柴车房边肖";
/// Given-name characters (each 3 bytes of UTF-8).
const GIVEN: &str = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红玲芬燕彩春菊凤洁梅琳素云莲真环雪荣爱香月媛瑞凡佳嘉琼勤珍贞莉娣叶璐琦晶妍茜秋珊莎锦青倩婷婉娴瑾颖露瑶怡雁蓓仪荷丹蓉君琴蕊薇菁梦岚婕馨韵园艺咏卿聪澜纯悦昭冰爽茗羽希宁欣育滢筠柔竹凝晓欢霄枫芸菲寒伊亚宜可舒影思毅俊峰东文辉力永健世广志义兴良海山仁波贵福生龙元全国胜学祥才发武新利清飞彬富顺信子昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会群豪心邦承乐绍功松善厚庆民友裕河哲江浩亮政谦奇固之翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘";

fn cjk(s: &'static str, i: usize) -> &'static str {
    &s[i * 3..i * 3 + 3]
}

fn cjk_len(s: &str) -> usize {
    s.len() / 3
}

/// Zipf-like surname frequencies.
fn surname_dist() -> &'static WeightedIndex<u32> {
    static DIST: OnceLock<WeightedIndex<u32>> = OnceLock::new();
    DIST.get_or_init(|| WeightedIndex::new((0..cjk_len(SURNAMES) as u32).map(|r| 10_000 / (r + 2))).expect("positive weights"))
}

fn person_name(rng: &mut ChaCha8Rng) -> String {
    let surname = cjk(SURNAMES, surname_dist().sample(rng));
    let g1 = given_char(rng, surname);
    if rng.gen_range(0..100) < 70 { format!("{surname}{g1}{}", given_char(rng, surname)) } else { format!("{surname}{g1}") }
}

/// A given-name character that does not repeat the surname.
fn given_char(rng: &mut ChaCha8Rng, surname: &str) -> &'static str {
    loop {
        let g = cjk(GIVEN, rng.gen_range(0..cjk_len(GIVEN)));
        if g != surname {
            return g;
        }
    }
}

fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", DIGITS[n % 10]),
        20..=99 => match n % 10 {
            0 => format!("{}十", DIGITS[n / 10]),
            d => format!("{}十{}", DIGITS[n / 10], DIGITS[d]),
        },
        _ => n.to_string(),
    }
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    items.choose(rng).expect("non-empty word list")
}

#[cfg(test)]
mod tests {
    use super::*;
    use anze_domain::org::{RegionCode, parse_id_number, parse_phone};
    use std::collections::HashMap;

    fn all_staff(c: &DemoCity, seed: u64) -> Vec<Vec<DemoPerson>> {
        c.enterprises.iter().enumerate().map(|(i, e)| enterprise_staff(e, i, seed)).collect()
    }

    fn government_orgs(c: &DemoCity) -> Vec<&DemoOrg> {
        c.organisations.iter().chain(c.departments.iter().map(|d| &d.org)).chain(c.committees.iter().map(|s| &s.org)).collect()
    }

    #[test]
    fn same_seed_same_city_other_seed_other_city() {
        let a = format!("{:?}", city(Scale::Small, 7));
        assert_eq!(a, format!("{:?}", city(Scale::Small, 7)));
        assert_ne!(a, format!("{:?}", city(Scale::Small, 8)));
        let c = city(Scale::Small, 7);
        let e = &c.enterprises[5];
        assert_eq!(format!("{:?}", enterprise_staff(e, 5, 7)), format!("{:?}", enterprise_staff(e, 5, 7)));
        assert_ne!(format!("{:?}", enterprise_staff(e, 5, 7)), format!("{:?}", enterprise_staff(e, 5, 8)));
        let office = &c.organisations[1];
        assert_eq!(format!("{:?}", government_staff(office, 1, 7)), format!("{:?}", government_staff(office, 1, 7)));
        assert_ne!(format!("{:?}", government_staff(office, 1, 7)), format!("{:?}", government_staff(office, 1, 8)));
    }

    #[test]
    fn small_city_shape() {
        let c = city(Scale::Small, 1);
        assert_eq!(c.enterprises.len(), 300);
        for g in HighRiskGroup::ALL {
            assert!(
                c.enterprises.iter().any(|e| anze_domain::org::industry(e.industry_code).and_then(|i| i.high_risk) == Some(g)),
                "{g:?}"
            );
        }
        let codes: HashMap<&str, &DemoRegion> = c.regions.iter().map(|r| (r.code.as_str(), r)).collect();
        assert_eq!(codes.len(), c.regions.len(), "region codes are unique");
        for r in &c.regions {
            let code = RegionCode::parse(&r.code).expect("valid region code");
            if let Some(p) = code.parent() {
                assert!(codes.contains_key(p.as_str()), "parent of {}", r.code);
            }
            assert_eq!(r.township_kind.is_some(), r.code.len() == 9, "{}", r.code);
        }
        assert_eq!(c.regions.iter().filter(|r| r.code.len() == 9).count(), 16);
        for t in c.regions.iter().filter(|r| r.code.len() == 9) {
            let villages = c.regions.iter().filter(|r| r.code.len() == 12 && r.code.starts_with(&t.code)).count();
            assert!((3..=6).contains(&villages), "{} has {villages} villages", t.name);
        }
        let mut used_grids = HashSet::new();
        for e in &c.enterprises {
            assert_eq!(e.region_code.len(), 12);
            assert!(e.grid_code.starts_with(&e.region_code), "{} in {}", e.grid_code, e.region_code);
            assert!(codes.contains_key(e.grid_code.as_str()) && codes.contains_key(e.region_code.as_str()));
            assert!((5..=60).contains(&e.headcount));
            assert!(parse_phone("phone", &e.principal_phone).expect("valid phone").is_some());
            used_grids.insert(e.grid_code.as_str());
        }
        assert_eq!(used_grids.len(), c.regions.iter().filter(|r| r.code.len() == 15).count(), "every grid has an enterprise");
        let names: HashSet<&str> = c.enterprises.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names.len(), 300, "enterprise names are unique");
        let mean = c.enterprises.iter().map(|e| e.headcount).sum::<u32>() / 300;
        assert!((20..=30).contains(&mean), "mean headcount {mean}");
    }

    #[test]
    fn credit_codes_are_valid_and_unique() {
        let c = city(Scale::Small, 2);
        let mut seen = HashSet::new();
        for e in &c.enterprises {
            assert!(CreditCode::parse(&e.credit_code).is_ok(), "{}", e.credit_code);
            assert!(e.credit_code.starts_with("91370983"));
            assert!(seen.insert(e.credit_code.clone()), "duplicate {}", e.credit_code);
        }
    }

    #[test]
    fn staff_match_headcount_and_ids_are_unique() {
        let seed = 3;
        let c = city(Scale::Small, seed);
        let mut ids = HashSet::new();
        let mut phones = HashSet::new();
        for (e, staff) in c.enterprises.iter().zip(all_staff(&c, seed)) {
            assert_eq!(staff.len(), e.headcount as usize);
            let principals: Vec<_> = staff.iter().filter(|p| p.tier == PostTier::Principal).collect();
            assert_eq!(principals.len(), 1);
            assert_eq!(principals[0].name, e.principal_name);
            let directors: Vec<_> = staff.iter().filter(|p| p.tier == PostTier::SafetyDirector).collect();
            assert_eq!(directors.iter().map(|p| p.name.clone()).next(), e.safety_director_name);
            assert!(staff.iter().any(|p| p.tier == PostTier::SafetyManager));
            for p in &staff {
                assert!(p.tier.is_enterprise_tier());
                assert!(parse_id_number("id", &p.id_number).is_ok(), "{}", p.id_number);
                assert!(ids.insert(p.id_number.clone()), "duplicate {}", p.id_number);
                assert!(phones.insert(p.phone.clone()), "duplicate phone {}", p.phone);
                assert!(parse_phone("phone", &p.phone).expect("valid").is_some());
                assert!(p.start_date >= NaiveDate::from_ymd_opt(2010, 1, 1).unwrap());
                assert!(p.start_date <= NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
                assert!(!p.post_title.is_empty() && (2..=3).contains(&p.name.chars().count()));
            }
        }
        for (i, o) in government_orgs(&c).into_iter().enumerate() {
            let staff = government_staff(o, i, seed);
            let expect = matches!(o.kind, OrgKind::Department | OrgKind::TownshipOffice | OrgKind::CommitteeOffice);
            assert_eq!(!staff.is_empty(), expect, "{}", o.key);
            if !expect {
                continue;
            }
            let count = |t: PostTier| staff.iter().filter(|p| p.tier == t).count();
            assert_eq!(count(PostTier::LeaderInCharge), 1);
            assert_eq!(count(PostTier::Liaison), 1);
            if o.kind != OrgKind::CommitteeOffice {
                assert!((2..=4).contains(&count(PostTier::OtherLeader)));
                assert_eq!(count(PostTier::Section), 1);
                assert!((2..=4).contains(&count(PostTier::Staff)));
            }
            for p in &staff {
                assert!(p.tier.fits(o.kind));
                assert!(parse_id_number("id", &p.id_number).is_ok(), "{}", p.id_number);
                assert!(ids.insert(p.id_number.clone()), "duplicate {}", p.id_number);
            }
        }
    }

    #[test]
    fn government_ids_do_not_depend_on_the_callers_numbering() {
        let c = city(Scale::Small, 6);
        let mut ids = HashSet::new();
        // Each list numbered from 0, as a caller might do.
        let lists = [c.organisations.iter().collect::<Vec<_>>(), c.departments.iter().map(|d| &d.org).collect()];
        for list in lists {
            for (i, o) in list.into_iter().enumerate() {
                assert!(government_staff(o, i, 6).into_iter().all(|p| ids.insert(p.id_number)), "{}", o.key);
            }
        }
    }

    #[test]
    fn tiny_and_huge_enterprises() {
        let c = city(Scale::Small, 4);
        let mut e = c.enterprises[0].clone();
        for (h, director) in [(1, None), (2, None), (3, Some("周强".to_string())), (7, None)] {
            e.headcount = h;
            e.safety_director_name = director;
            let staff = enterprise_staff(&e, 0, 4);
            assert_eq!(staff.len(), h as usize);
            assert_eq!(staff[0].tier, PostTier::Principal);
            if h >= 2 {
                assert!(staff.iter().any(|p| p.tier == PostTier::SafetyManager));
            }
        }
        // Two maximal enterprises at the ends of the index range share no ID number.
        e.headcount = MAX_HEADCOUNT as u32;
        let mut ids = HashSet::new();
        for index in [0, ENTERPRISE_LIMIT as usize - 1] {
            let staff = enterprise_staff(&e, index, 4);
            assert_eq!(staff.len(), MAX_HEADCOUNT as usize);
            assert_eq!(staff.iter().filter(|p| p.tier == PostTier::Principal).count(), 1);
            assert!(staff.iter().filter(|p| is_leader_band(p.tier)).count() as u64 <= LEADER_SLOTS);
            assert!(staff.iter().all(|p| ids.insert(p.id_number.clone())));
        }
    }

    #[test]
    fn id_blocks_hold_every_slot() {
        let n = ENTERPRISE_LIMIT;
        assert!(n * LEADER_SLOTS <= LEADERS.capacity());
        assert!(n * LOCAL_SLOTS <= LOCAL.capacity());
        assert!(n * MAX_HEADCOUNT <= OUTSIDE.capacity());
        assert!((2_000 + 60_000) * GOV_SLOTS <= GOVERNMENT.capacity());
        assert!(n * MAX_HEADCOUNT < PHONE_BLOCK);
        assert!((GOVERNMENT.tag + 1) * PHONE_BLOCK <= MOBILE_PREFIXES.len() as u64 * 100_000_000);
        // Blocks sharing prefix 370983 use disjoint sequence ranges.
        let ranges = [(LEADERS.seq_lo, LEADERS.seq_hi), (LOCAL.seq_lo, LOCAL.seq_hi), (GOVERNMENT.seq_lo, GOVERNMENT.seq_hi)];
        for w in ranges.windows(2) {
            assert!(w[0].1 < w[1].0);
        }
        assert!(!OUTSIDE.prefixes.contains(&COUNTY));
        // `permute` is a bijection, also for awkward sizes.
        for cap in [1u64, 2, 3, 10, 300, 1_000, 4_097] {
            let image: HashSet<u64> = (0..cap).map(|x| permute(x, cap, 99)).collect();
            assert_eq!(image.len() as u64, cap);
            assert!(image.iter().all(|&y| y < cap));
        }
    }

    #[test]
    fn committees_and_departments() {
        let c = city(Scale::Small, 5);
        let depts: HashSet<&str> = c.departments.iter().map(|d| d.org.key.as_str()).collect();
        assert!(c.committees.len() >= 6);
        for sc in &c.committees {
            assert!(depts.contains(sc.lead_key.as_str()), "{}", sc.lead_key);
            assert!(!sc.member_keys.contains(&sc.lead_key));
            assert!((3..=6).contains(&sc.member_keys.len()));
            assert!(sc.member_keys.iter().all(|m| depts.contains(m.as_str())), "{}", sc.org.key);
            assert_eq!(sc.org.parent_key.as_deref(), Some("committee"));
        }
        for i in INDUSTRIES {
            assert!(c.departments.iter().any(|d| d.industries.contains(&i.code)), "{} unsupervised", i.code);
            assert!(base_weight(i.code) > 0);
        }
        for d in &c.departments {
            assert!(d.industries.iter().all(|code| INDUSTRIES.iter().any(|i| i.code == *code)), "{}", d.org.key);
        }
        let keys: HashSet<&str> = government_orgs(&c).iter().map(|o| o.key.as_str()).collect();
        assert_eq!(keys.len(), c.organisations.len() + c.departments.len() + c.committees.len());
        let regions: HashSet<&str> = c.regions.iter().map(|r| r.code.as_str()).collect();
        assert!(government_orgs(&c).iter().all(|o| regions.contains(o.region_code.as_str())));
        assert!(government_orgs(&c).iter().all(|o| o.parent_key.as_ref().is_none_or(|p| keys.contains(p.as_str()))));
    }

    #[test]
    fn word_lists() {
        for s in [SURNAMES, GIVEN, BRAND_CHARS] {
            assert_eq!(s.len(), 3 * s.chars().count(), "3-byte characters only");
        }
        let surnames: HashSet<char> = SURNAMES.chars().collect();
        assert_eq!(surnames.len(), SURNAMES.chars().count(), "no duplicate surnames");
        assert!(surnames.len() >= 100);
        assert!(GIVEN.chars().collect::<HashSet<_>>().len() >= 200);
        assert_eq!(chinese_number(12), "十二");
        assert_eq!(chinese_number(30), "三十");
    }

    /// Slow in debug builds: `cargo test --release -- --ignored`.
    #[test]
    #[ignore]
    fn city_scale() {
        let started = std::time::Instant::now();
        let c = city(Scale::City, 11);
        assert_eq!(c.enterprises.len(), 50_000);
        let names: HashSet<&str> = c.enterprises.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names.len(), 50_000);
        let total: u64 = c.enterprises.iter().map(|e| u64::from(e.headcount)).sum();
        assert!((900_000..=1_100_000).contains(&total), "total headcount {total}");
        let mut ids = HashSet::with_capacity(total as usize);
        let mut phones = HashSet::with_capacity(total as usize);
        for (i, e) in c.enterprises.iter().enumerate() {
            let staff = enterprise_staff(e, i, 11);
            assert_eq!(staff.len(), e.headcount as usize);
            for p in staff {
                assert!(phones.insert(p.phone));
                assert!(ids.insert(p.id_number), "duplicate ID");
            }
        }
        eprintln!("city scale: {} regions, {total} staff in {:?}", c.regions.len(), started.elapsed());
    }
}
