//! Regions, organisations and the enterprise base record.

use crate::scope::{organisation as get, target_of};
use crate::{Actor, Ctx, ServiceError, ServiceResult, audit};
use anze_domain::FieldError;
use anze_domain::auth::{Action, Target, expand_industries};
use anze_domain::org::{
    CreditCode, HazardousWorkKind, OrgKind, RegionCode, RegionLevel, RiskLevel, SupervisionClass, industry, parse_name, parse_optional,
    parse_phone,
};
use anze_store::TransactionTrait;
use anze_store::entity::{enterprise, organisation};
/// Organisations, enterprises and regions as pages and the API show them (read models).
pub use anze_store::repo::org::OrgRow;
use anze_store::repo::org::{self as repo, Enterprise, OrgFilter, Organisation};
use anze_store::repo::region as regions;
pub use anze_store::repo::region::Region;
use anze_store::repo::{Page, person};
use chrono::{DateTime, Utc};
use sea_orm::Set;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// All regions by code, loaded once for validating many rows (imports).
pub struct RegionIndex(HashMap<String, Region>);

impl RegionIndex {
    pub async fn load(ctx: &Ctx) -> ServiceResult<Self> {
        Self::load_with(&ctx.db.read, &ctx.tenant).await
    }
    /// Loads through a given connection (an open transaction sees its own inserts).
    pub async fn load_with<C: anze_store::ConnectionTrait>(db: &C, tenant: &str) -> ServiceResult<Self> {
        Ok(Self(regions::all(db, tenant).await?.into_iter().map(|r| (r.code.clone(), r)).collect()))
    }
    pub fn get(&self, code: &str) -> Option<&Region> {
        self.0.get(code)
    }
}

/// The base record as typed by a person or read from a sheet: text, validated here.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct EnterpriseInput {
    pub name: String,
    pub credit_code: String,
    pub industry_code: String,
    /// The locality: a township or village code.
    pub region_code: String,
    /// Optional grid inside that locality.
    #[serde(default)]
    pub grid_code: String,
    #[serde(default)]
    pub address: String,
    pub legal_representative: String,
    pub principal_name: String,
    #[serde(default)]
    pub principal_phone: String,
    #[serde(default)]
    pub safety_director_name: String,
    #[serde(default)]
    pub headcount: String,
    pub risk_level: String,
    #[serde(default)]
    pub supervision_class: String,
    #[serde(default)]
    pub major_hazard_source: bool,
    #[serde(default)]
    pub hazardous_work_kinds: Vec<String>,
    #[serde(default)]
    pub liability_insurance: bool,
}

/// A base record that passed every check.
#[derive(Debug, Clone)]
pub struct ValidEnterprise {
    pub name: String,
    pub credit_code: CreditCode,
    pub industry_code: String,
    pub high_risk_group: Option<String>,
    pub region: Region,
    pub grid_code: Option<String>,
    pub address: Option<String>,
    pub legal_representative: String,
    pub principal_name: String,
    pub principal_phone: Option<String>,
    pub safety_director_name: Option<String>,
    pub headcount: i32,
    pub risk_level: RiskLevel,
    pub supervision_class: SupervisionClass,
    pub major_hazard_source: bool,
    pub hazardous_work_kinds: Vec<HazardousWorkKind>,
    pub liability_insurance: bool,
}

