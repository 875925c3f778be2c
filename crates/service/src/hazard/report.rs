//! Reporting a hazard: from a page or the API, found at an inspection or a patrol (written in
//! their transactions), and an employee's report from the enterprise's QR code.

use super::*;

/// A hazard as typed on a page or sent to the API, with its photos as found.
#[derive(Debug, Clone, Default)]
pub struct NewHazardForm {
    pub organisation_id: String,
    pub description: String,
    pub location: String,
    pub grade: String,
    pub category: String,
    pub origin: String,
    pub direction: String,
    pub responsible_person: String,
    pub found_on: String,
    pub deadline: String,
    pub measures: String,
    pub funds: String,
    pub photos: Vec<Vec<u8>>,
}

fn input_of(form: &NewHazardForm) -> HazardInput<'_> {
    HazardInput {
        description: &form.description,
        location: &form.location,
        grade: &form.grade,
        category: &form.category,
        origin: &form.origin,
        direction: &form.direction,
        responsible_unit_id: &form.organisation_id,
        responsible_person: &form.responsible_person,
        found_on: &form.found_on,
        deadline: &form.deadline,
        measures: &form.measures,
        funds: &form.funds,
    }
}

/// Every field and photo checked at once: the hazard and its photos, or all the problems.
async fn check_new(form: &NewHazardForm, today: NaiveDate) -> Result<(NewHazard, Vec<CheckedPhoto>), ServiceError> {
    let mut c = Collector::default();
    let parsed = rules::parse_new(&input_of(form), today).map_err(|e| e.into_iter().for_each(|e| c.push(e))).ok();
    let photos = c.ok(evidence::check_all(form.photos.clone()).await);
    match (parsed, photos) {
        (Some(h), Some(p)) if c.is_empty() => Ok((h, p)),
        _ => Err(invalid(c.0)),
    }
}

/// Reports a hazard at a unit in the actor's scope (404 outside it). Every field and photo is
/// checked first; the hazard, its photos, its first event and the audit entry are one write.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id))]
pub async fn report(ctx: &Ctx, actor: &Actor, form: &NewHazardForm, now: DateTime<Utc>) -> ServiceResult<Uuid> {
    let p = prepare(ctx, actor, form, now).await?;
    let tx = ctx.db.write.begin().await?;
    let id = insert_prepared(&tx, ctx, actor, p, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// A hazard checked by the rules and placed at its unit, not yet written.
pub(crate) struct Prepared {
    o: Organisation,
    e: Option<Enterprise>,
    h: NewHazard,
    photos: Vec<CheckedPhoto>,
}

impl Prepared {
    pub(crate) fn organisation_id(&self) -> &str {
        &self.o.id
    }
}

/// Checks a hazard as `report` does (fields, photos, the unit in scope, the right to report
/// there) without writing it, so another use case (a grid patrol) writes it in its own
/// transaction.
pub(crate) async fn prepare(ctx: &Ctx, actor: &Actor, form: &NewHazardForm, now: DateTime<Utc>) -> ServiceResult<Prepared> {
    let org_id = Uuid::parse_str(form.organisation_id.trim()).ok();
    let checked = check_new(form, local_date(now)).await;
    let (h, photos) = match (checked, org_id) {
        (Ok(x), Some(_)) => x,
        (Err(ServiceError::Invalid(mut e)), None) if !form.organisation_id.trim().is_empty() => {
            e.push(FieldError::new("organisation_id", "hazard.unit.unknown"));
            return Err(invalid(e));
        }
        (Err(e), _) => return Err(e),
        (Ok(_), None) => return Err(ServiceError::field("organisation_id", "hazard.unit.unknown")),
    };
    let org_id = org_id.ok_or(ServiceError::NotFound)?;
    let (o, e) = get_org(ctx, actor, org_id).await.map_err(|e| match e {
        ServiceError::NotFound => ServiceError::field("organisation_id", "hazard.unit.unknown"),
        other => other,
    })?;
    if !actor.can(Action::Report, &target_of(&o, e.as_ref())) {
        return Err(ServiceError::Forbidden);
    }
    Ok(Prepared { o, e, h, photos })
}

/// Writes a prepared hazard inside the caller's transaction.
pub(crate) async fn insert_prepared<C: sea_orm::ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    actor: &Actor,
    p: Prepared,
    now: DateTime<Utc>,
) -> ServiceResult<Uuid> {
    insert_new(tx, ctx, actor, (&p.o, p.e.as_ref()), &p.h, p.photos, now).await
}

/// A hazard found at an inspection's failed item, written in the inspection's transaction,
/// with the item's photos (already stored) as its photos as found.
pub(crate) async fn insert_found<C: sea_orm::ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    actor: &Actor,
    unit: (&Organisation, Option<&Enterprise>),
    h: &NewHazard,
    photo_ids: &[String],
    now: DateTime<Utc>,
) -> ServiceResult<Uuid> {
    let id = insert_new(tx, ctx, actor, unit, h, vec![], now).await?;
    for photo_id in photo_ids {
        repo::insert_photo_link(
            tx,
            hazard_photo::ActiveModel {
                id: Set(anze_domain::ids::new_id().to_string()),
                hazard_id: Set(id.to_string()),
                event_id: Set(None),
                phase: Set("before".into()),
                photo_id: Set(photo_id.clone()),
            },
        )
        .await?;
    }
    Ok(id)
}

