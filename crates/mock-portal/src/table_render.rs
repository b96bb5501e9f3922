//! The official 2021 table layout (formats.md §2: the exact rowspans and colspans) as HTML in
//! three markup styles, and as row-major text lines for generated PDFs.

use nianbao_model::{Table, TableName, Tables, REQUESTS, REQUEST_COLUMNS};

use super::tables::CellStyle;

struct Html {
    out: String,
    style: CellStyle,
}

impl Html {
    fn label(&self, s: &str) -> String {
        match self.style {
            CellStyle::Word => s.replace('（', "(").replace('）', ")"),
            _ => s.to_string(),
        }
    }

    fn td(&mut self, text: &str, colspan: u32, rowspan: u32) {
        use std::fmt::Write;
        let out = &mut self.out;
        out.push_str("<td");
        if colspan > 1 {
            let _ = write!(out, " colspan=\"{colspan}\"");
        }
        if rowspan > 1 {
            let _ = write!(out, " rowspan=\"{rowspan}\"");
        }
        let text = if text.is_empty() { "&nbsp;" } else { text };
        match self.style {
            CellStyle::Plain => {
                out.push('>');
                out.push_str(text);
                out.push_str("</td>");
            }
            CellStyle::Para => {
                out.push_str("><p style=\"text-align:center\">");
                out.push_str(text);
                out.push_str("</p></td>");
            }
            CellStyle::Word => {
                out.push_str(" valign=\"center\" style=\"border:solid windowtext 1.0pt;padding:0cm 5.4pt\"><p class=\"MsoNormal\" align=\"center\" style=\"text-align:center\"><span style=\"font-family:宋体;font-size:10.5pt\">");
                out.push_str(text);
                out.push_str("</span></p></td>");
            }
        }
    }

    fn two_line(&self, a: &str, b: &str) -> String {
        match self.style {
            CellStyle::Word if !b.is_empty() => format!("{a}<br />{b}"),
            _ => format!("{a}{b}"),
        }
    }

    /// A header printed on two lines in Word exports: the first two characters, then the rest.
    fn wrapped(&self, s: &str) -> String {
        let split = s.char_indices().nth(2).map_or(s.len(), |(i, _)| i);
        self.two_line(&s[..split], &s[split..])
    }

    fn open(&mut self) {
        self.out.push_str(
            "<table border=\"1\" cellspacing=\"0\" cellpadding=\"0\" style=\"border-collapse:collapse;width:100%\"><tbody>",
        );
    }

    fn close(&mut self) {
        self.out.push_str("</tbody></table>");
    }
}

fn raw(table: &Table, row: &str, col: &str) -> String {
    table
        .get(row, col)
        .map(|c| super::util::esc(&c.raw))
        .unwrap_or_default()
}

/// One block of `active` after 第二十条第（一）项: item, header, (row key, label)s, value column.
type ActiveBlock = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static str,
);

/// `active` in the 2021 layout (4 grid columns, four blocks).
pub(crate) fn active_html(t: &Table, style: CellStyle) -> String {
    let mut h = Html {
        out: String::new(),
        style,
    };
    h.open();
    let caption = |h: &mut Html, item: &str| {
        let text = h.label(&format!("第二十条第（{item}）项"));
        h.out.push_str("<tr>");
        h.td(&text, 4, 1);
        h.out.push_str("</tr>");
    };
    caption(&mut h, "一");
    h.out.push_str("<tr>");
    for label in ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    {
        h.td(label, 1, 1);
    }
    h.out.push_str("</tr>");
    for (row, label) in [
        ("regulations", "规章"),
        ("normative_documents", "行政规范性文件"),
    ] {
        h.out.push_str("<tr>");
        h.td(label, 1, 1);
        for col in ["issued", "repealed", "in_force"] {
            h.td(&raw(t, row, col), 1, 1);
        }
        h.out.push_str("</tr>");
    }
    let blocks: [ActiveBlock; 3] = [
        (
            "五",
            "本年处理决定数量",
            &[("licensing", "行政许可")],
            "decisions",
        ),
        (
            "六",
            "本年处理决定数量",
            &[("punishment", "行政处罚"), ("coercion", "行政强制")],
            "decisions",
        ),
        (
            "八",
            "本年收费金额（单位：万元）",
            &[("fees", "行政事业性收费")],
            "amount",
        ),
    ];
    for (item, header, rows, col) in blocks {
        caption(&mut h, item);
        h.out.push_str("<tr>");
        h.td("信息内容", 1, 1);
        let header = h.label(header);
        h.td(&header, 3, 1);
        h.out.push_str("</tr>");
        for (row, label) in rows {
            h.out.push_str("<tr>");
            h.td(label, 1, 1);
            h.td(&raw(t, row, col), 3, 1);
            h.out.push_str("</tr>");
        }
    }
    h.close();
    h.out
}

/// Group label and rowspan of the result rows that open a group.
fn group_of(key: &str) -> Option<(&'static str, u32)> {
    match key {
        "denied_state_secret" => Some(("（三）不予公开", 8)),
        "unavailable_not_held" => Some(("（四）无法提供", 3)),
        "not_processed_complaint" => Some(("（五）不予处理", 5)),
        "other_no_correction" => Some(("（六）其他处理", 3)),
        _ => None,
    }
}

