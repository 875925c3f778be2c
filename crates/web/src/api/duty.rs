//! `/api/v1/duty-templates`, `/api/v1/duty-lists`, `/api/v1/duty-items`, and an organisation's
//! lists, signatures, fit check and phone-page QR code: the duty lists and their fulfilment.

use super::Created;
use crate::AppState;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{ApiUser, JsonBody, Path, json_body, parse_id};
use anze_service::ServiceError;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};
use uuid::Uuid;

#[derive(OpenApi)]
#[openapi(
    paths(
        duty_templates,
        create_duty_list,
        set_duty_items,
        publish_duty_list,
        fit,
        dismiss_fit,
        duty_lists,
        acknowledgements,
        qr_code,
        duty_item_records,
        add_duty_item_record
    ),
    components(schemas(
        DutyTemplateDto,
        NewDutyList,
        anze_service::duty::ItemInput,
        FitFlagDto,
        FitDismissalInput,
        AcknowledgementDto,
        DutyListDto,
        QrCodeDto,
        NewRecordDto,
        RecordDto,
        PeriodDto,
        ItemRecordsDto
    ))
)]
pub struct DutyDoc;

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

/// The duty-list templates (shipped for the eight tiers, high-risk industries and government).
#[utoipa::path(get, path = "/api/v1/duty-templates", security(("bearer" = [])), responses((status = 200, body = Vec<DutyTemplateDto>)))]
pub async fn duty_templates(State(s): State<AppState>, _: ApiUser) -> WebResult<Json<Vec<DutyTemplateDto>>> {
    let t = anze_service::duty::templates(&s.ctx).await?;
    Ok(Json(
        t.into_iter().map(|t| DutyTemplateDto { code: t.code, name: t.name, tier: t.tier, industry_group: t.industry_group }).collect(),
    ))
}

/// A new draft list for one tier of an organisation, copied from a template.
#[utoipa::path(post, path = "/api/v1/duty-lists", request_body = NewDutyList, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_duty_list(
    State(s): State<AppState>,
    u: ApiUser,
    JsonBody(r): JsonBody<NewDutyList>,
) -> WebResult<(StatusCode, Json<Created>)> {
    let org = parse_id(&r.organisation_id)?;
    let id = anze_service::duty::create_list(&s.ctx, &u.actor, org, &r.template, chrono::Utc::now()).await?;
    Ok(Created::of(id))
}

