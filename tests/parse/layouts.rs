//! Renders tables into the layouts real sites produce, for round-trip tests: clean HTML,
//! Word-pasted HTML (labels repeated instead of rowspanned, spaced labels, MsoNormal wrappers,
//! `&nbsp;`), table 三 split in two with its header repeated, pipe rows (seeds 000/001), one
//! cell per line (seed 003) and tab-separated PDF text with blank cells dropped (seed 004).

use nianbao::model::{Format, Number, Table, Tables};

/// The title line every rendering starts with.
pub const TITLE: &str = "测试区人民政府2024年政府信息公开工作年度报告";

/// One printed label cell: text, rowspan, colspan.
type LabelCell = (&'static str, usize, usize);

/// The label cells printed at the start of each `requests` row (grid columns 0–2), as in the
/// official form: group labels only on the first row of their group.
fn request_labels(key: &str, format: Format) -> Vec<LabelCell> {
    let results_span = if format == Format::F2019 { 20 } else { 22 };
    match key {
        "new_received" => vec![("一、本年新收政府信息公开申请数量", 1, 3)],
        "carried_over" => vec![("二、上年结转政府信息公开申请数量", 1, 3)],
        "granted" => vec![
            ("三、本年度办理结果", results_span, 1),
            ("（一）予以公开", 1, 2),
        ],
        "partially_granted" => vec![(
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            1,
            2,
        )],
        "denied_state_secret" => vec![("（三）不予公开", 8, 1), ("1.属于国家秘密", 1, 1)],
        "denied_law_prohibited" => vec![("2.其他法律行政法规禁止公开", 1, 1)],
        "denied_safety_stability" => vec![("3.危及“三安全一稳定”", 1, 1)],
        "denied_third_party" => vec![("4.保护第三方合法权益", 1, 1)],
        "denied_internal_affairs" => vec![("5.属于三类内部事务信息", 1, 1)],
        "denied_process_info" => vec![("6.属于四类过程性信息", 1, 1)],
        "denied_enforcement_files" => vec![("7.属于行政执法案卷", 1, 1)],
        "denied_inquiry_matters" => vec![("8.属于行政查询事项", 1, 1)],
        "unavailable_not_held" => vec![
            ("（四）无法提供", 3, 1),
            ("1.本机关不掌握相关政府信息", 1, 1),
        ],
        "unavailable_needs_creation" => vec![("2.没有现成信息需要另行制作", 1, 1)],
        "unavailable_unclear" => vec![("3.补正后申请内容仍不明确", 1, 1)],
        "not_processed_complaint" => vec![("（五）不予处理", 5, 1), ("1.信访举报投诉类申请", 1, 1)],
        "not_processed_repeated" => vec![("2.重复申请", 1, 1)],
        "not_processed_publication" => vec![("3.要求提供公开出版物", 1, 1)],
        "not_processed_excessive" => vec![("4.无正当理由大量反复申请", 1, 1)],
        "not_processed_confirmation" => vec![("5.要求行政机关确认或重新出具已获取信息", 1, 1)],
        "other_no_correction" => vec![
            ("（六）其他处理", 3, 1),
            (
                "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                1,
                1,
            ),
        ],
        "other_unpaid_fee" => vec![(
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            1,
            1,
        )],
        "other_other" => vec![("3.其他", 1, 1)],
        "other" => vec![("（六）其他处理", 1, 2)],
        "total_processed" => vec![("（七）总计", 1, 2)],
        "carried_forward" => vec![("四、结转下年度继续办理", 1, 3)],
        _ => vec![],
    }
}

/// The group label a rowspanned label stands for on the following rows (Word style repeats it).
fn group_of(key: &str) -> Option<&'static str> {
    match key {
        k if k.starts_with("denied_") => Some("（三）不予公开"),
        k if k.starts_with("unavailable_") => Some("（四）无法提供"),
        k if k.starts_with("not_processed_") => Some("（五）不予处理"),
        "other_no_correction" | "other_unpaid_fee" | "other_other" => Some("（六）其他处理"),
        _ => None,
    }
}

/// Rows of `requests` that `format` prints.
pub fn printed_request_rows(format: Format) -> Vec<&'static str> {
    nianbao::model::REQUESTS
        .iter()
        .map(|r| r.key)
        .filter(|k| match format {
            Format::F2019 => !k.starts_with("other_"),
            _ => *k != "other",
        })
        .collect()
}

/// The printed text of a value (empty for blank).
pub fn show(v: Option<Number>) -> String {
    match v {
        None => String::new(),
        Some(n) => n.to_string(),
    }
}

