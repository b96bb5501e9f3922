//! One test per real-world quirk of formats.md §7 that the fixtures do not already cover.

use nianbao::model::{Format, Number, Origin};
use nianbao::parse::{self, checks, Hints, Input};

fn text(s: &str) -> nianbao::model::ParsedReport {
    parse::parse(Input::Text(s), &Hints::default())
}

fn html(s: &str) -> nianbao::model::ParsedReport {
    parse::parse(Input::Html(s), &Hints::default())
}

/// A minimal 2021 `requests` table as pipe rows, with `rows` (label, 7 cells) inserted.
fn requests_pipe(rows: &[(&str, &str)]) -> String {
    let mut s = String::from(
        "某某县人民政府2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n\
         （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况 |\n\
         自然人 | 法人或其他组织 | 总计 |\n商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |\n",
    );
    for (label, cells) in rows {
        s.push_str(&format!("{label} | {cells} |\n"));
    }
    s.push_str("五、存在的主要问题及改进情况\n无。\n");
    s
}

#[test]
fn q15_traditional_characters_map_to_the_same_rows() {
    let r = text(&requests_pipe(&[
        (
            "一、本年新收政府信息公開申請數量",
            "3 | 1 | 0 | 0 | 0 | 0 | 4",
        ),
        (
            "二、上年結轉政府信息公開申請數量",
            "0 | 0 | 0 | 0 | 0 | 0 | 0",
        ),
        (
            "三、本年度辦理結果 | （一）予以公開",
            "3 | 1 | 0 | 0 | 0 | 0 | 4",
        ),
        ("（七）總計", "3 | 1 | 0 | 0 | 0 | 0 | 4"),
        ("四、結轉下年度繼續辦理", "0 | 0 | 0 | 0 | 0 | 0 | 0"),
    ]));
    let t = r.tables.requests.expect("requests");
    assert_eq!(t.value("new_received", "total"), Some(Number::Int(4)));
    assert_eq!(t.value("granted", "commercial"), Some(Number::Int(1)));
    assert_eq!(
        t.value("total_processed", "natural_person"),
        Some(Number::Int(3))
    );
    assert_eq!(t.value("carried_forward", "total"), Some(Number::Int(0)));
}

#[test]
fn q15_a_traditional_title() {
    // A report body (its section headings), not only a title, makes a legacy report.
    let r = text("2012年上海市政府信息公開工作年度報告\n一、概述\n二、主動公開政府信息情況\n三、依申請公開政府信息辦理情況\n");
    assert_eq!((r.agency.as_deref(), r.year), (Some("上海市"), Some(2012)));
    assert_eq!(r.format, Some(Format::Legacy));
}

#[test]
fn q5_q6_spaced_labels_and_punctuation_variants() {
    let r = text(&requests_pipe(&[
        (
            "一 、本 年 新 收 政 府 信 息 公 开 申 请 数 量",
            "１ | 0 | 0 | 0 | 0 | 0 | １",
        ),
        (
            "三、本年度办理结果 | (一)予以公开",
            "1 | 0 | 0 | 0 | 0 | 0 | 1",
        ),
        (
            "(五)不予处理 | 4.无正当理由大量反复 申请",
            "0 | 0 | 0 | 0 | 0 | 0 | 0",
        ),
        (
            "（六）其他处理 | 1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "0 | 0 | 0 | 0 | 0 | 0 | 0",
        ),
        ("3、其他", "0 | 0 | 0 | 0 | 0 | 0 | 0"),
        ("(七) 总 计", "1 | 0 | 0 | 0 | 0 | 0 | 1"),
    ]));
    let t = r.tables.requests.expect("requests");
    assert_eq!(
        t.value("new_received", "natural_person"),
        Some(Number::Int(1))
    );
    assert_eq!(
        t.value("not_processed_excessive", "total"),
        Some(Number::Int(0))
    );
    assert_eq!(t.value("other_other", "total"), Some(Number::Int(0)));
    assert_eq!(t.value("other", "total"), None);
    assert_eq!(t.value("total_processed", "total"), Some(Number::Int(1)));
}

