//! Pieces shared by several pages: forms with files, masked staff rows, label lookups.

use crate::i18n::Lang;
use anze_domain::org::{PostTier, RiskLevel, mask};
use anze_service::people::{Employment, Person};
use serde::de::DeserializeOwned;
use std::collections::HashMap;

pub fn risk_label(lang: Lang, risk: &str) -> String {
    lang.t(&format!("risk-{risk}"))
}

pub fn tier_label(lang: Lang, tier: &str) -> String {
    match (lang, PostTier::parse(tier)) {
        (Lang::Zh, Some(t)) => anze_service::sheet::tier_label(t).to_string(),
        _ => tier.replace('_', " "),
    }
}

pub fn risk_options(lang: Lang) -> Vec<(String, String)> {
    RiskLevel::ALL.iter().map(|r| (r.as_str().to_string(), risk_label(lang, r.as_str()))).collect()
}

pub fn tier_options(lang: Lang, enterprise: bool) -> Vec<(String, String)> {
    PostTier::ALL
        .iter()
        .filter(|t| t.is_enterprise_tier() == enterprise)
        .map(|t| (t.as_str().to_string(), tier_label(lang, t.as_str())))
        .collect()
}

/// One row of a staff table; ID numbers and phones are masked.
pub struct StaffRow {
    pub employment_id: String,
    pub name: String,
    pub post: String,
    pub tier: String,
    pub unit: String,
    pub id_number: String,
    pub phone: String,
    pub start: String,
}

pub fn staff_rows(lang: Lang, staff: &[(Employment, Person)]) -> Vec<StaffRow> {
    staff
        .iter()
        .map(|(e, p)| StaffRow {
            employment_id: e.id.clone(),
            name: p.name.clone(),
            post: e.post_title.clone(),
            tier: tier_label(lang, &e.tier),
            unit: e.unit_name.clone().unwrap_or_default(),
            id_number: p.id_number.as_deref().map(mask).unwrap_or_default(),
            phone: p.phone.as_deref().map(mask).unwrap_or_default(),
            start: e.start_date.to_string(),
        })
        .collect()
}

pub fn today() -> String {
    anze_domain::time::local_date(chrono::Utc::now()).to_string()
}

/// Field errors joined into one sentence, for forms without per-field slots.
pub fn field_sentence(lang: Lang, fields: &[anze_domain::FieldError]) -> String {
    fields
        .iter()
        .map(|f| format!("{}：{}", lang.t(&format!("field-{}", f.field)), lang.error(f.code, f.detail.as_deref())))
        .collect::<Vec<_>>()
        .join("；")
}

/// The sentence a page shows when a form is refused (bad fields or a business rule); `None`
/// for errors that are not the user's to fix (not found, forbidden …), which keep their page.
pub fn refusal(lang: Lang, e: &anze_service::ServiceError) -> Option<String> {
    match e {
        anze_service::ServiceError::Invalid(f) => Some(field_sentence(lang, f)),
        anze_service::ServiceError::Refused(code) => Some(lang.error(code, None)),
        _ => None,
    }
}

/// The message a page shows after a redirect: `?saved=1`, or `?error=<sentence>`.
#[derive(serde::Deserialize, Default)]
pub struct Flash {
    #[serde(default)]
    pub saved: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
}

/// A form that may carry photos (multipart) or not (urlencoded): its typed fields, and the
/// photos of its `photo` fields (empty file inputs skipped).
pub async fn read_form_with_photos<T: DeserializeOwned>(
    s: &crate::AppState,
    req: axum::extract::Request,
) -> Result<(T, Vec<Vec<u8>>), anze_domain::FieldError> {
    let (f, mut named) = read_form_with_named_photos(s, req).await?;
    Ok((f, named.remove("photo").unwrap_or_default()))
}

