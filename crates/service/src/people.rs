//! People and their posts: joining, changing post and leaving are employments that start
//! and end; the person record is shared.

use crate::scope::{organisation as get, target_of};
use crate::{Actor, Ctx, ServiceError, ServiceResult, audit};
use anze_domain::FieldError;
use anze_domain::auth::Action;
use anze_domain::org::{OrgKind, PostTier, parse_id_number, parse_name, parse_optional, parse_phone};
use anze_domain::time::parse_date;
use anze_store::TransactionTrait;
use anze_store::entity::{employment, person};
use anze_store::repo::person as repo;
/// People and their posts as pages and the API show them (read models).
pub use anze_store::repo::person::{Employment, Person};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::Set;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A person and one post, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct StaffInput {
    pub name: String,
    #[serde(default)]
    pub id_number: String,
    #[serde(default)]
    pub phone: String,
    pub post_title: String,
    pub tier: String,
    #[serde(default)]
    pub unit_name: String,
    pub start_date: String,
    #[serde(default)]
    pub end_date: String,
}

#[derive(Debug, Clone)]
pub struct ValidStaff {
    pub name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub post_title: String,
    pub tier: PostTier,
    pub unit_name: Option<String>,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
}

impl ValidStaff {
    /// The key of a person within one organisation: the ID number, else name and phone.
    pub fn key(&self) -> String {
        match &self.id_number {
            Some(id) => format!("id:{id}"),
            None => format!("np:{}|{}", self.name, self.phone.as_deref().unwrap_or("")),
        }
    }
}

fn date_field(field: &'static str, text: &str, required: bool) -> Result<Option<NaiveDate>, FieldError> {
    match text.trim() {
        "" if required => Err(FieldError::new(field, "field.required")),
        "" => Ok(None),
        t => parse_date(t).map(Some).ok_or_else(|| FieldError::new(field, "field.date_invalid").with_detail(t)),
    }
}

/// Checks a person and post as typed. `today` is the local date: a post cannot start, nor
/// a leaving be recorded, in the future (a change is recorded when it happens).
pub fn validate_staff(input: &StaffInput, org_kind: OrgKind, today: NaiveDate) -> Result<ValidStaff, Vec<FieldError>> {
    let mut c = anze_domain::Collector::default();
    let name = c.ok(parse_name("name", &input.name, 50));
    let id_number = c.ok(parse_id_number("id_number", &input.id_number)).flatten();
    let phone = c.ok(parse_phone("phone", &input.phone)).flatten();
    let post_title = c.ok(parse_name("post_title", &input.post_title, 50));
    let tier = c.ok(PostTier::parse(input.tier.trim())
        .ok_or_else(|| FieldError::new("tier", "person.tier.invalid"))
        .and_then(|t| if t.fits(org_kind) { Ok(t) } else { Err(FieldError::new("tier", "person.tier.wrong_kind")) }));
    let unit_name = c.ok(parse_optional("unit_name", &input.unit_name, 50)).flatten();
    let start_date = c.ok(date_field("start_date", &input.start_date, true)).flatten();
    let end_date = c.ok(date_field("end_date", &input.end_date, false)).flatten();
    if let (Some(s), Some(e)) = (start_date, end_date)
        && e < s
    {
        c.push(FieldError::new("end_date", "employment.end_before_start"));
    }
    if start_date.is_some_and(|d| d > today) {
        c.push(FieldError::new("start_date", "employment.in_future"));
    }
    if end_date.is_some_and(|d| d > today) {
        c.push(FieldError::new("end_date", "employment.in_future"));
    }
    match (name, post_title, tier, start_date) {
        (Some(name), Some(post_title), Some(tier), Some(start_date)) if c.is_empty() => {
            Ok(ValidStaff { name, id_number, phone, post_title, tier, unit_name, start_date, end_date })
        }
        _ => Err(c.0),
    }
}