#[test]
fn q3_q4_units_signs_and_separators_in_a_2019_table() {
    let page = "<p>某某市人民政府办公室2020年政府信息公开工作年度报告</p><table>\
        <tr><td colspan=4>第二十条第（五）项</td></tr>\
        <tr><td>信息内容</td><td>上一年项目数量</td><td>本年增/减</td><td>处理决定数量</td></tr>\
        <tr><td>行政许可</td><td>1,234</td><td>+1036</td><td>３ 件</td></tr>\
        <tr><td>行政处罚</td><td>5</td><td>减4</td><td>—</td></tr>\
        <tr><td colspan=4>第二十条第（九）项</td></tr>\
        <tr><td>信息内容</td><td>采购项目数量</td><td colspan=2>采购总金额</td></tr>\
        <tr><td>政府集中采购</td><td>2</td><td colspan=2>52.15</td></tr></table>";
    let r = html(page);
    assert_eq!(r.format, Some(Format::F2019));
    let a = r.tables.active.expect("active");
    assert_eq!(
        a.value("licensing", "previous_items"),
        Some(Number::Int(1234))
    );
    assert_eq!(a.value("licensing", "change"), Some(Number::Int(1036)));
    assert_eq!(a.value("licensing", "decisions"), Some(Number::Int(3)));
    assert_eq!(a.value("punishment", "change"), Some(Number::Int(-4)));
    assert_eq!(a.value("punishment", "decisions"), None);
    assert_eq!(
        a.get("punishment", "decisions").map(|c| c.raw.as_str()),
        Some("—")
    );
    assert_eq!(
        a.value("procurement", "amount"),
        Some(Number::Decimal(52.15))
    );
}

#[test]
fn q3_fees_in_wan_yuan_and_typo_in_the_header() {
    let r = text(
        "某某区人民政府2022年政府信息公开工作年度报告\n第二十条第（八）项 |\n\
         信息内容 | 本年收费金额（单位：万元） |\n行政事业性收费 | 43.788万元 |\n\
         第二十条第（五）项 |\n信息内容 | 本年处理绝对数量 |\n行政许可 | 12 |\n",
    );
    let a = r.tables.active.expect("active");
    assert_eq!(r.format, Some(Format::F2021));
    assert_eq!(a.value("fees", "amount"), Some(Number::Decimal(43.788)));
    assert_eq!(
        a.get("fees", "amount").map(|c| c.raw.as_str()),
        Some("43.788万元")
    );
    assert_eq!(a.value("licensing", "decisions"), Some(Number::Int(12)));
}

#[test]
fn report_tables_nested_in_a_layout_table() {
    // Old portals lay the whole page out in tables; the report's tables sit inside a cell.
    let inner = "<table><tr><td>行政复议</td><td colspan=2>行政诉讼</td></tr>\
        <tr><td>结果维持</td><td>未经复议直接起诉</td><td>复议后起诉</td></tr>\
        <tr><td>1</td><td>0</td><td>0</td><td>0</td><td>1</td><td>0</td><td>0</td><td>0</td>\
        <td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr></table>";
    let page = format!(
        "<table><tr><td>首页 | 政务公开</td></tr><tr><td><p>某某镇人民政府2023年政府信息公开工作年度报告</p>\
         <p>四、政府信息公开行政复议、行政诉讼情况</p>{inner}<p>五、存在的主要问题</p></td></tr>\
         <tr><td>版权所有 电话 0951 2078503 邮编 750021</td></tr></table>"
    );
    let r = html(&page);
    let t = r.tables.appeals.expect("appeals");
    assert_eq!(t.value("review", "upheld"), Some(Number::Int(1)));
    assert_eq!(t.value("review", "total"), Some(Number::Int(1)));
    assert_eq!(r.agency.as_deref(), Some("某某镇人民政府"));
}