/// The printed label of a request row inside its group (without the group prefix).
fn item_label(label: &str) -> &str {
    // Schema labels of grouped rows are "（三）1.属于国家秘密": the cell shows "1.属于国家秘密".
    match label.find('）') {
        Some(i)
            if label.starts_with('（')
                && label[i + '）'.len_utf8()..].starts_with(|c: char| c.is_ascii_digit()) =>
        {
            &label[i + '）'.len_utf8()..]
        }
        _ => label,
    }
}

/// `requests` in the 2021 layout: 28 rows (3 header + 25 data), 10 grid columns.
pub(crate) fn requests_html(t: &Table, style: CellStyle) -> String {
    let mut h = Html {
        out: String::new(),
        style,
    };
    h.open();
    h.out.push_str("<tr>");
    let note = h.label("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）");
    h.td(&note, 3, 3);
    h.td("申请人情况", 7, 1);
    h.out.push_str("</tr><tr>");
    h.td("自然人", 1, 2);
    h.td("法人或其他组织", 5, 1);
    h.td("总计", 1, 2);
    h.out.push_str("</tr><tr>");
    let orgs = [
        h.two_line("商业", "企业"),
        h.two_line("科研", "机构"),
        h.two_line("社会公益", "组织"),
        h.two_line("法律服务", "机构"),
        "其他".to_string(),
    ];
    for o in &orgs {
        h.td(o, 1, 1);
    }
    h.out.push_str("</tr>");
    for spec in REQUESTS.iter().filter(|s| s.key != "other") {
        h.out.push_str("<tr>");
        match spec.key {
            "new_received" | "carried_over" | "carried_forward" => {
                let l = h.label(spec.label);
                h.td(&l, 3, 1);
            }
            "granted" => {
                h.td("三、本年度办理结果", 1, 22);
                let l = h.label(spec.label);
                h.td(&l, 2, 1);
            }
            "partially_granted" => {
                let l = h.label("（二）部分公开（区分处理的，只计这一情形，不计其他情形）");
                h.td(&l, 2, 1);
            }
            "total_processed" => {
                let l = h.label(spec.label);
                h.td(&l, 2, 1);
            }
            key => {
                if let Some((group, span)) = group_of(key) {
                    let g = h.label(group);
                    h.td(&g, 1, span);
                }
                h.td(item_label(spec.label), 1, 1);
            }
        }
        for col in REQUEST_COLUMNS {
            h.td(&raw(t, spec.key, col), 1, 1);
        }
        h.out.push_str("</tr>");
    }
    h.close();
    h.out
}

const APPEAL_HEADS: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

/// `appeals`: 4 rows, 15 grid columns.
pub(crate) fn appeals_html(t: &Table, style: CellStyle) -> String {
    let mut h = Html {
        out: String::new(),
        style,
    };
    h.open();
    h.out.push_str("<tr>");
    h.td("行政复议", 5, 1);
    h.td("行政诉讼", 10, 1);
    h.out.push_str("</tr><tr>");
    for head in APPEAL_HEADS {
        let text = h.wrapped(head);
        h.td(&text, 1, 2);
    }
    h.td("未经复议直接起诉", 5, 1);
    h.td("复议后起诉", 5, 1);
    h.out.push_str("</tr><tr>");
    for _ in 0..2 {
        for head in APPEAL_HEADS {
            let text = h.wrapped(head);
            h.td(&text, 1, 1);
        }
    }
    h.out.push_str("</tr><tr>");
    for group in ["review", "litigation_direct", "litigation_after_review"] {
        for col in ["upheld", "corrected", "other", "pending", "total"] {
            h.td(&raw(t, group, col), 1, 1);
        }
    }
    h.out.push_str("</tr>");
    h.close();
    h.out
}

/// The HTML of table `name` from `tables` (empty when absent).
pub(crate) fn table_html(tables: &Tables, name: TableName, style: CellStyle) -> String {
    match (name, tables.get(name)) {
        (TableName::Active, Some(t)) => active_html(t, style),
        (TableName::Requests, Some(t)) => requests_html(t, style),
        (TableName::Appeals, Some(t)) => appeals_html(t, style),
        (_, None) => String::new(),
    }
}

// ---------------------------------------------------------------------------------------
// Text rendering for PDFs: one table row per line, cells separated by tabs (the PDF writer
// sets the first field as the row label and the others in aligned columns).

fn cells_line(label: &str, t: &Table, row: &str, cols: &[&str]) -> String {
    let mut line = label.to_string();
    for col in cols {
        line.push('\t');
        line.push_str(&t.get(row, col).map(|c| c.raw.clone()).unwrap_or_default());
    }
    line
}

/// A row of header cells (or a label-only row when `cells` is empty).
fn header(label: &str, cells: &[&str]) -> String {
    let mut line = label.to_string();
    line.push('\t');
    line.push_str(&cells.join("\t"));
    line
}