/// Replace a draft's items (the organisation's own wording).
#[utoipa::path(put, path = "/api/v1/duty-lists/{id}/items", params(("id" = String, Path)), request_body = Vec<anze_service::duty::ItemInput>,
    security(("bearer" = [])), responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_duty_items(
    State(s): State<AppState>,
    u: ApiUser,
    Path(id): Path<Uuid>,
    JsonBody(items): JsonBody<Vec<anze_service::duty::ItemInput>>,
) -> WebResult<StatusCode> {
    anze_service::duty::set_items(&s.ctx, &u.actor, id, &items, chrono::Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Publish a draft; the tier's previous version is superseded and must be signed again.
#[utoipa::path(post, path = "/api/v1/duty-lists/{id}/publish", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn publish_duty_list(State(s): State<AppState>, u: ApiUser, Path(id): Path<Uuid>) -> WebResult<StatusCode> {
    anze_service::duty::publish(&s.ctx, &u.actor, id, chrono::Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The fit check: lists of different tiers that read alike, items with no legal basis.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/fit", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<FitFlagDto>), (status = 404, body = ErrorBody)))]
pub async fn fit(State(s): State<AppState>, u: ApiUser, Path(id): Path<Uuid>) -> WebResult<Json<Vec<FitFlagDto>>> {
    let flags = anze_service::duty::fit(&s.ctx, &u.actor, id).await?;
    Ok(Json(flags.into_iter().map(FitFlagDto::from).collect()))
}

/// An officer dismisses a current fit flag (by its `key`) with a reason.
#[utoipa::path(post, path = "/api/v1/organisations/{id}/fit/dismissals", params(("id" = String, Path)), request_body = FitDismissalInput,
    security(("bearer" = [])), responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn dismiss_fit(
    State(s): State<AppState>,
    u: ApiUser,
    Path(id): Path<Uuid>,
    JsonBody(input): JsonBody<FitDismissalInput>,
) -> WebResult<StatusCode> {
    anze_service::duty::dismiss_fit(&s.ctx, &u.actor, id, &input.key, &input.reason, chrono::Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every version of every list of an organisation, with signature counts.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/duty-lists", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<DutyListDto>), (status = 404, body = ErrorBody)))]
pub async fn duty_lists(State(s): State<AppState>, u: ApiUser, Path(id): Path<Uuid>) -> WebResult<Json<Vec<DutyListDto>>> {
    let lists = anze_service::duty::lists_of(&s.ctx, &u.actor, id).await?;
    Ok(Json(
        lists
            .into_iter()
            .map(|l| DutyListDto {
                id: l.id,
                tier: l.tier,
                title: l.title,
                version: l.version,
                state: l.state,
                signatures: l.signatures,
                published_at: l.published_at,
            })
            .collect(),
    ))
}

/// Every signature on an organisation's lists, newest first, with the hash of the text signed.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/acknowledgements", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<AcknowledgementDto>), (status = 404, body = ErrorBody)))]
pub async fn acknowledgements(State(s): State<AppState>, u: ApiUser, Path(id): Path<Uuid>) -> WebResult<Json<Vec<AcknowledgementDto>>> {
    let rows = anze_service::duty::acknowledgements(&s.ctx, &u.actor, id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|a| AcknowledgementDto {
                duty_list_id: a.duty_list_id,
                tier: a.tier,
                version: a.version,
                person_id: a.person_id,
                person: a.person,
                signed_at: a.signed_at,
                method: a.method,
                text_hash: a.text_hash,
            })
            .collect(),
    ))
}

/// The enterprise's phone-page token (made on first call, stable until revoked), for printing
/// its QR code elsewhere; `path` is the page to encode after the site's address.
#[utoipa::path(post, path = "/api/v1/organisations/{id}/qr", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = QrCodeDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn qr_code(State(s): State<AppState>, u: ApiUser, Path(id): Path<Uuid>) -> WebResult<Json<QrCodeDto>> {
    let token = anze_service::phone::qr_token(&s.ctx, &u.actor, id, chrono::Utc::now()).await?;
    Ok(Json(QrCodeDto { path: format!("/m/{token}"), token }))
}

/// A duty item's fulfilment records (newest first), its periods since publication and its gaps.
#[utoipa::path(get, path = "/api/v1/duty-items/{id}/records", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = ItemRecordsDto), (status = 404, body = ErrorBody)))]
pub async fn duty_item_records(State(s): State<AppState>, u: ApiUser, Path(id): Path<Uuid>) -> WebResult<Json<ItemRecordsDto>> {
    Ok(Json(anze_service::fulfilment::item(&s.ctx, &u.actor, id, chrono::Utc::now()).await?.into()))
}

/// Record that a duty was carried out (date, note, optional photo as base64). Only on the
/// published version of a list, by users who may edit its organisation.
#[utoipa::path(post, path = "/api/v1/duty-items/{id}/records", params(("id" = String, Path)), request_body = NewRecordDto,
    security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_duty_item_record(
    State(s): State<AppState>,
    u: ApiUser,
    Path(id): Path<Uuid>,
    body: Bytes,
) -> WebResult<(StatusCode, Json<Created>)> {
    // Scope first: an item out of scope is 404 whatever the body holds.
    anze_service::fulfilment::item(&s.ctx, &u.actor, id, chrono::Utc::now()).await?;
    let r: NewRecordDto = json_body(&body)?;
    let photo = match r.photo_base64.as_deref().filter(|p| !p.trim().is_empty()) {
        None => None,
        Some(p) => Some(anze_service::evidence::decode_photo(p).map_err(|e| ServiceError::Invalid(vec![e]))?),
    };
    let input = anze_service::fulfilment::NewRecord { done_on: r.done_on, note: r.note, photo };
    let rid = anze_service::fulfilment::record(&s.ctx, &u.actor, id, &input, chrono::Utc::now()).await?;
    Ok(Created::of(rid))
}