/// As `read_form_with_photos`, with photos kept by field name: `photo` and every `photo_…`
/// (one file input per checklist item, say).
pub async fn read_form_with_named_photos<T: DeserializeOwned>(
    s: &crate::AppState,
    req: axum::extract::Request,
) -> Result<(T, HashMap<String, Vec<Vec<u8>>>), anze_domain::FieldError> {
    let (f, files) = read_form_with_files(s, req, "photo", |name| name == "photo" || name.starts_with("photo_")).await?;
    let mut photos = HashMap::<String, Vec<Vec<u8>>>::new();
    for file in files {
        photos.entry(file.field).or_default().push(file.bytes);
    }
    Ok((f, photos))
}

/// A file sent with a form: its field, the name the browser gave it, its bytes.
pub struct UploadedFile {
    pub field: String,
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A form that may carry files (multipart) or not (urlencoded): its text fields read into `T`
/// as `extract::Form` reads them, and the non-empty files of the fields `is_file` names. A
/// form that cannot be read is refused naming `files_field` (`photo`, `attachment`), so the
/// sentence says what to send again.
pub async fn read_form_with_files<T: DeserializeOwned>(
    s: &crate::AppState,
    req: axum::extract::Request,
    files_field: &'static str,
    is_file: impl Fn(&str) -> bool,
) -> Result<(T, Vec<UploadedFile>), anze_domain::FieldError> {
    use axum::extract::FromRequest;
    let upload_error = || {
        let code = if files_field == "photo" { "fulfilment.upload.invalid" } else { "upload.invalid" };
        anze_domain::FieldError::new(files_field, code)
    };
    let multipart = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("multipart/form-data"));
    if !multipart {
        // Room for a campaign file pasted as text.
        let body = axum::body::to_bytes(req.into_body(), 4 * 1024 * 1024).await.map_err(|_| upload_error())?;
        return Ok((crate::extract::parse_form(&body).map_err(|_| upload_error())?, vec![]));
    }
    let mut form = axum::extract::Multipart::from_request(req, s).await.map_err(|_| upload_error())?;
    let (mut fields, mut files) = (Vec::<(String, String)>::new(), vec![]);
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_string();
                let file_name = field.file_name().unwrap_or_default().to_string();
                let bytes = field.bytes().await.map_err(|_| upload_error())?;
                if is_file(&name) {
                    if !bytes.is_empty() {
                        files.push(UploadedFile { field: name, name: file_name, bytes: bytes.to_vec() });
                    }
                } else {
                    fields.push((name, String::from_utf8_lossy(&bytes).to_string()));
                }
            }
            Ok(None) => break,
            Err(_) => return Err(upload_error()),
        }
    }
    // The text parts go through the same deserializer as a urlencoded form, so a form struct
    // reads alike however the browser sent it.
    let encoded = serde_html_form::to_string(&fields).map_err(|_| upload_error())?;
    Ok((crate::extract::parse_form(encoded.as_bytes()).map_err(|_| upload_error())?, files))
}

/// The form of an upload page whose file field is `file` (urlencoded, or multipart with the
/// file): its fields as `T`, and the file's bytes (empty when none was sent).
pub async fn read_upload<T: DeserializeOwned>(
    s: &crate::AppState,
    req: axum::extract::Request,
) -> Result<(T, Vec<u8>), anze_domain::FieldError> {
    let (fields, files) = read_form_with_files::<T>(s, req, "file", |name| name == "file").await?;
    Ok((fields, files.into_iter().next().map(|f| f.bytes).unwrap_or_default()))
}

/// A refused import's row error as a sentence: `第 N 行 [列] …`.
pub fn row_message(lang: Lang, e: &anze_service::sheet::RowError) -> String {
    let at = if e.row == 0 { String::new() } else { lang.t_args("activity-import-row", &[("row", e.row.to_string())]) };
    let column = if e.column.is_empty() { String::new() } else { format!("[{}]", e.column) };
    format!("{at}{column} {}", super::imports_reason(lang, e))
}
