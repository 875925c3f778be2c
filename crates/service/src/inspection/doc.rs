//! An inspection as documents (issue 4 item 2; the notice asks the committee's lead department
//! to archive "检查方案、问题清单、现场照片"): the report in Word, and the archive, one .zip
//! holding the report, the plan, the problem list (.xlsx) and every photo taken at the items,
//! unchanged, with their SHA-256 in a manifest. Both are in Chinese whatever the reader's
//! language, as the paper copy is; labels come from the caller's translations (`label`), so
//! the words are the screens' words.

use crate::inspection::detail;
use crate::{Actor, Ctx, ServiceError, ServiceResult};
use anze_domain::time::shanghai;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::io::Write;
use uuid::Uuid;

/// One checklist item as recorded at one target.
#[derive(Debug, Clone, Serialize)]
pub struct ItemLine {
    pub position: i32,
    pub text: String,
    pub result: String,
    pub note: String,
    /// File names of its photos in the archive.
    pub photos: Vec<String>,
}

/// One target's visit.
#[derive(Debug, Clone, Serialize)]
pub struct TargetSection {
    pub unit: String,
    /// Local time of the signatures; `None` before the visit.
    pub signed_at: Option<String>,
    pub inspector_signature: String,
    pub representative_signature: String,
    pub items: Vec<ItemLine>,
}

/// One problem found (a failed item) and the hazard it became.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub unit: String,
    pub item: String,
    pub note: String,
    pub hazard_id: String,
    pub grade: String,
    pub state: String,
    pub deadline: Option<String>,
}

/// A photo of the archive: its file name, the stored photo, and where it was taken.
#[derive(Debug, Clone, Serialize)]
pub struct PhotoEntry {
    pub file_name: String,
    pub photo_id: String,
    pub unit: String,
    pub position: i32,
}

/// Everything the report and the archive print.
#[derive(Debug, Clone, Serialize)]
pub struct InspectionReport {
    pub id: String,
    pub kind: String,
    pub state: String,
    pub theme: String,
    pub lead: String,
    pub inspectors: Vec<String>,
    pub starts_on: String,
    pub ends_on: String,
    pub plan_text: String,
    pub checklist: Option<String>,
    pub completed_at: Option<String>,
    pub targets: Vec<TargetSection>,
    pub problems: Vec<Problem>,
    pub photos: Vec<PhotoEntry>,
}

fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&shanghai()).format("%Y-%m-%d %H:%M").to_string()
}

fn extension(content_type: &str) -> &'static str {
    match content_type {
        "image/png" => "png",
        "image/webp" => "webp",
        _ => "jpg",
    }
}

/// The report's content, for an inspection the actor sees (404 otherwise, covert ones
/// included). Codes are left as codes; `docx` and `archive` translate them.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, id = %id))]
pub async fn report(ctx: &Ctx, actor: &Actor, id: Uuid) -> ServiceResult<InspectionReport> {
    let d = detail(ctx, actor, id).await?;
    let i = &d.inspection;
    let mut targets = vec![];
    let mut problems = vec![];
    let mut photos = vec![];
    for (t, unit) in &d.targets {
        let mut items = vec![];
        for r in d.results.iter().filter(|r| r.target_id == t.id) {
            let mut names = vec![];
            for p in d.photos.iter().filter(|p| p.result_id == r.id) {
                let stored = anze_store::repo::evidence::photo(&ctx.db.read, &ctx.tenant, &p.photo_id).await?;
                let ext = stored.as_ref().map_or("jpg", |s| extension(&s.content_type));
                let file_name =
                    format!("照片/{:02}-{}-第{}项-{}.{ext}", photos.len() + 1, unit, r.position, &p.photo_id[..8.min(p.photo_id.len())]);
                names.push(file_name.clone());
                photos.push(PhotoEntry { file_name, photo_id: p.photo_id.clone(), unit: unit.clone(), position: r.position });
            }
            if let Some(hid) = &r.hazard_id {
                let h = anze_store::repo::hazard::by_id(&ctx.db.read, &ctx.tenant, hid).await?;
                problems.push(Problem {
                    unit: unit.clone(),
                    item: r.item_text.clone(),
                    note: r.note.clone(),
                    hazard_id: hid.clone(),
                    grade: h.as_ref().map(|h| h.grade.clone()).unwrap_or_default(),
                    state: h.as_ref().map(|h| h.state.clone()).unwrap_or_default(),
                    deadline: h.as_ref().and_then(|h| h.deadline).map(|d| d.to_string()),
                });
            }
            items.push(ItemLine {
                position: r.position,
                text: r.item_text.clone(),
                result: r.result.clone(),
                note: r.note.clone(),
                photos: names,
            });
        }
        targets.push(TargetSection {
            unit: unit.clone(),
            signed_at: t.signed_at.map(local),
            inspector_signature: t.inspector_signature.clone().unwrap_or_default(),
            representative_signature: t.representative_signature.clone().unwrap_or_default(),
            items,
        });
    }
    Ok(InspectionReport {
        id: i.id.clone(),
        kind: i.kind.clone(),
        state: i.state.clone(),
        theme: i.theme.clone(),
        lead: i.lead_name.clone(),
        inspectors: i.inspectors.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect(),
        starts_on: i.starts_on.to_string(),
        ends_on: i.ends_on.to_string(),
        plan_text: i.plan_text.clone(),
        checklist: d.checklist.as_ref().map(|c| c.name.clone()),
        completed_at: i.completed_at.map(local),
        targets,
        problems,
        photos,
    })
}

