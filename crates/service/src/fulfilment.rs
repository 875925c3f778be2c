//! Fulfilment (履职记录, issue 3 item 7): an item with a frequency carries records (date, note,
//! photo); periods without a record are gaps, so "carried out" is visible, not only "signed".

use crate::scope::{organisation as get, target_of};
use crate::{Actor, Ctx, ServiceError, ServiceResult, audit};
use anze_domain::auth::Action;
use anze_domain::duty::Frequency;
use anze_domain::fulfilment::{Period, check_done_on, check_note, gap_count, periods};
use anze_domain::time::local_date;
use anze_store::TransactionTrait;
use anze_store::entity::fulfilment_record;
use anze_store::repo::duty::{DutyList, DutyListItem};
use anze_store::repo::fulfilment::{self as repo, FulfilmentRecord};
use anze_store::repo::org::Organisation;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::Set;
use std::collections::HashMap;
use uuid::Uuid;

/// A record as typed: the date as text, a note, and the photo's bytes if one was sent.
#[derive(Debug, Clone, Default)]
pub struct NewRecord {
    pub done_on: String,
    pub note: String,
    pub photo: Option<Vec<u8>>,
}

/// An item with its list and organisation, in the actor's scope (404 otherwise).
async fn item_in_scope(ctx: &Ctx, actor: &Actor, item_id: Uuid) -> ServiceResult<(DutyListItem, DutyList, Organisation, bool)> {
    let item = repo::item(&ctx.db.read, &item_id.to_string()).await?.ok_or(ServiceError::NotFound)?;
    let list = anze_store::repo::duty::list(&ctx.db.read, &ctx.tenant, &item.duty_list_id).await?.ok_or(ServiceError::NotFound)?;
    let org_id = Uuid::parse_str(&list.organisation_id).map_err(|_| ServiceError::NotFound)?;
    let (o, e) = get(ctx, actor, org_id).await?;
    let can_edit = actor.can(Action::Edit, &target_of(&o, e.as_ref()));
    Ok((item, list, o, can_edit))
}

/// The dates over which a list's items are due: from its publish date to today, or to the
/// day it was superseded. A draft is not due yet.
fn due_range(list: &DutyList, now: DateTime<Utc>) -> Option<(NaiveDate, NaiveDate)> {
    let start = local_date(list.published_at?);
    let end = list.superseded_at.map_or(local_date(now), local_date);
    Some((start, end))
}

fn item_periods(list: &DutyList, item: &DutyListItem, records: &[FulfilmentRecord], now: DateTime<Utc>) -> Vec<Period> {
    let (Some((start, end)), Some(f)) = (due_range(list, now), Frequency::parse(&item.frequency)) else { return vec![] };
    let dates: Vec<NaiveDate> = records.iter().filter(|r| r.duty_list_item_id == item.id).map(|r| r.done_on).collect();
    periods(f, start, end, &dates)
}

/// Records that a duty was carried out. The actor must be able to edit the list's
/// organisation; the list must be the published version. Every field is checked first; the
/// photo and the record are written, and audited, in one transaction.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, item_id = %item_id))]
pub async fn record(ctx: &Ctx, actor: &Actor, item_id: Uuid, input: &NewRecord, now: DateTime<Utc>) -> ServiceResult<Uuid> {
    let (item, list, org, can_edit) = item_in_scope(ctx, actor, item_id).await?;
    if !can_edit {
        return Err(ServiceError::Forbidden);
    }
    let mut errors = vec![];
    let done_on = check_done_on(&input.done_on, local_date(now)).map_err(|e| errors.push(e)).ok();
    let note = check_note(&input.note).map_err(|e| errors.push(e)).ok();
    let photo = crate::evidence::check_all(input.photo.clone().into_iter().collect())
        .await
        .map_err(|e| errors.push(e))
        .ok()
        .and_then(|mut p| p.pop());
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let (Some(done_on), Some(note)) = (done_on, note) else { return Err(ServiceError::field("done_on", "field.required")) };
    if list.state != "published" {
        return Err(ServiceError::Refused("fulfilment.list.not_published"));
    }
    let id = anze_domain::ids::new_id();
    let tx = ctx.db.write.begin().await?;
    let photo_id = match photo {
        None => None,
        Some(p) => Some(crate::evidence::insert(&tx, ctx, actor, &org.id, p, now).await?),
    };
    let row = fulfilment_record::ActiveModel {
        id: Set(id.to_string()),
        tenant_id: Set(ctx.tenant.clone()),
        duty_list_item_id: Set(item.id.clone()),
        organisation_id: Set(org.id.clone()),
        person_id: Set(None),
        done_on: Set(done_on),
        note: Set(note.clone()),
        photo_id: Set(photo_id.clone()),
        created_by: Set(actor.name.clone()),
        created_at: Set(now),
    };
    repo::insert_record(&tx, row).await?;
    let changes = serde_json::json!({"fulfilment": [null, {
        "record": id.to_string(), "item": item.id, "list": list.id, "version": list.version, "tier": list.tier,
        "done_on": done_on.to_string(), "note": note, "photo": photo_id,
    }]});
    audit::record(&tx, ctx, actor, now, audit::Event::new("fulfilment.create", "organisation", &org.id, changes)).await?;
    tx.commit().await?;
    Ok(id)
}

/// One item with its records (newest first) and its periods.
#[derive(Debug, Clone)]
pub struct ItemFulfilment {
    pub item: DutyListItem,
    pub list: DutyList,
    pub organisation: Organisation,
    pub can_edit: bool,
    pub records: Vec<FulfilmentRecord>,
    pub periods: Vec<Period>,
    pub gaps: usize,
}

/// An item's records and gaps, for its page and the API.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, item_id = %item_id))]
pub async fn item(ctx: &Ctx, actor: &Actor, item_id: Uuid, now: DateTime<Utc>) -> ServiceResult<ItemFulfilment> {
    let (item, list, organisation, can_edit) = item_in_scope(ctx, actor, item_id).await?;
    let records = repo::records_of(&ctx.db.read, &ctx.tenant, std::slice::from_ref(&item.id)).await?;
    let periods = item_periods(&list, &item, &records, now);
    let gaps = gap_count(&periods);
    Ok(ItemFulfilment { item, list, organisation, can_edit, records, periods, gaps })
}

/// Per item of a list: the last record (if any) and the number of gaps.
#[derive(Debug, Clone, Default)]
pub struct ItemSummary {
    pub last: Option<FulfilmentRecord>,
    pub records: usize,
    pub gaps: usize,
}

/// The figures the list page shows per item, by item id.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, list_id = %list_id))]
pub async fn list_summary(ctx: &Ctx, actor: &Actor, list_id: Uuid, now: DateTime<Utc>) -> ServiceResult<HashMap<String, ItemSummary>> {
    let (list, items, _) = crate::duty::list_detail(ctx, actor, list_id).await?;
    let ids: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
    let records = repo::records_of(&ctx.db.read, &ctx.tenant, &ids).await?;
    let mut out = HashMap::new();
    for it in &items {
        let mine: Vec<FulfilmentRecord> = records.iter().filter(|r| r.duty_list_item_id == it.id).cloned().collect();
        let gaps = gap_count(&item_periods(&list, it, &mine, now));
        out.insert(it.id.clone(), ItemSummary { records: mine.len(), last: mine.into_iter().next(), gaps });
    }
    Ok(out)
}
