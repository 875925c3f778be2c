//! A visit's record: each target's checklist item by item, photos, signatures, and a hazard
//! for every failed item, in one transaction.

use super::*;

/// One visit's record: each checklist item's result and note (by position), and the two
/// signatures (typed names).
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct VisitRecord {
    pub target: String,
    pub results: Vec<ItemInput>,
    pub inspector_signature: String,
    pub representative_signature: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ItemInput {
    pub position: usize,
    /// `pass`, `fail` or `not_applicable`.
    pub result: String,
    pub note: String,
    /// Photos taken at this item (JPEG, PNG or WebP), base64 in the API.
    pub photos_base64: Vec<String>,
    /// The photos' bytes, as the page or the API decoded them.
    #[serde(skip)]
    pub photos: Vec<Vec<u8>>,
}

/// Records a visit: every item of the checklist needs a result, a failure needs a note and
/// becomes a hazard of the target (ordered down, or reported up for the enterprise's own
/// checks), all in one transaction with the signatures. Returns the hazards made.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, id = %id))]
pub async fn record_visit(ctx: &Ctx, actor: &Actor, id: Uuid, v: &VisitRecord, now: DateTime<Utc>) -> ServiceResult<Vec<Uuid>> {
    let (i, targets) = visible(ctx, actor, id).await?;
    if !runs(actor, &i, &targets) {
        return Err(ServiceError::Forbidden);
    }
    let state = InspectionState::parse(&i.state).unwrap_or(InspectionState::Planned);
    state.check_record().map_err(|e| ServiceError::Invalid(vec![e]))?;
    let mut target = targets.into_iter().find(|t| t.organisation_id == v.target.trim()).ok_or(ServiceError::NotFound)?;
    let kind = InspectionKind::parse(&i.kind).unwrap_or(InspectionKind::Routine);
    let list = match &i.checklist_code {
        Some(c) => find_checklist(ctx, c).await?.ok_or_else(|| ServiceError::Internal(format!("checklist {c}")))?,
        None => return Err(ServiceError::field("checklist", "inspection.checklist.unknown")),
    };
    let items = items_of(&list);
    let mut errors = vec![];
    let mut parsed = vec![];
    for (pos, item) in items.iter().enumerate() {
        let input = v.results.iter().find(|r| r.position == pos + 1);
        let (result, note) = input.map_or(("", ""), |r| (r.result.as_str(), r.note.as_str()));
        // Every photo is checked before anything is written; a bad one names its item.
        let photos = match crate::evidence::check_all(input.map(|r| r.photos.clone()).unwrap_or_default()).await {
            Ok(p) => p,
            Err(e) => {
                let at = match &e.detail {
                    Some(d) => format!("{d} · {}", pos + 1),
                    None => format!("{}", pos + 1),
                };
                errors.push(FieldError::new("item_photo", e.code).with_detail(at));
                vec![]
            }
        };
        match rules::parse_item_result(result, note) {
            Ok(r) => parsed.push((pos + 1, item, r, photos)),
            Err(e) => errors.extend(e.into_iter().map(|e| e.with_detail(format!("{}", pos + 1)))),
        }
    }
    for (field, text) in [("inspector_signature", &v.inspector_signature), ("representative_signature", &v.representative_signature)] {
        if text.trim().is_empty() {
            errors.push(FieldError::new(field, "field.required"));
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    if target.signed_at.is_some() {
        return Err(ServiceError::Refused("inspection.visit.recorded"));
    }
    let today = local_date(now);
    let unit = Uuid::parse_str(&target.organisation_id).map_err(|_| ServiceError::NotFound)?;
    let (o, e) = get_org(ctx, &Actor::system("inspection"), unit).await?;
    let tx = ctx.db.write.begin().await?;
    let mut hazards = vec![];
    let mut rows = vec![];
    let mut links = vec![];
    for (position, item, r, photos) in parsed {
        let result_id = anze_domain::ids::new_id().to_string();
        let mut photo_ids = vec![];
        for p in photos {
            photo_ids.push(crate::evidence::insert(&tx, ctx, actor, &o.id, p, now).await?);
        }
        let hazard = match rules::hazard_from_finding(kind, item, &r, &o.id, today) {
            Some(h) => {
                // The item's photos are the hazard's photos as found.
                let hid = crate::hazard::insert_found(&tx, ctx, actor, (&o, e.as_ref()), &h, &photo_ids, now).await?;
                hazards.push(hid);
                Some(hid.to_string())
            }
            None => None,
        };
        for photo_id in photo_ids {
            links.push(inspection_photo::ActiveModel {
                id: Set(anze_domain::ids::new_id().to_string()),
                inspection_id: Set(i.id.clone()),
                result_id: Set(result_id.clone()),
                photo_id: Set(photo_id),
                created_at: Set(now),
            });
        }
        rows.push(inspection_result::ActiveModel {
            id: Set(result_id),
            inspection_id: Set(i.id.clone()),
            target_id: Set(target.id.clone()),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            item_text: Set(item.text.clone()),
            result: Set(r.result.as_str().into()),
            note: Set(r.note.clone()),
            hazard_id: Set(hazard),
            recorded_by: Set(actor.name.clone()),
            recorded_at: Set(now),
        });
    }
    repo::insert_results(&tx, rows).await?;
    let photo_count = links.len();
    repo::insert_photo_links(&tx, links).await?;
    target.inspector_signature = Some(v.inspector_signature.trim().into());
    target.representative_signature = Some(v.representative_signature.trim().into());
    target.signed_at = Some(now);
    repo::update_target(&tx, target.clone()).await?;
    let changes = serde_json::json!({"visit": [null, {"target": target.organisation_id, "hazards": hazards.iter().map(Uuid::to_string).collect::<Vec<_>>(), "photos": photo_count,
        "inspector": target.inspector_signature, "representative": target.representative_signature}]});
    audit::record(&tx, ctx, actor, now, audit::Event::new("inspection.visit", "inspection", &i.id, changes)).await?;
    tx.commit().await?;
    Ok(hazards)
}