fn values(t: &Table, row: &str) -> Vec<String> {
    let spec = t
        .schema()
        .iter()
        .find(|s| s.key == row)
        .map(|s| s.columns)
        .unwrap_or(&[]);
    spec.iter().map(|c| show(t.value(row, c))).collect()
}

/// One `active` block: caption, header cells, (label, row key) of its rows.
type ActiveBlock = (
    &'static str,
    Vec<&'static str>,
    Vec<(&'static str, &'static str)>,
);

/// `active` blocks: caption, header cells, rows.
fn active_blocks(format: Format) -> Vec<ActiveBlock> {
    match format {
        Format::F2019 => vec![
            (
                "第二十条第（一）项",
                vec![
                    "信息内容",
                    "本年新制作数量",
                    "本年新公开数量",
                    "对外公开总数量",
                ],
                vec![
                    ("规章", "regulations"),
                    ("规范性文件", "normative_documents"),
                ],
            ),
            (
                "第二十条第（五）项",
                vec!["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
                vec![
                    ("行政许可", "licensing"),
                    ("其他对外管理服务事项", "other_services"),
                ],
            ),
            (
                "第二十条第（六）项",
                vec!["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
                vec![("行政处罚", "punishment"), ("行政强制", "coercion")],
            ),
            (
                "第二十条第（八）项",
                vec!["信息内容", "上一年项目数量", "本年增/减"],
                vec![("行政事业性收费", "fees")],
            ),
            (
                "第二十条第（九）项",
                vec!["信息内容", "采购项目数量", "采购总金额"],
                vec![("政府集中采购", "procurement")],
            ),
        ],
        _ => vec![
            (
                "第二十条第（一）项",
                vec!["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                vec![
                    ("规章", "regulations"),
                    ("行政规范性文件", "normative_documents"),
                ],
            ),
            (
                "第二十条第（五）项",
                vec!["信息内容", "本年处理决定数量"],
                vec![("行政许可", "licensing")],
            ),
            (
                "第二十条第（六）项",
                vec!["信息内容", "本年处理决定数量"],
                vec![("行政处罚", "punishment"), ("行政强制", "coercion")],
            ),
            (
                "第二十条第（八）项",
                vec!["信息内容", "本年收费金额（单位：万元）"],
                vec![("行政事业性收费", "fees")],
            ),
        ],
    }
}

const APPLICANTS: [&str; 5] = [
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
];
const APPEAL_HEADS: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

/// HTML styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HtmlStyle {
    /// Plain `<td>`s with rowspan/colspan.
    Clean,
    /// Word-pasted: MsoNormal paragraphs, `<o:p>`, `&nbsp;`, spaced labels, labels repeated.
    Word,
    /// Clean, with table 三 split in two and its header repeated.
    Split,
}

fn td(style: HtmlStyle, text: &str, rs: usize, cs: usize) -> String {
    let mut attrs = String::new();
    if rs > 1 {
        attrs.push_str(&format!(" rowspan=\"{rs}\""));
    }
    if cs > 1 {
        attrs.push_str(&format!(" colspan=\"{cs}\""));
    }
    match style {
        HtmlStyle::Word => {
            let body = if text.is_empty() {
                "&nbsp;".to_string()
            } else {
                text.to_string()
            };
            format!(
                "<td width=\"60\" valign=\"top\" style=\"border:solid windowtext 1.0pt\"{attrs}><p class=\"MsoNormal\" align=\"center\"><span lang=\"EN-US\" style=\"font-size:10.5pt\">{body}<o:p></o:p></span></p></td>"
            )
        }
        _ => format!("<td{attrs}>{text}</td>"),
    }
}

fn spaced(style: HtmlStyle, s: &str) -> String {
    if style == HtmlStyle::Word && s.chars().count() <= 4 {
        s.chars()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        s.to_string()
    }
}

fn requests_header_html(style: HtmlStyle) -> String {
    let mut h = String::new();
    h.push_str("<tr>");
    h.push_str(&td(
        style,
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        3,
        3,
    ));
    h.push_str(&td(style, "申请人情况", 1, 7));
    h.push_str("</tr><tr>");
    h.push_str(&td(style, &spaced(style, "自然人"), 2, 1));
    h.push_str(&td(style, "法人或其他组织", 1, 5));
    h.push_str(&td(style, &spaced(style, "总计"), 2, 1));
    h.push_str("</tr><tr>");
    for a in APPLICANTS {
        h.push_str(&td(style, &spaced(style, a), 1, 1));
    }
    h.push_str("</tr>");
    h
}

/// The whole report as HTML.
pub fn html(t: &Tables, format: Format, style: HtmlStyle) -> String {
    let mut s = format!("<html><head><title>{TITLE}</title></head><body><p>{TITLE}</p><p>一、总体情况</p><p>本年度工作情况如下。</p>");
    if let Some(active) = &t.active {
        s.push_str("<p>二、主动公开政府信息情况</p><table border=\"1\">");
        for (caption, header, rows) in active_blocks(format) {
            s.push_str(&format!("<tr>{}</tr><tr>", td(style, caption, 1, 4)));
            let n = header.len() - 1;
            s.push_str(&td(style, header[0], 1, 1));
            for (i, h) in header[1..].iter().enumerate() {
                let cs = if i + 1 == n { 4 - n } else { 1 };
                s.push_str(&td(style, h, 1, cs));
            }
            s.push_str("</tr>");
            for (label, key) in rows {
                s.push_str("<tr>");
                s.push_str(&td(style, &spaced(style, label), 1, 1));
                let vals = values(active, key);
                for (i, v) in vals.iter().enumerate() {
                    let cs = if i + 1 == vals.len() {
                        4 - vals.len()
                    } else {
                        1
                    };
                    s.push_str(&td(style, v, 1, cs));
                }
                s.push_str("</tr>");
            }
        }
        s.push_str("</table>");
    }
    if let Some(req) = &t.requests {
        s.push_str("<p>三、收到和处理政府信息公开申请情况</p><table border=\"1\">");
        s.push_str(&requests_header_html(style));
        for key in printed_request_rows(format) {
            if style == HtmlStyle::Split && key == "granted" {
                s.push_str("</table><p></p><table border=\"1\">");
                s.push_str(&requests_header_html(style));
            }
            s.push_str("<tr>");
            let labels = request_labels(key, format);
            if style == HtmlStyle::Word {
                // No rowspans: every row prints its full label path.
                let mut cells: Vec<&str> = Vec::new();
                if REQUEST_RESULT_ROWS_PRINTED.contains(&key) {
                    cells.push("三、本年度办理结果");
                }
                if let Some(g) = group_of(key) {
                    cells.push(g);
                }
                let item = labels.last().map(|l| l.0).unwrap_or("");
                if !cells.contains(&item) {
                    cells.push(item);
                }
                let used = cells.len();
                for (i, c) in cells.iter().enumerate() {
                    let cs = if i + 1 == used { 4 - used } else { 1 };
                    s.push_str(&td(style, c, 1, cs));
                }
            } else {
                for (text, rs, cs) in labels {
                    s.push_str(&td(style, text, rs, cs));
                }
            }
            for v in values(req, key) {
                s.push_str(&td(style, &v, 1, 1));
            }
            s.push_str("</tr>");
        }
        s.push_str("</table>");
    }
    if let Some(app) = &t.appeals {
        s.push_str("<p>四、政府信息公开行政复议、行政诉讼情况</p><table border=\"1\"><tr>");
        s.push_str(&td(style, "行政复议", 1, 5));
        s.push_str(&td(style, "行政诉讼", 1, 10));
        s.push_str("</tr><tr>");
        for h in APPEAL_HEADS {
            s.push_str(&td(style, &spaced(style, h), 2, 1));
        }
        s.push_str(&td(style, "未经复议直接起诉", 1, 5));
        s.push_str(&td(style, "复议后起诉", 1, 5));
        s.push_str("</tr><tr>");
        for _ in 0..2 {
            for h in APPEAL_HEADS {
                s.push_str(&td(style, h, 1, 1));
            }
        }
        s.push_str("</tr><tr>");
        for g in ["review", "litigation_direct", "litigation_after_review"] {
            for v in values(app, g) {
                s.push_str(&td(style, &v, 1, 1));
            }
        }
        s.push_str("</tr></table>");
    }
    s.push_str("<p>五、存在的主要问题及改进情况</p><p>无。</p></body></html>");
    s
}

/// Result rows (under 三、本年度办理结果) in either format.
const REQUEST_RESULT_ROWS_PRINTED: &[&str] = nianbao::model::REQUEST_RESULT_ROWS;

/// Text styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextStyle {
    /// `a | b | c |` rows; rowspan labels only on their first row (seeds 000/001).
    Pipe,
    /// One cell per line, each ending ` |` (seed 003).
    CellPerLine,
    /// Tab-separated; blank cells as empty fields; trailing blanks dropped and, where the row
    /// total is printed, the run of blanks before it shortened (seed 004).
    Tab,
}