/// Writes a checked hazard with its photos as found, its first event and the audit entry,
/// inside the caller's transaction.
async fn insert_new<C: sea_orm::ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    actor: &Actor,
    (o, e): (&Organisation, Option<&Enterprise>),
    h: &NewHazard,
    photos: Vec<CheckedPhoto>,
    now: DateTime<Utc>,
) -> ServiceResult<Uuid> {
    let id = anze_domain::ids::new_id();
    let row = hazard::ActiveModel {
        id: Set(id.to_string()),
        tenant_id: Set(ctx.tenant.clone()),
        organisation_id: Set(o.id.clone()),
        organisation_kind: Set(o.kind.clone()),
        region_path: Set(o.region_path.clone()),
        township_code: Set(o.township_code.clone()),
        industry_code: Set(e.map(|e| e.industry_code.clone())),
        description: Set(h.description.clone()),
        location: Set(h.location.clone()),
        grade: Set(h.grade.as_str().into()),
        category: Set(h.category.as_str().into()),
        origin: Set(h.origin.as_str().into()),
        direction: Set(h.direction.as_str().into()),
        state: Set(HazardState::Reported.as_str().into()),
        responsible_person: Set(h.responsible_person.clone()),
        found_on: Set(h.found_on),
        deadline: Set(h.deadline),
        measures: Set(h.measures.clone().unwrap_or_default()),
        funds_fen: Set(h.funds_fen.and_then(|f| i64::try_from(f).ok())),
        reported_by_id: Set(actor_id(actor)),
        reported_by_name: Set(actor.name.clone()),
        fixed_by_id: Set(None),
        supervisor_checked: Set(false),
        listed: Set(false),
        merged_into: Set(None),
        closed_on: Set(None),
        days_to_close: Set(None),
        exposure: Set("none".into()),
        exposed_at: Set(None),
        exposed_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
    repo::insert(tx, row).await?;
    repo::refresh_summary(tx, &ctx.tenant, &o.id, local_date(now), now).await?;
    let hazard_id = id.to_string();
    let step = Step { hazard_id: &hazard_id, action: "report", from: HazardState::Reported, to: HazardState::Reported, note: "" };
    let event = insert_event(tx, actor, step, now).await?;
    let place = PhotoPlace { hazard_id: &hazard_id, organisation_id: &o.id, event_id: &event, phase: "before" };
    let photo_ids = attach(tx, ctx, actor, place, photos, now).await?;
    let changes = serde_json::json!({"hazard": [null, {
        "unit": o.id, "grade": h.grade.as_str(), "category": h.category.as_str(), "origin": h.origin.as_str(),
        "direction": h.direction.as_str(), "description": h.description, "found_on": h.found_on.to_string(),
        "deadline": h.deadline.map(|d| d.to_string()), "photos": photo_ids,
    }]});
    audit::record(tx, ctx, actor, now, audit::Event::new("hazard.report", "hazard", &id.to_string(), changes)).await?;
    Ok(id)
}

/// An employee's report from the phone page behind the enterprise's QR code (measure 13:
/// 员工自主排查隐患报告). Name and last four are optional: left empty, the report is anonymous.
#[derive(Debug, Clone, Default)]
pub struct PhoneReport {
    pub description: String,
    pub location: String,
    pub category: String,
    pub name: String,
    pub last4: String,
    pub photos: Vec<Vec<u8>>,
}

/// What the phone shows after a report: the code to claim a reward with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub hazard_id: Uuid,
    pub code: String,
    pub suspected_duplicate: bool,
}