/// Checks every field and reports all problems at once.
pub fn validate_enterprise(input: &EnterpriseInput, regions: &RegionIndex) -> Result<ValidEnterprise, Vec<FieldError>> {
    let mut c = anze_domain::Collector::default();
    let name = c.ok(parse_name("name", &input.name, 100));
    let credit_code = c.ok(CreditCode::parse(&input.credit_code));
    let industry_code = input.industry_code.trim().to_string();
    let ind = c.ok(industry(&industry_code).ok_or_else(|| {
        if industry_code.is_empty() {
            FieldError::new("industry_code", "field.required")
        } else {
            FieldError::new("industry_code", "org.industry.unknown").with_detail(industry_code.clone())
        }
    }));
    let region = c.ok(RegionCode::parse(&input.region_code).map_err(|e| FieldError { field: "region_code", ..e }).and_then(|code| {
        let r =
            regions.get(code.as_str()).ok_or_else(|| FieldError::new("region_code", "region.code.unknown").with_detail(code.as_str()))?;
        if matches!(r.level.as_str(), "township" | "village") {
            Ok(r.clone())
        } else {
            Err(FieldError::new("region_code", "org.region.level"))
        }
    }));
    let grid_code = match input.grid_code.trim() {
        "" => None,
        g => c.ok(match regions.get(g) {
            None => Err(FieldError::new("grid_code", "region.code.unknown").with_detail(g)),
            Some(grid) if grid.level != "grid" => Err(FieldError::new("grid_code", "org.grid.not_grid")),
            Some(grid) => match &region {
                Some(r) if !(grid.path.starts_with(&r.path) && grid.path[r.path.len()..].starts_with('/')) => {
                    Err(FieldError::new("grid_code", "org.grid.outside_region").with_detail(g))
                }
                _ => Ok(grid.code.clone()),
            },
        }),
    };
    let address = c.ok(parse_optional("address", &input.address, 200)).flatten();
    let legal_representative = c.ok(parse_name("legal_representative", &input.legal_representative, 50));
    let principal_name = c.ok(parse_name("principal_name", &input.principal_name, 50));
    let principal_phone = c.ok(parse_phone("principal_phone", &input.principal_phone)).flatten();
    let safety_director_name = c.ok(parse_optional("safety_director_name", &input.safety_director_name, 50)).flatten();
    let headcount = match input.headcount.trim() {
        "" => Some(0),
        h => c.ok(h
            .parse::<i32>()
            .ok()
            .filter(|n| (0..=1_000_000).contains(n))
            .ok_or_else(|| FieldError::new("headcount", "field.not_a_count"))),
    };
    let risk_level = c.ok(RiskLevel::parse(input.risk_level.trim()).ok_or_else(|| FieldError::new("risk_level", "org.risk_level.invalid")));
    let supervision_class = match input.supervision_class.trim() {
        "" => Some(SupervisionClass::C),
        s => c.ok(SupervisionClass::parse(&s.to_ascii_lowercase())
            .ok_or_else(|| FieldError::new("supervision_class", "org.supervision_class.invalid"))),
    };
    let mut kinds = vec![];
    for k in input.hazardous_work_kinds.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
        if let Some(kind) = c
            .ok(HazardousWorkKind::parse(k)
                .ok_or_else(|| FieldError::new("hazardous_work_kinds", "org.hazardous_work.invalid").with_detail(k)))
            && !kinds.contains(&kind)
        {
            kinds.push(kind);
        }
    }
    if !c.is_empty() {
        return Err(c.0);
    }
    let (
        Some(name),
        Some(credit_code),
        Some(ind),
        Some(region),
        Some(legal_representative),
        Some(principal_name),
        Some(headcount),
        Some(risk_level),
        Some(supervision_class),
    ) = (name, credit_code, ind, region, legal_representative, principal_name, headcount, risk_level, supervision_class)
    else {
        return Err(vec![FieldError::new("name", "field.required")]);
    };
    Ok(ValidEnterprise {
        name,
        credit_code,
        industry_code: ind.code.to_string(),
        high_risk_group: ind.high_risk.map(|g| g.as_str().to_string()),
        region,
        grid_code,
        address,
        legal_representative,
        principal_name,
        principal_phone,
        safety_director_name,
        headcount,
        risk_level,
        supervision_class,
        major_hazard_source: input.major_hazard_source,
        hazardous_work_kinds: kinds,
        liability_insurance: input.liability_insurance,
    })
}

impl ValidEnterprise {
    /// The most specific place the enterprise sits: its grid when it has one, so a grid
    /// worker's scope (the grid's subtree) contains it; else its township or village.
    pub fn path(&self) -> String {
        self.grid_code.as_deref().and_then(|g| RegionCode::parse(g).ok()).map(|g| g.path()).unwrap_or_else(|| self.region.path.clone())
    }

    pub fn target(&self, id: Uuid) -> Target {
        Target { kind: OrgKind::Enterprise, organisation_id: id, region_path: self.path(), industry_code: Some(self.industry_code.clone()) }
    }

