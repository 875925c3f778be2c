//! Organisations of every kind, with the enterprise base record joined where there is one.

use super::{Page, cursor, in_subtree};
use crate::entity::{committee_member, department_industry, enterprise, organisation};
use anze_domain::auth::Scope;
use anze_domain::org::OrgKind;
use sea_orm::sea_query::{Condition, Expr, ExprTrait, IntoColumnRef, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

pub use enterprise::Model as Enterprise;
pub use organisation::Model as Organisation;

use organisation::Column as O;

/// The SQL form of a caller's scope (the same decision as `Scope::admits`), over
/// organisations joined with their enterprise record.
pub fn scope_condition(scope: &Scope) -> Condition {
    scope_condition_on(
        scope,
        (organisation::Entity, O::Id),
        (organisation::Entity, O::Kind),
        (organisation::Entity, O::RegionPath),
        (enterprise::Entity, enterprise::Column::IndustryCode),
    )
}

/// The scope over any table that carries an organisation's id, kind, region path and
/// industry (e.g. the coverage summaries): one decision, whichever table holds the columns.
pub fn scope_condition_on<I, K, P, N>(scope: &Scope, id: I, kind: K, region_path: P, industry_code: N) -> Condition
where
    I: IntoColumnRef + Clone,
    K: IntoColumnRef + Clone,
    P: IntoColumnRef + Clone,
    N: IntoColumnRef + Clone,
{
    if scope.all {
        return Condition::all();
    }
    let ent = OrgKind::Enterprise.as_str();
    let gov: Vec<&str> = OrgKind::ALL.iter().filter(|k| k.is_government()).map(|k| k.as_str()).collect();
    let kind_is = |k: &str| Expr::col(kind.clone()).eq(k);
    let mut any = Condition::any();
    if !scope.organisations.is_empty() {
        any = any.add(Expr::col(id.clone()).is_in(scope.organisations.iter().map(|u| u.to_string())));
    }
    for root in &scope.all_kinds_in {
        any = any.add(in_subtree(region_path.clone(), root));
    }
    for root in &scope.enterprises_in {
        any = any.add(Condition::all().add(kind_is(ent)).add(in_subtree(region_path.clone(), root)));
    }
    for root in &scope.government_in {
        any = any.add(Condition::all().add(Expr::col(kind.clone()).is_in(gov.clone())).add(in_subtree(region_path.clone(), root)));
    }
    for (root, codes) in &scope.sector {
        let mut c = Condition::all().add(kind_is(ent)).add(Expr::col(industry_code.clone()).is_in(codes.clone()));
        if let Some(root) = root {
            c = c.add(in_subtree(region_path.clone(), root));
        }
        any = any.add(c);
    }
    // An empty `any` would match everything: a scope with no grants must match nothing.
    if any.is_empty() { Condition::all().add(Expr::val(1).eq(0)) } else { any }
}

/// Filters of the organisation and enterprise lists.
#[derive(Debug, Clone, Default)]
pub struct OrgFilter {
    pub kind: Option<OrgKind>,
    /// Region subtree (path); a township's own code is used as an equality when given.
    pub region_path: Option<String>,
    pub township_code: Option<String>,
    pub county_code: Option<String>,
    pub industry_codes: Option<Vec<String>>,
    pub risk_level: Option<String>,
    pub name_contains: Option<String>,
}

pub type OrgRow = (Organisation, Option<Enterprise>);

/// What the ledger's base record ("1" of "1+N") is judged on, read from the two rows.
pub fn base_record_facts<'a>(o: &'a Organisation, e: &'a Enterprise) -> anze_domain::ledger::BaseRecordFacts<'a> {
    anze_domain::ledger::BaseRecordFacts {
        address: o.address.as_deref(),
        principal_phone: e.principal_phone.as_deref(),
        safety_director_name: e.safety_director_name.as_deref(),
        headcount: e.headcount,
    }
}

pub(crate) fn filtered(tenant: &str, scope: &Scope, f: &OrgFilter) -> sea_orm::SelectTwo<organisation::Entity, enterprise::Entity> {
    let mut q =
        organisation::Entity::find().find_also_related(enterprise::Entity).filter(O::TenantId.eq(tenant)).filter(scope_condition(scope));
    if let Some(k) = f.kind {
        q = q.filter(O::Kind.eq(k.as_str()));
    }
    if let Some(t) = &f.township_code {
        q = q.filter(O::TownshipCode.eq(t.as_str()));
    } else if let Some(c) = &f.county_code {
        q = q.filter(O::CountyCode.eq(c.as_str()));
    } else if let Some(p) = &f.region_path {
        q = q.filter(in_subtree(O::RegionPath, p));
    }
    if let Some(codes) = &f.industry_codes {
        q = q.filter(enterprise::Column::IndustryCode.is_in(codes.clone()));
    }
    if let Some(r) = &f.risk_level {
        q = q.filter(enterprise::Column::RiskLevel.eq(r.as_str()));
    }
    if let Some(n) = &f.name_contains {
        let escaped = n.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        q = q.filter(Expr::col(O::Name).like(LikeExpr::new(format!("%{escaped}%")).escape('\\')));
    }
    q
}

/// The query of one page (limit + 1 rows, to know whether another page follows).
fn page_query(
    tenant: &str,
    scope: &Scope,
    f: &OrgFilter,
    after: Option<&str>,
    limit: u64,
) -> sea_orm::SelectTwo<organisation::Entity, enterprise::Entity> {
    let mut q = filtered(tenant, scope, f);
    if let Some((name, id)) = after.and_then(cursor::decode) {
        q = q.filter(Condition::any().add(O::Name.gt(name.clone())).add(Condition::all().add(O::Name.eq(name)).add(O::Id.gt(id))));
    }
    q.order_by_asc(O::Name).order_by_asc(O::Id).limit(limit + 1)
}

/// The SQLite plan of a page query (for tests that pin which index serves a list).
pub async fn explain_page(
    db: &DatabaseConnection,
    tenant: &str,
    scope: &Scope,
    f: &OrgFilter,
    after: Option<&str>,
) -> Result<Vec<String>, DbErr> {
    use sea_orm::QueryTrait;
    super::explain(db, page_query(tenant, scope, f, after, 50).build(db.get_database_backend())).await
}

/// One page ordered by (name, id), after `after` (an opaque cursor).
pub async fn list<C: ConnectionTrait>(
    db: &C,
    tenant: &str,
    scope: &Scope,
    f: &OrgFilter,
    after: Option<&str>,
    limit: u64,
) -> Result<Page<OrgRow>, DbErr> {
    let mut items = page_query(tenant, scope, f, after, limit).all(db).await?;
    let next = if items.len() as u64 > limit {
        items.truncate(limit as usize);
        items.last().map(|(o, _)| cursor::encode(&o.name, &o.id))
    } else {
        None
    };
    Ok(Page { items, next })
}

/// Every matching row, in pages of `batch` (exports).
pub async fn list_all<C: ConnectionTrait>(db: &C, tenant: &str, scope: &Scope, f: &OrgFilter) -> Result<Vec<OrgRow>, DbErr> {
    let mut out = vec![];
    let mut after: Option<String> = None;
    loop {
        let page = list(db, tenant, scope, f, after.as_deref(), 2000).await?;
        out.extend(page.items);
        match page.next {
            Some(n) => after = Some(n),
            None => return Ok(out),
        }
    }
}

pub async fn count<C: ConnectionTrait>(db: &C, tenant: &str, scope: &Scope, f: &OrgFilter) -> Result<u64, DbErr> {
    filtered(tenant, scope, f).count(db).await
}

/// One organisation if it exists and lies within the caller's scope.
pub async fn get<C: ConnectionTrait>(db: &C, tenant: &str, scope: &Scope, id: &str) -> Result<Option<OrgRow>, DbErr> {
    organisation::Entity::find()
        .find_also_related(enterprise::Entity)
        .filter(O::TenantId.eq(tenant))
        .filter(O::Id.eq(id))
        .filter(scope_condition(scope))
        .one(db)
        .await
}

pub async fn by_credit_code<C: ConnectionTrait>(db: &C, tenant: &str, code: &str) -> Result<Option<Enterprise>, DbErr> {
    enterprise::Entity::find().filter(enterprise::Column::TenantId.eq(tenant)).filter(enterprise::Column::CreditCode.eq(code)).one(db).await
}

/// Enterprises by credit code, for imports (one query per chunk of codes).
pub async fn by_credit_codes<C: ConnectionTrait>(db: &C, tenant: &str, codes: &[String]) -> Result<Vec<OrgRow>, DbErr> {
    let mut out = vec![];
    for chunk in codes.chunks(500) {
        let rows = organisation::Entity::find()
            .find_also_related(enterprise::Entity)
            .filter(O::TenantId.eq(tenant))
            .filter(enterprise::Column::CreditCode.is_in(chunk.to_vec()))
            .all(db)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

pub async fn insert<C: ConnectionTrait>(db: &C, org: organisation::ActiveModel, ent: Option<enterprise::ActiveModel>) -> Result<(), DbErr> {
    organisation::Entity::insert(org).exec_without_returning(db).await?;
    if let Some(e) = ent {
        enterprise::Entity::insert(e).exec_without_returning(db).await?;
    }
    Ok(())
}

pub async fn insert_many<C: ConnectionTrait>(
    db: &C,
    orgs: Vec<organisation::ActiveModel>,
    ents: Vec<enterprise::ActiveModel>,
) -> Result<(), DbErr> {
    for chunk in orgs.chunks(400) {
        organisation::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    for chunk in ents.chunks(300) {
        enterprise::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(())
}

pub async fn update<C: ConnectionTrait>(db: &C, org: Organisation, ent: Option<Enterprise>) -> Result<(), DbErr> {
    let o = org.into_active_model().reset_all();
    o.update(db).await?;
    if let Some(e) = ent {
        let e = e.into_active_model().reset_all();
        e.update(db).await?;
    }
    Ok(())
}

pub async fn add_committee_members<C: ConnectionTrait>(db: &C, rows: Vec<committee_member::ActiveModel>) -> Result<(), DbErr> {
    for chunk in rows.chunks(500) {
        committee_member::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(())
}

/// Members of a special committee: (member organisation, role), lead unit first.
pub async fn committee_members<C: ConnectionTrait>(db: &C, committee_id: &str) -> Result<Vec<(Organisation, String)>, DbErr> {
    let links = committee_member::Entity::find().filter(committee_member::Column::CommitteeId.eq(committee_id)).all(db).await?;
    let ids: Vec<String> = links.iter().map(|l| l.member_id.clone()).collect();
    let orgs = organisation::Entity::find().filter(O::Id.is_in(ids)).order_by_asc(O::Name).all(db).await?;
    let mut out: Vec<(Organisation, String)> = orgs
        .into_iter()
        .map(|o| {
            let role = links.iter().find(|l| l.member_id == o.id).map(|l| l.role.clone()).unwrap_or_default();
            (o, role)
        })
        .collect();
    out.sort_by_key(|(_, role)| role != "lead");
    Ok(out)
}

/// Special committees an organisation belongs to.
pub async fn committees_of<C: ConnectionTrait>(db: &C, member_id: &str) -> Result<Vec<Organisation>, DbErr> {
    let links = committee_member::Entity::find().filter(committee_member::Column::MemberId.eq(member_id)).all(db).await?;
    let ids: Vec<String> = links.into_iter().map(|l| l.committee_id).collect();
    organisation::Entity::find().filter(O::Id.is_in(ids)).order_by_asc(O::Name).all(db).await
}

pub async fn set_department_industries<C: ConnectionTrait>(db: &C, rows: Vec<department_industry::ActiveModel>) -> Result<(), DbErr> {
    for chunk in rows.chunks(500) {
        department_industry::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(())
}

pub async fn department_industries<C: ConnectionTrait>(db: &C, department_id: &str) -> Result<Vec<String>, DbErr> {
    Ok(department_industry::Entity::find()
        .filter(department_industry::Column::DepartmentId.eq(department_id))
        .order_by_asc(department_industry::Column::IndustryCode)
        .all(db)
        .await?
        .into_iter()
        .map(|d| d.industry_code)
        .collect())
}

/// Departments supervising an industry code ("管行业必须管安全"): any department whose
/// supervised code is a prefix of it.
pub async fn supervising_departments<C: ConnectionTrait>(db: &C, tenant: &str, industry_code: &str) -> Result<Vec<Organisation>, DbErr> {
    let prefixes: Vec<String> = (1..=industry_code.len()).map(|n| industry_code[..n].to_string()).collect();
    let links = department_industry::Entity::find()
        .filter(department_industry::Column::TenantId.eq(tenant))
        .filter(department_industry::Column::IndustryCode.is_in(prefixes))
        .all(db)
        .await?;
    let mut ids: Vec<String> = links.into_iter().map(|l| l.department_id).collect();
    ids.sort();
    ids.dedup();
    organisation::Entity::find().filter(O::Id.is_in(ids)).order_by_asc(O::Name).all(db).await
}

/// Names of units by id (lists that show many units' names read them in one query).
pub async fn names<C: ConnectionTrait>(db: &C, ids: &[String]) -> Result<Vec<(String, String)>, DbErr> {
    let mut out = vec![];
    for chunk in ids.chunks(500) {
        let rows: Vec<(String, String)> = organisation::Entity::find()
            .select_only()
            .columns([organisation::Column::Id, organisation::Column::Name])
            .filter(organisation::Column::Id.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}