/// Files an employee's report: the hazard (origin `employee_report`, reported up, general until
/// the enterprise grades it), its photos, the report with a receipt code, and a flag when an
/// open hazard of the unit reads alike, in one transaction. A revoked or unknown QR code is
/// refused like the signing page; a name that matches no one is refused by field (it would
/// otherwise send a reward to nobody).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn phone_report(ctx: &Ctx, token: &str, r: &PhoneReport, address: &str, now: DateTime<Utc>) -> ServiceResult<Receipt> {
    let (org_id, _) = crate::phone::enterprise_of(ctx, token).await?;
    let named = !r.name.trim().is_empty() || !r.last4.trim().is_empty();
    let holder = if named {
        let who = crate::phone::Identity { name: r.name.clone(), last4: r.last4.clone() };
        Some(crate::phone::identify(ctx, token, &who).await?.0)
    } else {
        None
    };
    let today = local_date(now);
    let form = NewHazardForm {
        organisation_id: org_id.clone(),
        description: r.description.clone(),
        location: r.location.clone(),
        grade: Grade::General.as_str().into(),
        category: r.category.clone(),
        origin: rules::Origin::EmployeeReport.as_str().into(),
        direction: rules::Direction::ReportedUp.as_str().into(),
        found_on: today.to_string(),
        photos: r.photos.clone(),
        ..Default::default()
    };
    let (h, photos) = check_new(&form, today).await?;
    let uid = Uuid::parse_str(&org_id).map_err(|_| ServiceError::NotFound)?;
    let system = Actor::system("phone");
    let (o, e) = get_org(ctx, &system, uid).await?;
    let reporter = Actor {
        name: holder.as_ref().map_or_else(|| "匿名员工".to_string(), |p| format!("员工：{}", p.name)),
        ..Actor::system("phone")
    };
    let since = today - chrono::Duration::days(rules::DUPLICATE_WINDOW_DAYS);
    let candidates = repo::open_since(&ctx.db.read, &o.id, since).await?;
    let duplicate = rules::suspected_duplicate(&h.description, &candidates).map(String::from);
    let code: String = crate::auth::random_secret().chars().filter(char::is_ascii_alphanumeric).take(8).collect::<String>().to_uppercase();
    let tx = ctx.db.write.begin().await?;
    let id = insert_new(&tx, ctx, &reporter, (&o, e.as_ref()), &h, photos, now).await?;
    repo::insert_report(
        &tx,
        hazard_report::ActiveModel {
            hazard_id: Set(id.to_string()),
            person_id: Set(holder.as_ref().map(|p| p.person_id.clone())),
            reporter_name: Set(holder.as_ref().map(|p| p.name.clone())),
            receipt_code: Set(code.clone()),
            address: Set(address.to_string()),
            suspected_duplicate_of: Set(duplicate.clone()),
            reward_fen: Set(None),
            reward_granted_by: Set(None),
            reward_granted_at: Set(None),
            paid_by: Set(None),
            paid_at: Set(None),
            payout_note: Set(String::new()),
            created_at: Set(now),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Receipt { hazard_id: id, code, suspected_duplicate: duplicate.is_some() })
}