/// The report as a Word document: the plan's facts, each target's checklist with results,
/// notes and signatures, and the problem list with the hazards they became. `label` turns a
/// translation id (`inspection-kind-routine`, `hazard-state-closed` …) into its Chinese words.
pub fn docx(r: &InspectionReport, label: &(dyn Fn(&str) -> String + Sync)) -> ServiceResult<Vec<u8>> {
    use docx_rs::{AlignmentType, Docx, Paragraph, Run, RunFonts, Table, TableCell, TableRow, WidthType};
    let font = RunFonts::new().east_asia("宋体").ascii("Times New Roman").hi_ansi("Times New Roman");
    let para = |text: &str| Paragraph::new().add_run(Run::new().add_text(text));
    let cell = |text: &str| TableCell::new().add_paragraph(para(text));
    let head = |text: &str| TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text(text).bold()));
    let heading = |text: &str| Paragraph::new().add_run(Run::new().add_text(text).size(28).bold());
    let kind = label(&format!("inspection-kind-{}", r.kind));
    let title = if r.theme.trim().is_empty() { format!("{kind}报告") } else { format!("{}（{kind}）报告", r.theme) };
    let mut doc = Docx::new()
        .default_fonts(font)
        .default_size(21)
        .add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(Run::new().add_text(&title).size(36).bold()))
        .add_paragraph(para(&format!("检查类型：{kind}　　状态：{}", label(&format!("inspection-state-{}", r.state)))))
        .add_paragraph(para(&format!("牵头：{}　　检查人员：{}", r.lead, r.inspectors.join("、"))))
        .add_paragraph(para(&format!("检查时间：{} 至 {}", r.starts_on, r.ends_on)));
    if let Some(c) = &r.checklist {
        doc = doc.add_paragraph(para(&format!("检查表：{c}")));
    }
    if let Some(at) = &r.completed_at {
        doc = doc.add_paragraph(para(&format!("完成时间：{at}")));
    }
    doc = doc.add_paragraph(para("")).add_paragraph(heading("一、检查方案"));
    for line in r.plan_text.lines().filter(|l| !l.trim().is_empty()) {
        doc = doc.add_paragraph(para(line));
    }
    if r.plan_text.trim().is_empty() {
        doc = doc.add_paragraph(para("（未填写）"));
    }
    doc = doc.add_paragraph(para("")).add_paragraph(heading("二、检查情况"));
    for t in &r.targets {
        doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(&t.unit).bold()));
        if t.items.is_empty() {
            doc = doc.add_paragraph(para("尚未检查。"));
            continue;
        }
        let mut rows = vec![TableRow::new(vec![head("序号"), head("检查项目"), head("结果"), head("说明"), head("照片")])];
        for i in &t.items {
            rows.push(TableRow::new(vec![
                cell(&i.position.to_string()),
                cell(&i.text),
                cell(&label(&format!("inspection-result-{}", i.result))),
                cell(&i.note),
                cell(&if i.photos.is_empty() { String::new() } else { format!("{} 张", i.photos.len()) }),
            ]));
        }
        doc = doc.add_table(Table::new(rows).set_grid(vec![700, 4300, 1000, 2700, 900]).width(9600, WidthType::Dxa));
        if let Some(at) = &t.signed_at {
            doc = doc.add_paragraph(para(&format!(
                "检查人员签字：{}　　被检查单位代表签字：{}　　时间：{at}",
                t.inspector_signature, t.representative_signature
            )));
        }
    }
    doc = doc.add_paragraph(para("")).add_paragraph(heading("三、问题清单"));
    if r.problems.is_empty() {
        doc = doc.add_paragraph(para("未发现问题。"));
    } else {
        let mut rows = vec![TableRow::new(vec![head("序号"), head("单位"), head("问题"), head("等级"), head("整改期限"), head("状态")])];
        for (n, p) in r.problems.iter().enumerate() {
            let problem = if p.note.trim().is_empty() { p.item.clone() } else { format!("{}：{}", p.item, p.note) };
            rows.push(TableRow::new(vec![
                cell(&(n + 1).to_string()),
                cell(&p.unit),
                cell(&problem),
                cell(&label(&format!("hazard-grade-{}", p.grade))),
                cell(p.deadline.as_deref().unwrap_or("")),
                cell(&label(&format!("hazard-state-{}", p.state))),
            ]));
        }
        doc = doc.add_table(Table::new(rows).set_grid(vec![700, 1800, 3700, 1300, 1100, 1000]).width(9600, WidthType::Dxa));
    }
    if !r.photos.is_empty() {
        doc = doc.add_paragraph(para("")).add_paragraph(para(&format!("现场照片 {} 张，原件及其 SHA-256 见归档包。", r.photos.len())));
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.pack(&mut out).map_err(|e| ServiceError::Internal(format!("docx: {e}")))?;
    Ok(out.into_inner())
}