/// One table row as printed cells (labels then values), for the text styles.
fn text_rows(t: &Tables, format: Format, style: TextStyle) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let line = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<String>>();
    out.push(line(&[TITLE]));
    out.push(line(&["一、总体情况"]));
    out.push(line(&["本年度工作情况如下。"]));
    if let Some(active) = &t.active {
        out.push(line(&["二、主动公开政府信息情况"]));
        for (caption, header, rows) in active_blocks(format) {
            out.push(line(&[caption]));
            out.push(line(&header));
            for (label, key) in rows {
                let mut r = vec![label.to_string()];
                r.extend(values(active, key));
                out.push(r);
            }
        }
    }
    if let Some(req) = &t.requests {
        out.push(line(&["三、收到和处理政府信息公开申请情况"]));
        let header = |out: &mut Vec<Vec<String>>| {
            if style == TextStyle::Tab {
                out.push(line(&[
                    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                    "",
                    "申请人情况",
                ]));
                out.push(line(&["", "", "自然人", "法人或其他组织"]));
                out.push(line(&[
                    "",
                    "",
                    "",
                    "商业企业",
                    "科研机构",
                    "社会公益组织",
                    "法律服务机构",
                ]));
                out.push(line(&["", "", "", "", "", "", "其他"]));
            } else {
                out.push(line(&[
                    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                    "申请人情况",
                ]));
                out.push(line(&["自然", "法人或其他组织", "总计"]));
                out.push(line(&["商业 企业", "科研 机构", "社会", "法律", "其他"]));
            }
        };
        header(&mut out);
        for key in printed_request_rows(format) {
            if style == TextStyle::CellPerLine && key == "granted" {
                // Seed 003: table 三 split in two, header repeated.
                header(&mut out);
            }
            let labels: Vec<String> = request_labels(key, format)
                .iter()
                .map(|l| l.0.to_string())
                .collect();
            let mut r: Vec<String> = match style {
                TextStyle::Tab => {
                    let mut l = labels.clone();
                    if matches!(key, "new_received" | "carried_over" | "carried_forward") {
                        l.push(String::new());
                    } else if !matches!(key, "granted") {
                        l.insert(0, String::new());
                    }
                    l
                }
                _ => labels,
            };
            let mut vals = values(req, key);
            if style == TextStyle::Tab {
                drop_blanks(&mut vals);
            }
            r.extend(vals);
            out.push(r);
        }
    }
    if let Some(app) = &t.appeals {
        out.push(line(&["四、政府信息公开行政复议、行政诉讼情况"]));
        out.push(line(&["行政复议", "行政诉讼"]));
        out.push(line(&[
            "结果维持",
            "结果",
            "其他",
            "尚未",
            "总计",
            "未经复议直接起诉",
            "复议后起诉",
        ]));
        out.push(line(&[
            "结果", "结果", "其他", "尚未", "总计", "结果", "结果", "其他", "尚未", "总计",
        ]));
        let mut r = Vec::new();
        for g in ["review", "litigation_direct", "litigation_after_review"] {
            r.extend(values(app, g));
        }
        out.push(r);
    }
    out.push(line(&["五、存在的主要问题及改进情况"]));
    out.push(line(&["无。"]));
    out
}