    /// The rows this record becomes, keeping `created_at` of an existing organisation.
    pub fn rows(&self, ctx: &Ctx, id: &str, created_at: DateTime<Utc>, now: DateTime<Utc>) -> (Organisation, Enterprise) {
        let code = RegionCode::parse(&self.region.code).ok();
        let org = Organisation {
            id: id.to_string(),
            tenant_id: ctx.tenant.clone(),
            kind: OrgKind::Enterprise.as_str().into(),
            name: self.name.clone(),
            region_code: self.region.code.clone(),
            region_path: self.path(),
            county_code: code.as_ref().and_then(|c| c.county().map(String::from)),
            township_code: code.as_ref().and_then(|c| c.township().map(String::from)),
            parent_id: None,
            address: self.address.clone(),
            created_at,
            updated_at: now,
        };
        let ent = Enterprise {
            organisation_id: id.to_string(),
            tenant_id: ctx.tenant.clone(),
            credit_code: self.credit_code.as_str().into(),
            industry_code: self.industry_code.clone(),
            high_risk_group: self.high_risk_group.clone(),
            grid_code: self.grid_code.clone(),
            legal_representative: self.legal_representative.clone(),
            principal_name: self.principal_name.clone(),
            principal_phone: self.principal_phone.clone(),
            safety_director_name: self.safety_director_name.clone(),
            headcount: self.headcount,
            risk_level: self.risk_level.as_str().into(),
            supervision_class: self.supervision_class.as_str().into(),
            major_hazard_source: self.major_hazard_source,
            hazardous_work_kinds: self.hazardous_work_kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(","),
            liability_insurance: self.liability_insurance,
        };
        (org, ent)
    }
}

/// The audited view of a record: the fields people recognise.
pub fn snapshot(o: &Organisation, e: Option<&Enterprise>) -> serde_json::Value {
    let mut v = serde_json::json!({"name": o.name, "kind": o.kind, "region_code": o.region_code, "address": o.address});
    if let (Some(e), Some(map)) = (e, v.as_object_mut())
        && let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(e)
    {
        for (k, val) in fields {
            if !matches!(k.as_str(), "organisation_id" | "tenant_id" | "principal_phone") {
                map.insert(k, val);
            }
        }
    }
    v
}

pub fn to_active(o: Organisation, e: Enterprise) -> (organisation::ActiveModel, enterprise::ActiveModel) {
    use sea_orm::{ActiveModelTrait, IntoActiveModel};
    (o.into_active_model().reset_all(), e.into_active_model().reset_all())
}

#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn create_enterprise(ctx: &Ctx, actor: &Actor, input: &EnterpriseInput, now: DateTime<Utc>) -> ServiceResult<Uuid> {
    let regions = RegionIndex::load(ctx).await?;
    let valid = validate_enterprise(input, &regions).map_err(ServiceError::Invalid)?;
    let id = anze_domain::ids::new_id();
    if !actor.can(Action::Create, &valid.target(id)) {
        return Err(ServiceError::Forbidden);
    }
    let tx = ctx.db.write.begin().await?;
    if repo::by_credit_code(&tx, &ctx.tenant, valid.credit_code.as_str()).await?.is_some() {
        return Err(ServiceError::field("credit_code", "org.credit_code.taken"));
    }
    let (o, e) = valid.rows(ctx, &id.to_string(), now, now);
    let changes = anze_domain::audit::diff(&serde_json::json!({}), &snapshot(&o, Some(&e)));
    let (oa, ea) = to_active(o, e);
    repo::insert(&tx, oa, Some(ea)).await?;
    audit::record(&tx, ctx, actor, now, audit::Event::new("enterprise.create", "organisation", &id.to_string(), changes)).await?;
    crate::coverage::refresh(&tx, ctx, &id.to_string(), now).await?;
    tx.commit().await?;
    Ok(id)
}

