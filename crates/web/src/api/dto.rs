//! The JSON shapes of the API. Personal data (ID numbers, phones) is masked.

use anze_domain::org::mask;
use anze_service::audit::AuditEvent;
use anze_service::import::RowError;
use anze_service::org::{OrgRow, Region};
use anze_service::people::{Employment, Person};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub token: String,
    pub token_type: String,
    /// RFC 3339.
    pub expires_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub user_id: Option<String>,
    pub name: String,
    pub roles: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: String,
}

#[derive(Serialize, ToSchema)]
pub struct RegionDto {
    pub code: String,
    pub name: String,
    pub level: String,
    pub township_kind: Option<String>,
    pub path: String,
}

impl From<Region> for RegionDto {
    fn from(r: Region) -> Self {
        Self { code: r.code, name: r.name, level: r.level, township_kind: r.township_kind, path: r.path }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EnterpriseDto {
    pub credit_code: String,
    pub industry_code: String,
    pub high_risk_group: Option<String>,
    pub grid_code: Option<String>,
    pub legal_representative: String,
    pub principal_name: String,
    pub principal_phone: Option<String>,
    pub safety_director_name: Option<String>,
    pub headcount: i32,
    pub risk_level: String,
    pub supervision_class: String,
    pub major_hazard_source: bool,
    pub hazardous_work_kinds: Vec<String>,
    pub liability_insurance: bool,
}

#[derive(Serialize, ToSchema)]
pub struct OrganisationDto {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub region_code: String,
    pub region_path: String,
    pub address: Option<String>,
    pub enterprise: Option<EnterpriseDto>,
}

impl From<OrgRow> for OrganisationDto {
    fn from((o, e): OrgRow) -> Self {
        Self {
            id: o.id,
            kind: o.kind,
            name: o.name,
            region_code: o.region_code,
            region_path: o.region_path,
            address: o.address,
            enterprise: e.map(|e| EnterpriseDto {
                credit_code: e.credit_code,
                industry_code: e.industry_code,
                high_risk_group: e.high_risk_group,
                grid_code: e.grid_code,
                legal_representative: e.legal_representative,
                principal_name: e.principal_name,
                principal_phone: e.principal_phone.as_deref().map(mask),
                safety_director_name: e.safety_director_name,
                headcount: e.headcount,
                risk_level: e.risk_level,
                supervision_class: e.supervision_class,
                major_hazard_source: e.major_hazard_source,
                hazardous_work_kinds: e.hazardous_work_kinds.split(',').filter(|s| !s.is_empty()).map(String::from).collect(),
                liability_insurance: e.liability_insurance,
            }),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OrganisationPage {
    pub items: Vec<OrganisationDto>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StaffDto {
    pub employment_id: String,
    pub person_id: String,
    pub name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub post_title: String,
    pub tier: String,
    pub unit_name: Option<String>,
    pub start_date: String,
    pub end_date: Option<String>,
}

impl From<(Employment, Person)> for StaffDto {
    fn from((e, p): (Employment, Person)) -> Self {
        Self {
            employment_id: e.id,
            person_id: p.id,
            name: p.name,
            id_number: p.id_number.as_deref().map(mask),
            phone: p.phone.as_deref().map(mask),
            post_title: e.post_title,
            tier: e.tier,
            unit_name: e.unit_name,
            start_date: e.start_date.to_string(),
            end_date: e.end_date.map(|d| d.to_string()),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ImportErrors {
    pub code: String,
    pub errors: Vec<RowError>,
    /// One sentence per error, in the caller's language.
    pub messages: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEventDto {
    pub seq: i64,
    pub occurred_at: String,
    pub actor_id: Option<String>,
    pub actor_name: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub changes: serde_json::Value,
    pub address: String,
    pub hash: String,
}

impl From<AuditEvent> for AuditEventDto {
    fn from(e: AuditEvent) -> Self {
        Self {
            seq: e.seq,
            occurred_at: e.occurred_at,
            actor_id: e.actor_id,
            actor_name: e.actor_name,
            action: e.action,
            object_type: e.object_type,
            object_id: e.object_id,
            changes: serde_json::from_str(&e.changes).unwrap_or(serde_json::Value::Null),
            address: e.address,
            hash: e.hash,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DutyTemplateDto {
    pub code: String,
    pub name: String,
    pub tier: String,
    pub industry_group: String,
}

#[derive(Deserialize, ToSchema)]
pub struct NewDutyList {
    pub organisation_id: String,
    /// A template code, e.g. `general.principal`.
    pub template: String,
}

#[derive(Serialize, ToSchema)]
pub struct PersonCoverageDto {
    pub person_id: String,
    pub name: String,
    pub tiers: Vec<String>,
    pub covered: bool,
    pub stale: bool,
}

#[derive(Serialize, ToSchema)]
pub struct CoverageDto {
    pub people: u64,
    pub covered: u64,
    pub stale: u64,
    /// Covered ÷ people, in per mille.
    pub permille: u64,
    pub missing_lists: Vec<String>,
    pub persons: Vec<PersonCoverageDto>,
}

impl From<anze_service::duty::Coverage> for CoverageDto {
    fn from(c: anze_service::duty::Coverage) -> Self {
        Self {
            people: c.people,
            covered: c.covered,
            stale: c.stale,
            permille: c.permille,
            missing_lists: c.missing_lists,
            persons: c
                .persons
                .into_iter()
                .map(|p| PersonCoverageDto { person_id: p.person_id, name: p.name, tiers: p.tiers, covered: p.covered, stale: p.stale })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct FitFlagDto {
    /// `duty.fit.same_across_tiers`, `duty.fit.copied_across_industries`,
    /// `duty.fit.tier_without_list` or `duty.fit.no_legal_basis`.
    pub code: String,
    /// Names the flag for `POST …/fit/dismissals`.
    pub key: String,
    pub tiers: Vec<String>,
    pub list_ids: Vec<String>,
    /// Similarity (0–1) for pairs and copies; the number of items without a basis otherwise.
    pub score: f64,
    /// For copies: the other enterprises' names.
    pub others: Vec<String>,
    /// The reason, when an officer dismissed the flag.
    pub dismissed_reason: Option<String>,
    pub dismissed_by: Option<String>,
}

impl From<anze_service::duty::FitFlag> for FitFlagDto {
    fn from(f: anze_service::duty::FitFlag) -> Self {
        Self {
            code: f.code.to_string(),
            key: f.key,
            tiers: f.tiers,
            list_ids: f.list_ids,
            score: f.score,
            others: f.others.into_iter().map(|(n, _)| n).collect(),
            dismissed_reason: f.dismissed.as_ref().map(|d| d.reason.clone()),
            dismissed_by: f.dismissed.map(|d| d.by),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct FitDismissalInput {
    pub key: String,
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct EnterpriseFiguresDto {
    pub id: String,
    pub name: String,
    pub township_code: Option<String>,
    pub industry_code: Option<String>,
    pub people: i32,
    pub covered: i32,
    pub stale: i32,
    pub missing_lists: i32,
}

impl From<anze_service::coverage::EnterpriseFigures> for EnterpriseFiguresDto {
    fn from(r: anze_service::coverage::EnterpriseFigures) -> Self {
        Self {
            id: r.id,
            name: r.name,
            township_code: r.township_code,
            industry_code: r.industry_code,
            people: r.people,
            covered: r.covered,
            stale: r.stale,
            missing_lists: r.missing_lists,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DeadlineTierDto {
    pub tier: String,
    /// `met`, `late`, `pending` or `missed`.
    pub state: String,
    pub published_on: Option<chrono::NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct GovernmentListsDto {
    pub organisation_id: String,
    pub name: String,
    pub kind: String,
    pub tiers: Vec<DeadlineTierDto>,
    pub people: u64,
    pub covered: u64,
}

#[derive(Serialize, ToSchema)]
pub struct GovernmentDeadlinesDto {
    pub deadline: chrono::NaiveDate,
    pub bodies: Vec<GovernmentListsDto>,
}

#[derive(Serialize, ToSchema)]
pub struct AcknowledgementDto {
    pub duty_list_id: String,
    pub tier: String,
    pub version: i32,
    pub person_id: String,
    pub person: String,
    pub signed_at: chrono::DateTime<chrono::Utc>,
    /// `typed` or `drawn`.
    pub method: String,
    /// SHA-256 of the exact text signed.
    pub text_hash: String,
}

#[derive(Serialize, ToSchema)]
pub struct DutyListDto {
    pub id: String,
    pub tier: String,
    pub title: String,
    pub version: i32,
    /// `draft`, `published` or `superseded`.
    pub state: String,
    pub signatures: usize,
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct QrCodeDto {
    pub token: String,
    /// `/m/{token}`: the phone page.
    pub path: String,
}

/// A fulfilment record to add. The photo is optional: base64 (or a `data:image/…;base64,`
/// URL) of a JPEG, PNG or WebP of at most 10 MB; the item page also takes it as a file upload.
#[derive(Deserialize, ToSchema)]
pub struct NewRecordDto {
    /// The day the duty was carried out (Asia/Shanghai), e.g. `2024-03-31`; not in the future.
    #[serde(default)]
    pub done_on: String,
    /// What was done (at most 500 characters).
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub photo_base64: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RecordDto {
    pub id: String,
    pub done_on: String,
    pub note: String,
    pub photo_id: Option<String>,
    /// Where the photo is served (a signed-in page session is needed).
    pub photo_url: Option<String>,
    pub created_by: String,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct PeriodDto {
    pub start: String,
    pub end: String,
    /// `done`, `missed` (a gap) or `open` (the current period).
    pub state: String,
}

#[derive(Serialize, ToSchema)]
pub struct ItemRecordsDto {
    pub item_id: String,
    pub list_id: String,
    pub frequency: String,
    pub records: Vec<RecordDto>,
    /// Every period due since the list was published; `on_event` items have none.
    pub periods: Vec<PeriodDto>,
    pub gaps: usize,
}

impl From<anze_service::fulfilment::ItemFulfilment> for ItemRecordsDto {
    fn from(f: anze_service::fulfilment::ItemFulfilment) -> Self {
        use anze_domain::fulfilment::PeriodState;
        Self {
            item_id: f.item.id,
            list_id: f.list.id,
            frequency: f.item.frequency,
            records: f
                .records
                .into_iter()
                .map(|r| RecordDto {
                    photo_url: r.photo_id.as_ref().map(|p| format!("/photos/{p}")),
                    id: r.id,
                    done_on: r.done_on.to_string(),
                    note: r.note,
                    photo_id: r.photo_id,
                    created_by: r.created_by,
                    created_at: r.created_at.to_rfc3339(),
                })
                .collect(),
            periods: f
                .periods
                .iter()
                .map(|p| PeriodDto {
                    start: p.start.to_string(),
                    end: p.end.to_string(),
                    state: match p.state {
                        PeriodState::Done => "done",
                        PeriodState::Missed => "missed",
                        PeriodState::Open => "open",
                    }
                    .into(),
                })
                .collect(),
            gaps: f.gaps,
        }
    }
}