/// A new person row and its id.
pub fn new_person(ctx: &Ctx, v: &ValidStaff, now: DateTime<Utc>) -> (String, person::ActiveModel) {
    let id = anze_domain::ids::new_id().to_string();
    let row = person::ActiveModel {
        id: Set(id.clone()),
        tenant_id: Set(ctx.tenant.clone()),
        name: Set(v.name.clone()),
        id_number: Set(v.id_number.clone()),
        phone: Set(v.phone.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    };
    (id, row)
}

/// A new employment row and its id.
pub fn new_employment(ctx: &Ctx, person_id: &str, org_id: &str, v: &ValidStaff, now: DateTime<Utc>) -> (String, employment::ActiveModel) {
    let id = anze_domain::ids::new_id().to_string();
    let row = employment::ActiveModel {
        id: Set(id.clone()),
        tenant_id: Set(ctx.tenant.clone()),
        person_id: Set(person_id.into()),
        organisation_id: Set(org_id.into()),
        post_title: Set(v.post_title.clone()),
        tier: Set(v.tier.as_str().into()),
        unit_name: Set(v.unit_name.clone()),
        start_date: Set(v.start_date),
        end_date: Set(v.end_date),
        created_at: Set(now),
    };
    (id, row)
}

/// The audited view of a post (no ID number or phone: the trail is read widely).
pub fn post_snapshot(person_name: &str, v: &ValidStaff) -> serde_json::Value {
    serde_json::json!({
        "person": person_name, "post_title": v.post_title, "tier": v.tier.as_str(),
        "unit_name": v.unit_name, "start_date": v.start_date.to_string(), "end_date": v.end_date.map(|d| d.to_string()),
    })
}

/// Adds a person (or finds them by ID number) and gives them a post in the organisation.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, org_id = %org_id))]
pub async fn add_staff(ctx: &Ctx, actor: &Actor, org_id: Uuid, input: &StaffInput, now: DateTime<Utc>) -> ServiceResult<Uuid> {
    let (org, ent) = get(ctx, actor, org_id).await?;
    if !actor.can(Action::Edit, &target_of(&org, ent.as_ref())) {
        return Err(ServiceError::Forbidden);
    }
    let kind = OrgKind::parse(&org.kind).unwrap_or(OrgKind::Enterprise);
    let v = validate_staff(input, kind, anze_domain::time::local_date(now)).map_err(ServiceError::Invalid)?;
    let tx = ctx.db.write.begin().await?;
    let existing = match &v.id_number {
        Some(id) => repo::staff(&tx, &org.id, true).await?.into_iter().find(|(_, p)| p.id_number.as_deref() == Some(id.as_str())),
        None => None,
    };
    let person_id = match existing {
        Some((_, p)) => p.id,
        None => {
            let (id, p) = new_person(ctx, &v, now);
            repo::insert_people(&tx, vec![p]).await?;
            id
        }
    };
    let (eid, e) = new_employment(ctx, &person_id, &org.id, &v, now);
    repo::insert_employments(&tx, vec![e]).await?;
    let changes = anze_domain::audit::diff(&serde_json::json!({}), &post_snapshot(&v.name, &v));
    audit::record(&tx, ctx, actor, now, audit::Event::new("employment.create", "organisation", &org.id, changes)).await?;
    crate::coverage::refresh(&tx, ctx, &org.id, now).await?;
    tx.commit().await?;
    Uuid::parse_str(&eid).map_err(|e| ServiceError::Internal(e.to_string()))
}

/// Ends a post (leaving, or before a change of post). Returns the organisation and whether
/// it is an enterprise, so the caller can go back to it.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, employment_id = %employment_id))]
pub async fn end_employment(ctx: &Ctx, actor: &Actor, employment_id: Uuid, end: &str, now: DateTime<Utc>) -> ServiceResult<(Uuid, bool)> {
    let mut e = repo::get_employment(&ctx.db.read, &ctx.tenant, &employment_id.to_string()).await?.ok_or(ServiceError::NotFound)?;
    let org_id = Uuid::parse_str(&e.organisation_id).map_err(|_| ServiceError::NotFound)?;
    let (org, ent) = get(ctx, actor, org_id).await?;
    if !actor.can(Action::Edit, &target_of(&org, ent.as_ref())) {
        return Err(ServiceError::Forbidden);
    }
    let end = date_field("end_date", end, true).map_err(|e| ServiceError::Invalid(vec![e]))?.unwrap_or(e.start_date);
    if end < e.start_date {
        return Err(ServiceError::field("end_date", "employment.end_before_start"));
    }
    if end > anze_domain::time::local_date(now) {
        return Err(ServiceError::field("end_date", "employment.in_future"));
    }
    if e.end_date.is_some() {
        return Err(ServiceError::Refused("employment.already_ended"));
    }
    e.end_date = Some(end);
    let tx = ctx.db.write.begin().await?;
    let changes = serde_json::json!({"end_date": [null, end.to_string()], "post_title": [e.post_title, e.post_title]});
    repo::update_employment(&tx, e).await?;
    audit::record(&tx, ctx, actor, now, audit::Event::new("employment.end", "organisation", &org.id, changes)).await?;
    crate::coverage::refresh(&tx, ctx, &org.id, now).await?;
    tx.commit().await?;
    Ok((org_id, ent.is_some()))
}

/// The organisation of an employment in the actor's scope, and whether it is an enterprise.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, employment_id = %employment_id))]
pub async fn employment(ctx: &Ctx, actor: &Actor, employment_id: Uuid) -> ServiceResult<(Uuid, bool)> {
    let e = repo::get_employment(&ctx.db.read, &ctx.tenant, &employment_id.to_string()).await?.ok_or(ServiceError::NotFound)?;
    let org_id = Uuid::parse_str(&e.organisation_id).map_err(|_| ServiceError::NotFound)?;
    let (_, ent) = get(ctx, actor, org_id).await?;
    Ok((org_id, ent.is_some()))
}

/// A change of post as typed: the new post and the day it starts.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct PostChange {
    pub post_title: String,
    pub tier: String,
    #[serde(default)]
    pub unit_name: String,
    /// The first day in the new post (the old one ends the day before).
    pub start_date: String,
}

