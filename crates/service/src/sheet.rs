//! Spreadsheets in and out: reading the first sheet of an .xlsx (or a UTF-8 CSV) into text
//! cells, the one rule that finds a template's columns by their headers, writing a one-sheet
//! workbook, and the Chinese words sheets use for the closed vocabularies. A leaf: every
//! importer and exporter uses it, it uses none of them.

use crate::{ServiceError, ServiceResult};
use anze_domain::org::{HazardousWorkKind, PostTier, RiskLevel};
use calamine::{Data, Reader};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::io::Cursor;

/// One problem in one cell (or row, when `column` is empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RowError {
    /// 1-based row number as the spreadsheet shows it (the header is row 1).
    pub row: usize,
    pub column: String,
    pub code: String,
    pub detail: Option<String>,
}

/// A sheet read into text cells.
#[derive(Debug, Clone)]
pub struct Table {
    pub headers: Vec<String>,
    /// (row number, cells)
    pub rows: Vec<(usize, Vec<String>)>,
    /// Rows (1-based) touched by merged cells.
    pub merged_rows: HashSet<usize>,
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => {
            if *b {
                "是".into()
            } else {
                "否".into()
            }
        }
        Data::DateTime(dt) => dt.as_datetime().map(|d| d.date().to_string()).unwrap_or_else(|| dt.to_string()),
        Data::DateTimeIso(s) => s.chars().take(10).collect(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Reads the first sheet of an .xlsx file, or a UTF-8 CSV. Anything else is refused.
pub fn read_table(bytes: &[u8]) -> Result<Table, RowError> {
    let fail = |code: &str| RowError { row: 0, column: String::new(), code: code.into(), detail: None };
    if bytes.starts_with(b"PK\x03\x04") {
        let mut wb = calamine::Xlsx::new(Cursor::new(bytes)).map_err(|_| fail("import.not_a_spreadsheet"))?;
        let name = wb.sheet_names().first().cloned().ok_or_else(|| fail("import.empty"))?;
        let merged: Vec<calamine::Dimensions> = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
        let range = wb.worksheet_range(&name).map_err(|_| fail("import.not_a_spreadsheet"))?;
        let (start_row, start_col) = range.start().unwrap_or((0, 0));
        let mut rows = range.rows();
        let headers: Vec<String> = rows.next().ok_or_else(|| fail("import.empty"))?.iter().map(cell_text).collect();
        let mut out = vec![];
        for (i, r) in rows.enumerate() {
            let cells: Vec<String> = r.iter().map(cell_text).collect();
            if cells.iter().any(|c| !c.is_empty()) {
                out.push((start_row as usize + i + 2, cells));
            }
        }
        let _ = start_col;
        let mut merged_rows = HashSet::new();
        for d in merged {
            for r in d.start.0..=d.end.0 {
                merged_rows.insert(r as usize + 1);
            }
        }
        Ok(Table { headers, rows: out, merged_rows })
    } else {
        let text = std::str::from_utf8(bytes).map_err(|_| fail("import.not_a_spreadsheet"))?;
        let text = text.trim_start_matches('\u{feff}');
        if text.contains('\0') || text.trim().is_empty() {
            return Err(fail(if text.trim().is_empty() { "import.empty" } else { "import.not_a_spreadsheet" }));
        }
        let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
        let mut records = rdr.records();
        let headers: Vec<String> = match records.next() {
            Some(Ok(r)) => r.iter().map(|s| s.trim().to_string()).collect(),
            _ => return Err(fail("import.not_a_spreadsheet")),
        };
        let mut out = vec![];
        for (i, r) in records.enumerate() {
            let r = r.map_err(|_| fail("import.not_a_spreadsheet"))?;
            let cells: Vec<String> = r.iter().map(|s| s.trim().to_string()).collect();
            if cells.iter().any(|c| !c.is_empty()) {
                out.push((i + 2, cells));
            }
        }
        Ok(Table { headers, rows: out, merged_rows: HashSet::new() })
    }
}

/// One column of an import template: the header people see, the field it fills, and whether
/// a file without it is refused.
pub type Column = (&'static str, &'static str, bool);

/// Where each field of a template sits in one file.
#[derive(Debug, Clone, Default)]
pub struct Columns(HashMap<&'static str, usize>);

impl Columns {
    /// The cell of `field` in a row (empty when the column is absent or the row is short).
    pub fn cell(&self, cells: &[String], field: &str) -> String {
        self.0.get(field).and_then(|i| cells.get(*i)).cloned().unwrap_or_default()
    }
    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }
}

/// The one header-to-column rule of every importer: a header names a column by its Chinese
/// header or its field code, ignoring surrounding spaces and the template's required mark
/// (`企业名称*`). Every missing required column is reported, by header, in row 1.
pub fn columns(table: &Table, template: &[Column]) -> Result<Columns, Vec<RowError>> {
    let clean = |h: &str| h.trim().trim_end_matches('*').trim().to_string();
    let mut map = HashMap::new();
    let mut errors = vec![];
    for (header, field, required) in template {
        match table.headers.iter().position(|h| clean(h) == *header || clean(h) == *field) {
            Some(i) => {
                map.insert(*field, i);
            }
            None if *required => {
                errors.push(RowError { row: 1, column: header.to_string(), code: "import.missing_column".into(), detail: None })
            }
            None => {}
        }
    }
    if errors.is_empty() { Ok(Columns(map)) } else { Err(errors) }
}

/// The header people see for a field of a template (empty when the field has no column).
pub fn header_of(template: &[Column], field: &str) -> &'static str {
    template.iter().find(|c| c.1 == field).map(|c| c.0).unwrap_or("")
}

/// The header row of a template: required columns carry `*`.
pub fn template_headers(template: &[Column]) -> Vec<String> {
    template.iter().map(|(h, _, req)| if *req { format!("{h}*") } else { h.to_string() }).collect()
}

fn xerr(e: XlsxError) -> ServiceError {
    ServiceError::Internal(e.to_string())
}

/// A workbook with one sheet: a bold header row and text rows.
pub fn write<H: AsRef<str>>(title: &str, headers: &[H], rows: &[Vec<String>]) -> ServiceResult<Vec<u8>> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(title).map_err(xerr)?;
    let bold = Format::new().set_bold();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h.as_ref(), &bold).map_err(xerr)?;
        ws.set_column_width(c as u16, 18).map_err(xerr)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, v).map_err(xerr)?;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(xerr)?;
    wb.save_to_buffer().map_err(xerr)
}