/// Table `name` as text lines (tab-separated table rows).
pub(crate) fn table_lines(tables: &Tables, name: TableName) -> Vec<String> {
    let Some(t) = tables.get(name) else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    match name {
        TableName::Active => {
            let doc_cols = ["issued", "repealed", "in_force"];
            lines.push(header("第二十条第（一）项", &[]));
            lines.push(header(
                "信息内容",
                &["本年制发件数", "本年废止件数", "现行有效件数"],
            ));
            lines.push(cells_line("规章", t, "regulations", &doc_cols));
            lines.push(cells_line(
                "行政规范性文件",
                t,
                "normative_documents",
                &doc_cols,
            ));
            lines.push(header("第二十条第（五）项", &[]));
            lines.push(header("信息内容", &["本年处理决定数量"]));
            lines.push(cells_line("行政许可", t, "licensing", &["decisions"]));
            lines.push(header("第二十条第（六）项", &[]));
            lines.push(header("信息内容", &["本年处理决定数量"]));
            lines.push(cells_line("行政处罚", t, "punishment", &["decisions"]));
            lines.push(cells_line("行政强制", t, "coercion", &["decisions"]));
            lines.push(header("第二十条第（八）项", &[]));
            lines.push(header("信息内容", &["本年收费金额（单位：万元）"]));
            lines.push(cells_line("行政事业性收费", t, "fees", &["amount"]));
        }
        TableName::Requests => {
            lines.push(header(
                "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                &["申请人情况"],
            ));
            // Two-line column headers, as narrow PDF columns print them.
            lines.push(header(
                "",
                &[
                    "自然人",
                    "商业",
                    "科研",
                    "社会公益",
                    "法律服务",
                    "其他",
                    "总计",
                ],
            ));
            lines.push(header("", &["", "企业", "机构", "组织", "机构", "", ""]));
            for spec in REQUESTS.iter().filter(|s| s.key != "other") {
                if spec.key == "granted" {
                    lines.push(header("三、本年度办理结果", &[]));
                }
                if let Some((group, _)) = group_of(spec.key) {
                    lines.push(header(group, &[]));
                }
                let label = match spec.key {
                    "partially_granted" => {
                        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
                    }
                    _ => item_label(spec.label),
                };
                lines.push(cells_line(label, t, spec.key, REQUEST_COLUMNS));
            }
        }
        TableName::Appeals => {
            let mut top = vec![""; 15];
            top[0] = "行政复议";
            top[5] = "行政诉讼";
            lines.push(header("", &top));
            let mut mid = vec![""; 15];
            mid[5] = "未经复议直接起诉";
            mid[10] = "复议后起诉";
            lines.push(header("", &mid));
            let heads: Vec<&str> = APPEAL_HEADS.iter().copied().cycle().take(15).collect();
            lines.push(header("", &heads));
            let mut vals = Vec::new();
            for group in ["review", "litigation_direct", "litigation_after_review"] {
                for col in ["upheld", "corrected", "other", "pending", "total"] {
                    vals.push(t.get(group, col).map(|c| c.raw.clone()).unwrap_or_default());
                }
            }
            let vals: Vec<&str> = vals.iter().map(String::as_str).collect();
            lines.push(header("", &vals));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::{blank, from_numbers, generate};

    #[test]
    fn requests_html_has_official_shape() {
        let t = generate(5, 6);
        let html = table_html(&t, TableName::Requests, CellStyle::Plain);
        assert_eq!(html.matches("<tr>").count(), 28);
        assert!(html.contains("<td colspan=\"3\" rowspan=\"3\">（本列数据的勾稽关系为"));
        assert!(html.contains(
            "<td rowspan=\"22\">三、本年度办理结果</td><td colspan=\"2\">（一）予以公开</td>"
        ));
        assert!(html.contains("<td rowspan=\"8\">（三）不予公开</td><td>1.属于国家秘密</td>"));
        assert!(
            html.contains("<td rowspan=\"3\">（六）其他处理</td><td>1.申请人无正当理由逾期不补正")
        );
        assert!(html.contains("<td colspan=\"3\">四、结转下年度继续办理</td>"));
        // Each data row has 7 values.
        let data_rows = html.split("<tr>").skip(4).count();
        assert_eq!(data_rows, 25);
        let appeals = table_html(&t, TableName::Appeals, CellStyle::Plain);
        assert_eq!(appeals.matches("<tr>").count(), 4);
        assert!(appeals.contains("<td colspan=\"5\">行政复议</td><td colspan=\"10\">行政诉讼</td>"));
        let active = table_html(&t, TableName::Active, CellStyle::Word);
        assert!(active.contains("第二十条第(八)项"));
        assert!(active.contains("colspan=\"3\""));
    }

    #[test]
    fn blank_cells_and_text_lines() {
        let html = table_html(&blank(), TableName::Requests, CellStyle::Plain);
        assert!(html.contains("<td>&nbsp;</td>"));
        let nums: Vec<i64> = (0..200).collect();
        let t = from_numbers(&nums).unwrap_or_default();
        let lines = table_lines(&t, TableName::Requests);
        assert!(lines.iter().any(|l| l.starts_with("1.属于国家秘密\t")));
    }
}