/// Moves a person to another post in one step: the old post ends the day before the new one
/// starts, in one transaction and one audit event. The new post's list is not signed yet, so
/// the person turns stale once the grace period has passed.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, employment_id = %employment_id))]
pub async fn change_post(ctx: &Ctx, actor: &Actor, employment_id: Uuid, change: &PostChange, now: DateTime<Utc>) -> ServiceResult<Uuid> {
    let mut old = repo::get_employment(&ctx.db.read, &ctx.tenant, &employment_id.to_string()).await?.ok_or(ServiceError::NotFound)?;
    let org_id = Uuid::parse_str(&old.organisation_id).map_err(|_| ServiceError::NotFound)?;
    let (org, ent) = get(ctx, actor, org_id).await?;
    if !actor.can(Action::Edit, &target_of(&org, ent.as_ref())) {
        return Err(ServiceError::Forbidden);
    }
    if old.end_date.is_some() {
        return Err(ServiceError::Refused("employment.already_ended"));
    }
    let p = repo::get_person(&ctx.db.read, &ctx.tenant, &old.person_id).await?.ok_or(ServiceError::NotFound)?;
    let input = StaffInput {
        name: p.name.clone(),
        post_title: change.post_title.clone(),
        tier: change.tier.clone(),
        unit_name: change.unit_name.clone(),
        start_date: change.start_date.clone(),
        ..Default::default()
    };
    let kind = OrgKind::parse(&org.kind).unwrap_or(OrgKind::Enterprise);
    let v = validate_staff(&input, kind, anze_domain::time::local_date(now)).map_err(ServiceError::Invalid)?;
    if v.start_date <= old.start_date {
        return Err(ServiceError::field("start_date", "employment.change_before_start"));
    }
    let before = serde_json::json!({"post_title": old.post_title, "tier": old.tier, "unit_name": old.unit_name});
    old.end_date = v.start_date.pred_opt();
    let tx = ctx.db.write.begin().await?;
    repo::update_employment(&tx, old).await?;
    let (eid, e) = new_employment(ctx, &p.id, &org.id, &v, now);
    repo::insert_employments(&tx, vec![e]).await?;
    let changes = serde_json::json!({
        "person": [p.name, p.name],
        "post": [before, {"post_title": v.post_title, "tier": v.tier.as_str(), "unit_name": v.unit_name}],
        "start_date": [null, v.start_date.to_string()],
    });
    audit::record(&tx, ctx, actor, now, audit::Event::new("employment.change_post", "organisation", &org.id, changes)).await?;
    crate::coverage::refresh(&tx, ctx, &org.id, now).await?;
    tx.commit().await?;
    Uuid::parse_str(&eid).map_err(|e| ServiceError::Internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 6, 1).unwrap()
    }

    #[test]
    fn a_post_change_dated_in_the_future_is_refused() {
        let mut i = input();
        i.start_date = "2024-06-02".into();
        let errs = validate_staff(&i, OrgKind::Enterprise, today()).unwrap_err();
        assert_eq!((errs[0].field, errs[0].code), ("start_date", "employment.in_future"));
        i.start_date = "2024-06-01".into();
        assert!(validate_staff(&i, OrgKind::Enterprise, today()).is_ok());
    }

    fn input() -> StaffInput {
        StaffInput {
            name: "张三".into(),
            id_number: "11010519491231002X".into(),
            phone: "13812345678".into(),
            post_title: "操作工".into(),
            tier: "worker".into(),
            unit_name: "一车间".into(),
            start_date: "2024/3/1".into(),
            end_date: "".into(),
        }
    }

    #[test]
    fn valid_staff_parses() {
        let v = validate_staff(&input(), OrgKind::Enterprise, today()).unwrap();
        assert_eq!(v.tier, PostTier::Worker);
        assert_eq!(v.start_date, NaiveDate::from_ymd_opt(2024, 3, 1).unwrap());
        assert_eq!(v.key(), "id:11010519491231002X");
    }

    #[test]
    fn end_before_start_and_wrong_tier_are_reported_together() {
        let mut i = input();
        i.end_date = "2024-02-01".into();
        i.tier = "leader_in_charge".into();
        let errs = validate_staff(&i, OrgKind::Enterprise, today()).unwrap_err();
        let codes: Vec<_> = errs.iter().map(|e| (e.field, e.code)).collect();
        assert!(codes.contains(&("end_date", "employment.end_before_start")), "{codes:?}");
        assert!(codes.contains(&("tier", "person.tier.wrong_kind")), "{codes:?}");
    }

    #[test]
    fn a_date_typed_as_words_is_refused() {
        let mut i = input();
        i.start_date = "三月一日".into();
        let errs = validate_staff(&i, OrgKind::Enterprise, today()).unwrap_err();
        assert_eq!(errs[0].code, "field.date_invalid");
    }
}