#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, id = %id))]
pub async fn update_enterprise(ctx: &Ctx, actor: &Actor, id: Uuid, input: &EnterpriseInput, now: DateTime<Utc>) -> ServiceResult<()> {
    let (org, ent) = get(ctx, actor, id).await?;
    let ent = ent.ok_or(ServiceError::NotFound)?;
    if !actor.can(Action::Edit, &target_of(&org, Some(&ent))) {
        return Err(ServiceError::Forbidden);
    }
    let regions = RegionIndex::load(ctx).await?;
    let valid = validate_enterprise(input, &regions).map_err(ServiceError::Invalid)?;
    // Moving a record out of one's own territory or sector would lose it: refuse.
    if !actor.can(Action::Edit, &valid.target(id)) {
        return Err(ServiceError::field("region_code", "org.region.outside_scope"));
    }
    let tx = ctx.db.write.begin().await?;
    if let Some(other) = repo::by_credit_code(&tx, &ctx.tenant, valid.credit_code.as_str()).await?
        && other.organisation_id != org.id
    {
        return Err(ServiceError::field("credit_code", "org.credit_code.taken"));
    }
    let before = snapshot(&org, Some(&ent));
    let (o, e) = valid.rows(ctx, &org.id, org.created_at, now);
    let changes = anze_domain::audit::diff(&before, &snapshot(&o, Some(&e)));
    if changes.as_object().is_some_and(|m| m.is_empty()) {
        return Ok(());
    }
    repo::update(&tx, o, Some(e)).await?;
    audit::record(&tx, ctx, actor, now, audit::Event::new("enterprise.update", "organisation", &org.id, changes)).await?;
    // The summary carries the enterprise's place and industry for the rollups.
    crate::coverage::refresh(&tx, ctx, &org.id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Filters as people type them (codes), before they are resolved.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub industry: Option<String>,
    #[serde(default)]
    pub risk: Option<String>,
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub after: Option<String>,
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Turns typed filters into a store filter; unknown codes are errors, not empty lists.
/// The enterprises a random draw picks from (spot checks, 双随机), by typed region, industry
/// and risk. Field errors join `errors`, so a draw reports every bad input at once; `None`
/// when any input is bad.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn draw_pool_filter(
    ctx: &Ctx,
    region: &Option<String>,
    industry: &Option<String>,
    risk: &Option<String>,
    errors: &mut Vec<anze_domain::FieldError>,
) -> ServiceResult<Option<OrgFilter>> {
    let q = ListQuery {
        kind: Some(OrgKind::Enterprise.as_str().into()),
        region: region.clone(),
        industry: industry.clone(),
        risk: risk.clone(),
        ..Default::default()
    };
    match resolve_filter(ctx, &q).await {
        Ok(f) => Ok(Some(f).filter(|_| errors.is_empty())),
        Err(ServiceError::Invalid(f)) => {
            errors.extend(f);
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn resolve_filter(ctx: &Ctx, q: &ListQuery) -> ServiceResult<OrgFilter> {
    let mut f = OrgFilter::default();
    if let Some(k) = nonempty(&q.kind) {
        f.kind = Some(OrgKind::parse(k).ok_or_else(|| ServiceError::field("kind", "org.kind.invalid"))?);
    }
    if let Some(code) = nonempty(&q.region) {
        let parsed = RegionCode::parse(code).map_err(|e| ServiceError::Invalid(vec![FieldError { field: "region", ..e }]))?;
        let r = regions::by_code(&ctx.db.read, &ctx.tenant, parsed.as_str())
            .await?
            .ok_or_else(|| ServiceError::Invalid(vec![FieldError::new("region", "region.code.unknown").with_detail(code)]))?;
        match parsed.level() {
            RegionLevel::Township => f.township_code = Some(r.code),
            RegionLevel::County => f.county_code = Some(r.code),
            _ => f.region_path = Some(r.path),
        }
    }
    if let Some(i) = nonempty(&q.industry) {
        let codes = expand_industries(&[i.to_string()]);
        if codes.is_empty() {
            return Err(ServiceError::Invalid(vec![FieldError::new("industry", "org.industry.unknown").with_detail(i)]));
        }
        f.industry_codes = Some(codes);
    }
    if let Some(r) = nonempty(&q.risk) {
        f.risk_level = Some(RiskLevel::parse(r).ok_or_else(|| ServiceError::field("risk", "org.risk_level.invalid"))?.as_str().into());
    }
    f.name_contains = nonempty(&q.q).map(String::from);
    Ok(f)
}

#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn list(ctx: &Ctx, actor: &Actor, q: &ListQuery, limit: u64) -> ServiceResult<Page<OrgRow>> {
    let f = resolve_filter(ctx, q).await?;
    Ok(repo::list(&ctx.db.read, &ctx.tenant, &actor.scope(), &f, nonempty(&q.after), limit.clamp(1, 200)).await?)
}

#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn count(ctx: &Ctx, actor: &Actor, kind: OrgKind) -> ServiceResult<u64> {
    let f = OrgFilter { kind: Some(kind), ..Default::default() };
    Ok(repo::count(&ctx.db.read, &ctx.tenant, &actor.scope(), &f).await?)
}

/// Everything the detail page of an organisation shows.
pub struct OrgDetail {
    pub org: Organisation,
    pub enterprise: Option<Enterprise>,
    pub region_chain: Vec<Region>,
    pub staff: Vec<(person::Employment, person::Person)>,
    pub committee_members: Vec<(Organisation, String)>,
    pub committees: Vec<Organisation>,
    pub industries: Vec<String>,
    pub supervising_departments: Vec<Organisation>,
}

#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, id = %id))]
pub async fn detail(ctx: &Ctx, actor: &Actor, id: Uuid) -> ServiceResult<OrgDetail> {
    let (org, ent) = get(ctx, actor, id).await?;
    let db = &ctx.db.read;
    let region_chain = regions::ancestors(db, &ctx.tenant, &org.region_path).await?;
    let staff = person::staff(db, &org.id, false).await?;
    let committee_members = repo::committee_members(db, &org.id).await?;
    let committees = repo::committees_of(db, &org.id).await?;
    let industries = repo::department_industries(db, &org.id).await?;
    let supervising_departments = match &ent {
        Some(e) => repo::supervising_departments(db, &ctx.tenant, &e.industry_code).await?,
        None => vec![],
    };
    Ok(OrgDetail { org, enterprise: ent, region_chain, staff, committee_members, committees, industries, supervising_departments })
}

/// A region and its children, for the browser; regions are public within the tenant.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn region_children(ctx: &Ctx, code: Option<&str>) -> ServiceResult<(Vec<Region>, Vec<Region>)> {
    let chain = match code {
        Some(c) => {
            let r = regions::by_code(&ctx.db.read, &ctx.tenant, c).await?.ok_or(ServiceError::NotFound)?;
            regions::ancestors(&ctx.db.read, &ctx.tenant, &r.path).await?
        }
        None => vec![],
    };
    let children = regions::children(&ctx.db.read, &ctx.tenant, code).await?;
    Ok((chain, children))
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn regions_of_level(ctx: &Ctx, level: RegionLevel) -> ServiceResult<Vec<Region>> {
    Ok(regions::of_level(&ctx.db.read, &ctx.tenant, level.as_str(), None).await?)
}

/// For the demo loader and imports: the active models of a new government organisation.
pub fn new_org(
    ctx: &Ctx,
    kind: OrgKind,
    name: &str,
    region: &Region,
    parent_id: Option<String>,
    now: DateTime<Utc>,
) -> organisation::ActiveModel {
    let code = RegionCode::parse(&region.code).ok();
    organisation::ActiveModel {
        id: Set(anze_domain::ids::new_id().to_string()),
        tenant_id: Set(ctx.tenant.clone()),
        kind: Set(kind.as_str().into()),
        name: Set(name.into()),
        region_code: Set(region.code.clone()),
        region_path: Set(region.path.clone()),
        county_code: Set(code.as_ref().and_then(|c| c.county().map(String::from))),
        township_code: Set(code.as_ref().and_then(|c| c.township().map(String::from))),
        parent_id: Set(parent_id),
        address: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

/// A government body, committee, insurer or expert body as typed (enterprises have their own
/// base record: `EnterpriseInput`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct OrganisationInput {
    /// `safety_committee`, `committee_office`, `special_committee`, `department`,
    /// `township_office`, `insurer` or `expert_body`.
    pub kind: String,
    pub name: String,
    /// The region it serves (a county for city bodies, a township for township offices).
    pub region_code: String,
    #[serde(default)]
    pub address: String,
    /// Departments: the industries (GB/T 4754 codes) they supervise.
    #[serde(default)]
    pub industries: Vec<String>,
    /// Special committees: the lead unit (a department's id).
    #[serde(default)]
    pub lead_unit: Option<String>,
    /// Special committees: member units (departments' ids).
    #[serde(default)]
    pub members: Vec<String>,
}

/// The id of an existing department, or the field error that says it is not one.
async fn department_id(ctx: &Ctx, id: &str, field: &'static str) -> ServiceResult<Result<String, FieldError>> {
    let all = anze_domain::auth::Scope { all: true, ..Default::default() };
    let found = repo::get(&ctx.db.read, &ctx.tenant, &all, id.trim()).await?;
    Ok(match found {
        Some((o, _)) if o.kind == OrgKind::Department.as_str() => Ok(o.id),
        _ => Err(FieldError::new(field, "org.department.unknown").with_detail(id.trim())),
    })
}

/// Creates a non-enterprise organisation with its industries or committee members.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn create_organisation(ctx: &Ctx, actor: &Actor, input: &OrganisationInput, now: DateTime<Utc>) -> ServiceResult<Uuid> {
    let mut c = anze_domain::Collector::default();
    let kind = c.ok(OrgKind::parse(input.kind.trim())
        .filter(|k| *k != OrgKind::Enterprise)
        .ok_or_else(|| FieldError::new("kind", "org.kind.invalid")));
    let name = c.ok(parse_name("name", &input.name, 100));
    let address = c.ok(parse_optional("address", &input.address, 200)).flatten();
    let region = match RegionCode::parse(&input.region_code) {
        Ok(code) => c.ok(regions::by_code(&ctx.db.read, &ctx.tenant, code.as_str())
            .await?
            .ok_or_else(|| FieldError::new("region_code", "region.code.unknown").with_detail(code.as_str()))),
        Err(e) => {
            c.push(FieldError { field: "region_code", ..e });
            None
        }
    };
    let mut industries = vec![];
    for code in input.industries.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        match industry(code) {
            Some(_) if !industries.iter().any(|x| x == code) => industries.push(code.to_string()),
            Some(_) => {}
            None => c.push(FieldError::new("industries", "org.industry.unknown").with_detail(code)),
        }
    }
    let lead = match input.lead_unit.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) => department_id(ctx, id, "lead_unit").await?.map(Some),
        None => Ok(None),
    };
    let lead = c.ok(lead).flatten();
    let mut members = vec![];
    for m in &input.members {
        if let Some(id) = c.ok(department_id(ctx, m, "members").await?)
            && Some(&id) != lead.as_ref()
            && !members.contains(&id)
        {
            members.push(id);
        }
    }
    if kind == Some(OrgKind::SpecialCommittee) && lead.is_none() && c.is_empty() {
        c.push(FieldError::new("lead_unit", "field.required"));
    }
    let (Some(kind), Some(name), Some(region)) = (kind, name, region) else { return Err(ServiceError::Invalid(c.0)) };
    if !c.is_empty() {
        return Err(ServiceError::Invalid(c.0));
    }
    let mut row = new_org(ctx, kind, &name, &region, None, now);
    let id = anze_domain::ids::new_id();
    row.id = Set(id.to_string());
    row.address = Set(address.clone());
    let target = Target { kind, organisation_id: id, region_path: region.path.clone(), industry_code: None };
    if !actor.can(Action::Create, &target) {
        return Err(ServiceError::Forbidden);
    }
    let tx = ctx.db.write.begin().await?;
    repo::insert(&tx, row, None).await?;
    use anze_store::entity::{committee_member, department_industry};
    let links: Vec<department_industry::ActiveModel> = industries
        .iter()
        .map(|code| department_industry::ActiveModel {
            id: Set(anze_domain::ids::new_id().to_string()),
            tenant_id: Set(ctx.tenant.clone()),
            department_id: Set(id.to_string()),
            industry_code: Set(code.clone()),
        })
        .collect();
    repo::set_department_industries(&tx, links).await?;
    let roles = lead.iter().map(|l| (l, "lead")).chain(members.iter().map(|m| (m, "member")));
    let rows: Vec<committee_member::ActiveModel> = roles
        .map(|(m, role)| committee_member::ActiveModel {
            id: Set(anze_domain::ids::new_id().to_string()),
            tenant_id: Set(ctx.tenant.clone()),
            committee_id: Set(id.to_string()),
            member_id: Set(m.clone()),
            role: Set(role.into()),
        })
        .collect();
    repo::add_committee_members(&tx, rows).await?;
    let after = serde_json::json!({
        "kind": kind.as_str(), "name": name, "region_code": region.code, "address": address,
        "industries": industries, "lead_unit": lead, "members": members,
    });
    audit::record(
        &tx,
        ctx,
        actor,
        now,
        audit::Event::new("organisation.create", "organisation", &id.to_string(), anze_domain::audit::diff(&serde_json::json!({}), &after)),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