/// A yes/no cell as people type it (是/否, 有/无, Y/N …); empty is no; anything else is `None`.
pub fn yes_no_cell(text: &str) -> Option<bool> {
    match text.trim() {
        "" | "否" | "无" | "N" | "n" | "no" | "false" | "0" => Some(false),
        "是" | "有" | "Y" | "y" | "yes" | "true" | "1" => Some(true),
        _ => None,
    }
}

/// A yes/no value as a sheet shows it.
pub fn yes_no(b: bool) -> String {
    if b { "是".into() } else { "否".into() }
}

/// Chinese labels people type for the closed vocabularies, besides the codes themselves.
pub fn risk_from_label(t: &str) -> String {
    match t.trim().trim_end_matches('色').trim_end_matches("风险") {
        "红" | "重大" => RiskLevel::Red.as_str().into(),
        "橙" | "较大" => RiskLevel::Orange.as_str().into(),
        "黄" | "一般" => RiskLevel::Yellow.as_str().into(),
        "蓝" | "低" => RiskLevel::Blue.as_str().into(),
        other => other.to_ascii_lowercase(),
    }
}

pub fn tier_label(t: PostTier) -> &'static str {
    match t {
        PostTier::Principal => "主要负责人",
        PostTier::SafetyDirector => "分管安全负责人/安全总监",
        PostTier::OtherDeputy => "其他分管负责人",
        PostTier::SafetyManager => "安全管理机构及人员",
        PostTier::FunctionHead => "其他职能部门负责人",
        PostTier::WorkshopHead => "车间(区队)主任",
        PostTier::TeamLeader => "班组长",
        PostTier::Worker => "一般从业人员",
        PostTier::LeaderInCharge => "分管领导",
        PostTier::OtherLeader => "其他领导",
        PostTier::Section => "科室",
        PostTier::Staff => "工作人员",
        PostTier::Liaison => "联络员",
    }
}

pub fn tier_from_label(t: &str) -> String {
    let t = t.trim();
    PostTier::ALL
        .iter()
        .find(|x| tier_label(**x) == t || tier_label(**x).split('/').any(|part| part == t))
        .map(|x| x.as_str().to_string())
        .unwrap_or_else(|| t.to_string())
}

pub fn hazardous_work_label(k: HazardousWorkKind) -> &'static str {
    match k {
        HazardousWorkKind::Hot => "动火作业",
        HazardousWorkKind::ConfinedSpace => "受限空间作业",
        HazardousWorkKind::Blinding => "盲板抽堵作业",
        HazardousWorkKind::Height => "高处作业",
        HazardousWorkKind::Lifting => "吊装作业",
        HazardousWorkKind::TemporaryPower => "临时用电作业",
        HazardousWorkKind::Excavation => "动土作业",
        HazardousWorkKind::RoadBreak => "断路作业",
    }
}

pub fn hazardous_work_from_label(t: &str) -> String {
    let t = t.trim();
    HazardousWorkKind::ALL
        .iter()
        .find(|k| hazardous_work_label(**k) == t || hazardous_work_label(**k).trim_end_matches("作业") == t)
        .map(|k| k.as_str().to_string())
        .unwrap_or_else(|| t.to_string())
}