/// Seed 004's losses: trailing blank fields vanish; before a printed non-zero total, part of
/// the run of blanks vanishes too ("12 10 _ _ _ _ 22" → "12 10 _ _ 22").
fn drop_blanks(vals: &mut Vec<String>) {
    let total_printed = vals.last().is_some_and(|v| !v.is_empty() && v != "0");
    if total_printed && vals.len() >= 3 {
        let last = vals.len() - 1;
        let run = vals[..last]
            .iter()
            .rev()
            .take_while(|v| v.is_empty())
            .count();
        let remove = run.div_ceil(2);
        for _ in 0..remove {
            vals.remove(last - run);
        }
    }
    while vals.last().is_some_and(|v| v.is_empty()) {
        vals.pop();
    }
}

/// The whole report as flattened text.
pub fn text(t: &Tables, format: Format, style: TextStyle) -> String {
    let mut s = String::new();
    for row in text_rows(t, format, style) {
        match style {
            TextStyle::Pipe => {
                if row.len() == 1 {
                    s.push_str(&row[0]);
                    if row[0].starts_with("第二十条") {
                        s.push_str(" | |||");
                    }
                } else {
                    s.push_str(&row.join(" | "));
                    s.push_str(" |");
                }
            }
            TextStyle::CellPerLine => {
                if row.len() == 1 && !row[0].starts_with("第二十条") {
                    s.push_str(&row[0]);
                } else {
                    let cells: Vec<String> = row.iter().map(|c| format!("{c} |")).collect();
                    s.push_str(&cells.join("\n"));
                }
            }
            TextStyle::Tab => s.push_str(&row.join("\t")),
        }
        s.push('\n');
    }
    s
}