#[test]
fn not_a_report_and_companion_pages() {
    assert_eq!(
        text("关于做好2024年政务公开工作的通知\n各乡镇人民政府：现将有关事项通知如下。").format,
        None
    );
    assert_eq!(
        html("<p>首页</p><table><tr><td>1</td><td>2</td></tr></table>").format,
        None
    );
    let jiedu = parse::parse(
        Input::Text("一图读懂《某某县2023年政府信息公开工作年度报告》\n图片"),
        &Hints {
            title: Some("一图读懂：某某县2023年政府信息公开工作年度报告".into()),
            agency: None,
        },
    );
    assert_eq!(jiedu.format, None);
}

#[test]
fn legacy_appendix_tables_stay_out() {
    let r = text(
        "某某县人民政府2012年政府信息公开工作年度报告\n一、概述\n二、主动公开政府信息情况\n\
         全年主动公开政府信息1200条。\n三、依申请公开政府信息办理情况\n\
         附表：政府信息公开情况统计表\n申请数 | 当面 | 网络 | 信函 |\n12 | 3 | 8 | 1 |\n\
         同意公开 | 同意部分公开 | 不同意公开 |\n10 | 1 | 1 |\n\
         五、因政府信息公开申请行政复议、提起行政诉讼的情况\n复议 | 维持 | 纠正 |\n0 | 0 | 0 |\n",
    );
    assert_eq!(r.format, Some(Format::Legacy));
    assert_eq!(r.year, Some(2012));
    assert!(r.tables.active.is_none() && r.tables.requests.is_none() && r.tables.appeals.is_none());
}

#[test]
fn hints_name_the_agency_when_the_body_does_not() {
    let r = parse::parse(
        Input::Text(
            "本年度报告中所列数据的统计期限：2022年1月1日至2022年12月31日。年度报告 政府信息公开",
        ),
        &Hints {
            title: None,
            agency: Some("某某街道办事处".into()),
        },
    );
    assert_eq!(r.agency.as_deref(), Some("某某街道办事处"));
    assert_eq!(r.year, Some(2022));
}

#[test]
fn q17_prose_contradicting_the_table_is_a_warning() {
    let t = std::fs::read_to_string(crate::util::fixture(
        "parse/seed004-huangzhong-2023-tab.txt",
    ))
    .unwrap();
    let r = text(&t);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.starts_with("prose says 12 applications received, the table 22")),
        "{:#?}",
        r.warnings
    );
    let t =
        std::fs::read_to_string(crate::util::fixture("parse/seed000-xixia-2024-pipe.txt")).unwrap();
    assert!(!text(&t)
        .warnings
        .iter()
        .any(|w| w.starts_with("prose says")));
}

#[test]
fn cross_year_on_two_parsed_reports() {
    let y1 = text(&requests_pipe(&[
        (
            "一、本年新收政府信息公开申请数量",
            "5 | 0 | 0 | 0 | 0 | 0 | 5",
        ),
        (
            "三、本年度办理结果 | （一）予以公开",
            "3 | 0 | 0 | 0 | 0 | 0 | 3",
        ),
        ("（七）总计", "3 | 0 | 0 | 0 | 0 | 0 | 3"),
        ("四、结转下年度继续办理", "2 | 0 | 0 | 0 | 0 | 0 | 2"),
    ]));
    let y2 = text(&requests_pipe(&[
        (
            "一、本年新收政府信息公开申请数量",
            "1 | 0 | 0 | 0 | 0 | 0 | 1",
        ),
        (
            "二、上年结转政府信息公开申请数量",
            "1 | 0 | 0 | 0 | 0 | 0 | 1",
        ),
        (
            "三、本年度办理结果 | （一）予以公开",
            "2 | 0 | 0 | 0 | 0 | 0 | 2",
        ),
        ("（七）总计", "2 | 0 | 0 | 0 | 0 | 0 | 2"),
    ]));
    let c = checks::cross_year(&y1.tables, &y2.tables).expect("both years have requests");
    assert_eq!(c.rule, "cross_year.carried_over");
    assert!(!c.ok);
    assert_eq!((c.left, c.right), (Number::Int(1), Number::Int(2)));
}

