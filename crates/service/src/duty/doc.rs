//! A list as a document (issue 3 item 3): the content of its print view and its Word (.docx)
//! export, with every signature and its date in Asia/Shanghai. The document is in Chinese
//! whatever the reader's language, as the paper copy an inspector files.

use crate::{Actor, Ctx, ServiceError, ServiceResult};
use anze_domain::duty::Frequency;
use anze_domain::org::PostTier;
use anze_domain::time::shanghai;
use anze_store::repo::duty as repo;
use anze_store::repo::person;
use base64::Engine;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Chinese label of a frequency, as printed.
pub fn frequency_label(f: &str) -> &'static str {
    match Frequency::parse(f) {
        Some(Frequency::PerShift) => "每班",
        Some(Frequency::Daily) => "每日",
        Some(Frequency::Weekly) => "每周",
        Some(Frequency::Monthly) => "每月",
        Some(Frequency::Quarterly) => "每季度",
        Some(Frequency::Yearly) => "每年",
        Some(Frequency::OnEvent) | None => "按需",
    }
}

fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&shanghai()).format("%Y-%m-%d %H:%M").to_string()
}

#[derive(Debug, Clone)]
pub struct DocItem {
    pub position: i32,
    pub text: String,
    pub legal_basis: String,
    pub frequency: &'static str,
    pub evidence: String,
}

#[derive(Debug, Clone)]
pub struct DocSignature {
    pub name: String,
    /// Date and time in Asia/Shanghai, `YYYY-MM-DD HH:MM`.
    pub signed_at: String,
    /// `typed` or `drawn`.
    pub method: String,
    /// The typed name, for typed signatures.
    pub typed: Option<String>,
    /// The drawn signature as PNG bytes, when it is a real PNG.
    pub png: Option<Vec<u8>>,
    /// The text hash the signature binds to.
    pub text_hash: String,
}

impl DocSignature {
    /// The drawn signature as a data URL (the print view shows it as an image).
    pub fn png_data_url(&self) -> Option<String> {
        self.png.as_ref().map(|b| format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(b)))
    }
}

/// Everything the print view and the Word export show.
#[derive(Debug, Clone)]
pub struct ListDocument {
    pub list_id: String,
    pub organisation: String,
    pub tier: String,
    pub title: String,
    pub version: i32,
    pub state: String,
    pub text_hash: String,
    pub published_at: Option<String>,
    pub items: Vec<DocItem>,
    pub signatures: Vec<DocSignature>,
}

/// A list in the actor's scope as a document (404 outside it).
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, list_id = %list_id))]
pub async fn document(ctx: &Ctx, actor: &Actor, list_id: Uuid) -> ServiceResult<ListDocument> {
    let (l, items, o) = crate::duty::list_detail(ctx, actor, list_id).await?;
    let acks = repo::acknowledgements_of(&ctx.db.read, std::slice::from_ref(&l.id)).await?;
    let mut signatures = vec![];
    for a in acks {
        let name = person::get_person(&ctx.db.read, &ctx.tenant, &a.person_id).await?.map(|p| p.name).unwrap_or_default();
        let (typed, png) = if a.method == "drawn" {
            let bytes = a
                .signature
                .strip_prefix("data:image/png;base64,")
                .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b.trim()).ok())
                .filter(|b| anze_domain::evidence::photo::png_size(b).is_some());
            (None, bytes)
        } else {
            (Some(a.signature.clone()), None)
        };
        signatures.push((
            a.signed_at,
            DocSignature { name, signed_at: local(a.signed_at), method: a.method, typed, png, text_hash: a.text_hash },
        ));
    }
    signatures.sort_by_key(|(at, _)| *at);
    let state = match l.state.as_str() {
        "published" => "已发布",
        "superseded" => "已被替代",
        _ => "草稿",
    };
    Ok(ListDocument {
        list_id: l.id.clone(),
        organisation: o.name,
        tier: PostTier::parse(&l.tier).map_or_else(|| l.tier.clone(), |t| crate::sheet::tier_label(t).to_string()),
        title: l.title,
        version: l.version,
        state: state.into(),
        text_hash: l.text_hash.unwrap_or_default(),
        published_at: l.published_at.map(local),
        items: items
            .into_iter()
            .map(|i| DocItem {
                position: i.position,
                frequency: frequency_label(&i.frequency),
                text: i.text,
                legal_basis: i.legal_basis,
                evidence: i.evidence,
            })
            .collect(),
        signatures: signatures.into_iter().map(|(_, s)| s).collect(),
    })
}

