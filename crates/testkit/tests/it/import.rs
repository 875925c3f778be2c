use anze_service::Actor;
use anze_service::import::{ImportKind, run};
use anze_testkit::*;

fn enterprise_rows(n: usize, bad_row: Option<usize>) -> Vec<Vec<String>> {
    (0..n)
        .map(|i| {
            let code = if Some(i) == bad_row { "91350100M000100Y44".to_string() } else { credit_code(1000 + i as u32) };
            vec![
                format!("导入企业{i:05}"),
                code,
                "26".into(),
                "370983100201".into(),
                "370983100201001".into(),
                "地址".into(),
                "张三".into(),
                "张三".into(),
                "13812345678".into(),
                "".into(),
                "30".into(),
                "橙".into(),
                "B".into(),
                "是".into(),
                "动火作业、高处".into(),
                "否".into(),
            ]
        })
        .collect()
}

fn xlsx(rows: &[Vec<String>]) -> Vec<u8> {
    let headers: Vec<&str> = ImportKind::Enterprises.columns().iter().map(|c| c.0).collect();
    anze_service::sheet::write("企业", &headers, rows).unwrap()
}

#[tokio::test]
async fn one_bad_row_in_many_writes_nothing_and_names_the_row() {
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    let sys = Actor::system("test");
    let bytes = xlsx(&enterprise_rows(10_000, Some(1234)));
    let errors = run(&t.ctx, &sys, ImportKind::Enterprises, &bytes, chrono::Utc::now(), false).await.unwrap().unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].row, 1236, "row 1 is the header; data row index 1234 is sheet row 1236");
    assert_eq!(errors[0].column, "统一社会信用代码");
    assert_eq!(errors[0].code, "org.credit_code.check_digit");
    assert_eq!(anze_service::org::count(&t.ctx, &sys, anze_domain::org::OrgKind::Enterprise).await.unwrap(), 0);
}

#[tokio::test]
async fn reimporting_the_same_file_changes_nothing() {
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    let sys = Actor::system("test");
    let bytes = xlsx(&enterprise_rows(30, None));
    let first = run(&t.ctx, &sys, ImportKind::Enterprises, &bytes, chrono::Utc::now(), false).await.unwrap().unwrap();
    assert_eq!((first.created, first.updated, first.unchanged), (30, 0, 0));
    let events = anze_service::audit::recent(&t.ctx, None, 1000).await.unwrap().len();
    let again = run(&t.ctx, &sys, ImportKind::Enterprises, &bytes, chrono::Utc::now(), false).await.unwrap().unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 30));
    assert_eq!(anze_service::audit::recent(&t.ctx, None, 1000).await.unwrap().len(), events, "no change, no audit event");
    // Staff for one of them, from CSV, twice.
    let csv = format!(
        "统一社会信用代码,姓名,身份证号,手机号,岗位名称,岗位层级,部门或车间,任职日期,离任日期\n{c},王五,11010519491231002X,13900000000,操作工,一般从业人员,一车间,2024/3/1,\n{c},赵六,,,班长,班组长,一车间,2024年3月2日,\n",
        c = credit_code(1000)
    );
    let s1 = run(&t.ctx, &sys, ImportKind::Staff, csv.as_bytes(), chrono::Utc::now(), false).await.unwrap().unwrap();
    assert_eq!(s1.created, 2);
    let s2 = run(&t.ctx, &sys, ImportKind::Staff, csv.as_bytes(), chrono::Utc::now(), false).await.unwrap().unwrap();
    assert_eq!((s2.created, s2.unchanged), (0, 2));
    // The coverage rollup counts every imported enterprise and the two imported people.
    let q = anze_service::coverage::CoverageQuery::default();
    let r = anze_service::coverage::rollup(&t.ctx, &sys, &q, anze_store::repo::coverage::GroupBy::Township).await.unwrap();
    assert_eq!((r.total.enterprises, r.total.people, r.total.covered), (30, 2, 0));
}

#[tokio::test]
async fn bad_files_get_clear_errors() {
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    let sys = Actor::system("test");
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let e = run(&t.ctx, &sys, ImportKind::Enterprises, png, chrono::Utc::now(), false).await.unwrap().unwrap_err();
    assert_eq!(e[0].code, "import.not_a_spreadsheet");
    let missing = "企业名称,行业代码\n甲,26\n";
    let e = run(&t.ctx, &sys, ImportKind::Enterprises, missing.as_bytes(), chrono::Utc::now(), false).await.unwrap().unwrap_err();
    assert!(e.iter().any(|e| e.code == "import.missing_column" && e.column == "统一社会信用代码"), "{e:?}");
    let text_date = format!("统一社会信用代码,姓名,岗位名称,岗位层级,任职日期\n{},王五,操作工,一般从业人员,三月一日\n", credit_code(5));
    let e = run(&t.ctx, &sys, ImportKind::Staff, text_date.as_bytes(), chrono::Utc::now(), false).await.unwrap().unwrap_err();
    assert!(e.iter().any(|e| e.code == "import.enterprise_unknown"), "{e:?}");
    assert!(e.iter().any(|e| e.code == "field.date_invalid" && e.column == "任职日期"), "{e:?}");
}

#[tokio::test]
async fn merged_cells_are_named_by_row() {
    let t = test_db().await;
    seed_regions(&t.ctx).await;
    let sys = Actor::system("test");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ImportKind::Enterprises.columns().iter().enumerate() {
        ws.write_string(0, c as u16, h.0).unwrap();
    }
    for (r, row) in enterprise_rows(3, None).iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, v).unwrap();
        }
    }
    // The address cell of rows 3 and 4 merged, as people do in hand-made sheets.
    ws.merge_range(2, 5, 3, 5, "合并的地址", &rust_xlsxwriter::Format::new()).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let errors = run(&t.ctx, &sys, ImportKind::Enterprises, &bytes, chrono::Utc::now(), false).await.unwrap().unwrap_err();
    let rows: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.code.as_str())).collect();
    assert_eq!(rows, [(3, "import.merged_cells"), (4, "import.merged_cells")]);
    assert_eq!(anze_service::org::count(&t.ctx, &sys, anze_domain::org::OrgKind::Enterprise).await.unwrap(), 0);
}