#[test]
fn lost_cells_that_no_identity_places_stay_blank() {
    // Layout text whose blank cells vanished: "5 2 7" in a row of 7 columns, with nothing else
    // in the table to say where 5 and 2 belong. Only the total is certain.
    let r = text(
        "某某县人民政府2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n\
         一、本年新收政府信息公开申请数量      5      2      7\n\
         二、上年结转政府信息公开申请数量\n四、结转下年度继续办理\n五、存在的主要问题\n",
    );
    let t = r.tables.requests.expect("requests");
    let cells: Vec<Option<Number>> = [
        "natural_person",
        "commercial",
        "research",
        "public_interest",
        "legal_services",
        "other_org",
        "total",
    ]
    .iter()
    .map(|c| t.value("new_received", c))
    .collect();
    assert_eq!(
        cells,
        [None, None, None, None, None, None, Some(Number::Int(7))]
    );
    assert_eq!(
        t.get("new_received", "total").map(|c| c.origin),
        Some(Origin::Inferred)
    );
    assert!(
        r.warnings.iter().any(|w| w.contains("ambiguous")),
        "{:#?}",
        r.warnings
    );
}

#[test]
fn html_columns_follow_their_header_labels_not_their_order() {
    // A table printing 总计 first: values go under the header cell of their grid column.
    let row = |label: &str, v: [&str; 7]| {
        format!(
            "<tr><td colspan=3>{label}</td>{}</tr>",
            v.iter()
                .map(|x| format!("<td>{x}</td>"))
                .collect::<String>()
        )
    };
    let page = format!(
        "<p>某某县人民政府2023年政府信息公开工作年度报告</p><table>\
         <tr><td colspan=3 rowspan=2>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>\
         <td rowspan=2>总计</td><td rowspan=2>自然人</td><td colspan=5>法人或其他组织</td></tr>\
         <tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>\
         {}{}{}{}</table>",
        row("一、本年新收政府信息公开申请数量", ["5", "4", "1", "0", "0", "0", "0"]),
        row("（一）予以公开", ["5", "4", "1", "0", "0", "0", "0"]),
        row("（七）总计", ["5", "4", "1", "0", "0", "0", "0"]),
        row("四、结转下年度继续办理", ["0", "0", "0", "0", "0", "0", "0"]),
    );
    let t = html(&page).tables.requests.expect("requests");
    assert_eq!(t.value("new_received", "total"), Some(Number::Int(5)));
    assert_eq!(
        t.value("new_received", "natural_person"),
        Some(Number::Int(4))
    );
    assert_eq!(t.value("new_received", "commercial"), Some(Number::Int(1)));
    assert!(checks::evaluate(&nianbao::model::Tables {
        requests: Some(t),
        ..Default::default()
    })
    .iter()
    .all(|c| c.ok));
}

#[test]
fn numbers_that_fit_no_row_are_not_a_template() {
    // Labels and numbers of table 二 that cannot be matched up (here the numbers sit under a
    // header row) must not come out as an all-blank "template" table.
    let r = text(
        "某某县人民政府2023年政府信息公开工作年度报告\n第二十条第（一）项 |\n规章 |\n行政规范性文件 |\n\
         信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n1 | 2 |\n",
    );
    assert!(r.tables.active.is_none(), "{:?}", r.tables.active);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("none could be placed")),
        "{:#?}",
        r.warnings
    );
    assert!(!r.warnings.iter().any(|w| w.starts_with("template")));
}