/// The archive (.zip): `检查报告.docx`, `检查方案.txt`, `问题清单.xlsx`, every photo's original
/// under `照片/`, and `照片清单.csv` with each file's SHA-256, so the folder proves itself.
#[tracing::instrument(level = "debug", skip_all, fields(user = ?actor.user_id, id = %id))]
pub async fn archive(ctx: &Ctx, actor: &Actor, id: Uuid, label: &(dyn Fn(&str) -> String + Sync)) -> ServiceResult<Vec<u8>> {
    let r = report(ctx, actor, id).await?;
    let report_docx = docx(&r, label)?;
    let problems: Vec<Vec<String>> = r
        .problems
        .iter()
        .enumerate()
        .map(|(n, p)| {
            vec![
                (n + 1).to_string(),
                p.unit.clone(),
                p.item.clone(),
                p.note.clone(),
                label(&format!("hazard-grade-{}", p.grade)),
                p.deadline.clone().unwrap_or_default(),
                label(&format!("hazard-state-{}", p.state)),
                p.hazard_id.clone(),
            ]
        })
        .collect();
    let problem_sheet =
        crate::sheet::write("问题清单", &["序号", "单位", "检查项目", "问题说明", "等级", "整改期限", "状态", "隐患编号"], &problems)?;
    let mut manifest = String::from("文件,单位,检查项,SHA-256\n");
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("检查报告.docx".into(), report_docx),
        ("检查方案.txt".into(), r.plan_text.clone().into_bytes()),
        ("问题清单.xlsx".into(), problem_sheet),
    ];
    for p in &r.photos {
        let photo_id = Uuid::parse_str(&p.photo_id).map_err(|_| ServiceError::NotFound)?;
        let (_, bytes) = crate::evidence::original(ctx, actor, photo_id).await?;
        let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
        manifest.push_str(&format!("{},{},{},{sha}\n", p.file_name, p.unit.replace(',', "，"), p.position));
        files.push((p.file_name.clone(), bytes));
    }
    files.push(("照片清单.csv".into(), manifest.into_bytes()));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(name, options).map_err(|e| ServiceError::Internal(format!("zip: {e}")))?;
        zip.write_all(&bytes).map_err(|e| ServiceError::Internal(format!("zip: {e}")))?;
    }
    let out = zip.finish().map_err(|e| ServiceError::Internal(format!("zip: {e}")))?;
    Ok(out.into_inner())
}