/// The list as a Word document: heading, the list's facts, a table of items, and a table of
/// signatures (drawn ones embedded as images) with their dates.
pub fn docx(d: &ListDocument) -> ServiceResult<Vec<u8>> {
    use docx_rs::{AlignmentType, Docx, Paragraph, Pic, Run, RunFonts, Table, TableCell, TableRow, WidthType};
    let font = RunFonts::new().east_asia("宋体").ascii("Times New Roman").hi_ansi("Times New Roman");
    let para = |text: &str| Paragraph::new().add_run(Run::new().add_text(text));
    let cell = |text: &str| TableCell::new().add_paragraph(para(text));
    let head = |text: &str| TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text(text).bold()));
    let mut doc = Docx::new()
        .default_fonts(font)
        .default_size(21)
        .add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(Run::new().add_text(&d.organisation).size(28).bold()))
        .add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(Run::new().add_text(&d.title).size(36).bold()))
        .add_paragraph(para(&format!("岗位层级：{}　　版本：第{}版（{}）", d.tier, d.version, d.state)));
    if let Some(p) = &d.published_at {
        doc = doc.add_paragraph(para(&format!("发布时间：{p}")));
    }
    if !d.text_hash.is_empty() {
        doc = doc.add_paragraph(para(&format!("文本哈希（SHA-256）：{}", d.text_hash)));
    }
    let mut rows = vec![TableRow::new(vec![head("序号"), head("职责"), head("依据"), head("频次"), head("履职凭证")])];
    for i in &d.items {
        rows.push(TableRow::new(vec![
            cell(&i.position.to_string()),
            cell(&i.text),
            cell(&i.legal_basis),
            cell(i.frequency),
            cell(&i.evidence),
        ]));
    }
    doc = doc.add_table(Table::new(rows).set_grid(vec![700, 4200, 2200, 900, 1600]).width(9600, WidthType::Dxa));
    doc = doc.add_paragraph(para("")).add_paragraph(Paragraph::new().add_run(Run::new().add_text("签字确认").size(28).bold()));
    if d.signatures.is_empty() {
        doc = doc.add_paragraph(para("尚无人员签字。"));
    } else {
        let mut rows = vec![TableRow::new(vec![head("姓名"), head("签名"), head("签字时间")])];
        for s in &d.signatures {
            let signature = match (&s.png, &s.typed) {
                (Some(png), _) => {
                    let (w, h) = anze_domain::evidence::photo::png_size(png).unwrap_or((300, 100));
                    // Shown 3 cm wide (1 cm = 360 000 EMU), keeping the drawing's proportions.
                    let width: u32 = 3 * 360_000;
                    let height = (u64::from(width) * u64::from(h) / u64::from(w.max(1))).min(2 * 360_000) as u32;
                    TableCell::new().add_paragraph(
                        Paragraph::new().add_run(Run::new().add_image(Pic::new_with_dimensions(png.clone(), w, h).size(width, height))),
                    )
                }
                (None, Some(typed)) => cell(&format!("{typed}（输入姓名）")),
                (None, None) => cell(&format!("{}（手写签名）", s.name)),
            };
            rows.push(TableRow::new(vec![cell(&s.name), signature, cell(&s.signed_at)]));
        }
        doc = doc.add_table(Table::new(rows).set_grid(vec![2400, 4200, 3000]).width(9600, WidthType::Dxa));
    }
    doc = doc.add_paragraph(para("")).add_paragraph(para("签字绑定所签版本的文本哈希；清单发布新版本后须重新签字。"));
    let mut out = std::io::Cursor::new(Vec::new());
    doc.pack(&mut out).map_err(|e| ServiceError::Internal(format!("docx: {e}")))?;
    Ok(out.into_inner())
}
