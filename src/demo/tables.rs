//! The three statistical tables of a 2021-format report: deterministic, internally consistent
//! numbers per report seed, and their rendering in the official HTML layout (formats.md §2:
//! the exact rowspans and colspans) and as row-major text lines (for generated PDFs).
//!
//! Numbers are held in [`model::Tables`](crate::model::Tables) so the ground truth handed to
//! tests (`ExpectedReport::tables`) is the very value that was rendered.

use crate::model::{
    Cell, Format, Number, Origin, Table, TableName, Tables, REQUESTS, REQUEST_COLUMNS,
};

use super::util::Rng;

/// How table cells are marked up (real reports come out of Word, UEditor or hand-written HTML).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CellStyle {
    /// `<td>3</td>`.
    Plain,
    /// `<td><p style="text-align:center">3</p></td>`.
    Para,
    /// Word export: `<td width valign style><p class="MsoNormal"><span>3</span></p></td>`,
    /// half-width brackets in labels, `<br />` inside two-line headers.
    Word,
}

impl CellStyle {
    /// The style for a report seed.
    pub(crate) fn for_seed(seed: u64) -> CellStyle {
        match seed % 3 {
            0 => CellStyle::Plain,
            1 => CellStyle::Para,
            _ => CellStyle::Word,
        }
    }
}

/// Result rows in schema order (2021 layout: `other` is not printed).
const RESULT_ROWS: [&str; 21] = [
    "granted",
    "partially_granted",
    "denied_state_secret",
    "denied_law_prohibited",
    "denied_safety_stability",
    "denied_third_party",
    "denied_internal_affairs",
    "denied_process_info",
    "denied_enforcement_files",
    "denied_inquiry_matters",
    "unavailable_not_held",
    "unavailable_needs_creation",
    "unavailable_unclear",
    "not_processed_complaint",
    "not_processed_repeated",
    "not_processed_publication",
    "not_processed_excessive",
    "not_processed_confirmation",
    "other_no_correction",
    "other_unpaid_fee",
    "other_other",
];

/// Relative frequency of each result row (granted dominates, then "not held").
const RESULT_WEIGHTS: [u64; 21] = [
    50, 12, 1, 1, 1, 2, 2, 2, 1, 1, 14, 3, 2, 3, 2, 1, 1, 1, 1, 1, 1,
];

fn set(table: &mut Table, row: &str, col: &str, n: Number) {
    if let Some(cell) = table.get_mut(row, col) {
        *cell = Cell {
            raw: n.to_string(),
            value: Some(n),
            origin: Origin::Read,
        };
    }
}

fn int(table: &Table, row: &str, col: &str) -> i64 {
    match table.value(row, col) {
        Some(Number::Int(i)) => i,
        Some(Number::Decimal(d)) => d as i64,
        None => 0,
    }
}

/// Consistent 2021-format tables for report `seed`: every balance, results_sum, row_total and
/// appeals total rule holds.
pub(crate) fn generate(seed: u64) -> Tables {
    let mut r = Rng::new(seed ^ 0x7AB1E5);
    let size: i64 = match r.below(10) {
        0..=3 => 6,
        4..=7 => 40,
        _ => 300,
    };

    let mut active = Table::empty(TableName::Active, Format::F2021);
    let regs = if r.chance(0.15) {
        [r.range(0, 3), r.range(0, 2), r.range(3, 25)]
    } else {
        [0, 0, 0]
    };
    let issued = r.range(0, 8);
    let docs = [issued, r.range(0, 5), issued + r.range(0, 40)];
    for (col, (a, b)) in ["issued", "repealed", "in_force"]
        .iter()
        .zip(regs.iter().zip(docs.iter()))
    {
        set(&mut active, "regulations", col, Number::Int(*a));
        set(&mut active, "normative_documents", col, Number::Int(*b));
    }
    let licensing = if r.chance(0.7) {
        r.range(0, size * 40)
    } else {
        0
    };
    set(
        &mut active,
        "licensing",
        "decisions",
        Number::Int(licensing),
    );
    set(
        &mut active,
        "punishment",
        "decisions",
        Number::Int(r.range(0, size * 20)),
    );
    set(
        &mut active,
        "coercion",
        "decisions",
        Number::Int(r.range(0, size)),
    );
    let fees = if r.chance(0.3) {
        let cents = r.range(1, 999_999);
        if cents % 100 == 0 {
            Number::Int(cents / 100)
        } else {
            Number::Decimal(cents as f64 / 100.0)
        }
    } else {
        Number::Int(0)
    };
    set(&mut active, "fees", "amount", fees);

    let mut requests = Table::empty(TableName::Requests, Format::F2021);
    let new = [
        r.range(0, size),
        r.range(0, size / 4),
        if r.chance(0.1) { r.range(0, 2) } else { 0 },
        if r.chance(0.1) { 1 } else { 0 },
        r.range(0, size / 10),
        r.range(0, 2),
    ];
    let carried = [r.range(0, (size / 5).min(3)), r.range(0, 1), 0, 0, 0, 0];
    let mut totals = vec![0i64; REQUESTS.len()];
    for (c, col) in REQUEST_COLUMNS.iter().take(6).enumerate() {
        let available = new[c] + carried[c];
        let forward = r.range(0, available.min(2));
        let mut counts = [0i64; 21];
        let weight_sum: u64 = RESULT_WEIGHTS.iter().sum();
        for _ in 0..available - forward {
            let mut x = r.below(weight_sum);
            for (i, w) in RESULT_WEIGHTS.iter().enumerate() {
                if x < *w {
                    counts[i] += 1;
                    break;
                }
                x -= w;
            }
        }
        let mut row_values: Vec<(&str, i64)> =
            vec![("new_received", new[c]), ("carried_over", carried[c])];
        row_values.extend(RESULT_ROWS.iter().copied().zip(counts.iter().copied()));
        row_values.push(("total_processed", available - forward));
        row_values.push(("carried_forward", forward));
        for (row, v) in row_values {
            set(&mut requests, row, col, Number::Int(v));
            if let Some(i) = REQUESTS.iter().position(|s| s.key == row) {
                totals[i] += v;
            }
        }
    }
    for (spec, total) in REQUESTS.iter().zip(totals) {
        if spec.key != "other" {
            set(&mut requests, spec.key, "total", Number::Int(total));
        }
    }

    let mut appeals = Table::empty(TableName::Appeals, Format::F2021);
    for (g, group) in ["review", "litigation_direct", "litigation_after_review"]
        .iter()
        .enumerate()
    {
        let busy = r.chance(if g == 0 { 0.5 } else { 0.25 });
        let vals = if busy {
            [r.range(0, 4), r.range(0, 1), r.range(0, 1), r.range(0, 1)]
        } else {
            [0; 4]
        };
        for (col, v) in ["upheld", "corrected", "other", "pending"].iter().zip(vals) {
            set(&mut appeals, group, col, Number::Int(v));
        }
        set(&mut appeals, group, "total", Number::Int(vals.iter().sum()));
    }
    Tables {
        active: Some(active),
        requests: Some(requests),
        appeals: Some(appeals),
    }
}

/// All-blank 2021 tables (the reposted 格式 template).
pub(crate) fn blank() -> Tables {
    Tables {
        active: Some(Table::empty(TableName::Active, Format::F2021)),
        requests: Some(Table::empty(TableName::Requests, Format::F2021)),
        appeals: Some(Table::empty(TableName::Appeals, Format::F2021)),
    }
}

/// 2021 tables from the 200 numbers of a flattened report, in reading order: 10 `active`
/// values, 25 × 7 `requests` values (2021 rows), 15 `appeals` values. None on any other count.
pub(crate) fn from_numbers(values: &[i64]) -> Option<Tables> {
    if values.len() != 200 {
        return None;
    }
    let mut it = values.iter().copied();
    let mut next = || it.next().map(Number::Int);
    let mut active = Table::empty(TableName::Active, Format::F2021);
    for (row, col) in ACTIVE_ORDER {
        set(&mut active, row, col, next()?);
    }
    let mut requests = Table::empty(TableName::Requests, Format::F2021);
    for spec in REQUESTS.iter().filter(|s| s.key != "other") {
        for col in REQUEST_COLUMNS {
            set(&mut requests, spec.key, col, next()?);
        }
    }
    let mut appeals = Table::empty(TableName::Appeals, Format::F2021);
    for group in ["review", "litigation_direct", "litigation_after_review"] {
        for col in ["upheld", "corrected", "other", "pending", "total"] {
            set(&mut appeals, group, col, next()?);
        }
    }
    Some(Tables {
        active: Some(active),
        requests: Some(requests),
        appeals: Some(appeals),
    })
}

const ACTIVE_ORDER: [(&str, &str); 10] = [
    ("regulations", "issued"),
    ("regulations", "repealed"),
    ("regulations", "in_force"),
    ("normative_documents", "issued"),
    ("normative_documents", "repealed"),
    ("normative_documents", "in_force"),
    ("licensing", "decisions"),
    ("punishment", "decisions"),
    ("coercion", "decisions"),
    ("fees", "amount"),
];

/// Totals used by report prose.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Summary {
    pub(crate) new_received: i64,
    pub(crate) carried_over: i64,
    pub(crate) granted: i64,
    pub(crate) partially: i64,
    pub(crate) denied: i64,
    pub(crate) unavailable: i64,
    pub(crate) not_processed: i64,
    pub(crate) other: i64,
    pub(crate) processed: i64,
    pub(crate) forward: i64,
    pub(crate) issued: i64,
    pub(crate) repealed: i64,
    pub(crate) in_force: i64,
    pub(crate) appeals: i64,
}

/// The `total` column figures a report's prose quotes.
pub(crate) fn summary(t: &Tables) -> Summary {
    let Some(req) = &t.requests else {
        return Summary::default();
    };
    let tot = |row: &str| int(req, row, "total");
    let sum = |prefix: &str| {
        RESULT_ROWS
            .iter()
            .filter(|k| k.starts_with(prefix))
            .map(|k| tot(k))
            .sum::<i64>()
    };
    let (issued, repealed, in_force) = match &t.active {
        Some(a) => (
            int(a, "normative_documents", "issued"),
            int(a, "normative_documents", "repealed"),
            int(a, "normative_documents", "in_force"),
        ),
        None => (0, 0, 0),
    };
    let appeals = t.appeals.as_ref().map_or(0, |a| {
        ["review", "litigation_direct", "litigation_after_review"]
            .iter()
            .map(|g| int(a, g, "total"))
            .sum()
    });
    Summary {
        new_received: tot("new_received"),
        carried_over: tot("carried_over"),
        granted: tot("granted"),
        partially: tot("partially_granted"),
        denied: sum("denied_"),
        unavailable: sum("unavailable_"),
        not_processed: sum("not_processed_"),
        other: sum("other_"),
        processed: tot("total_processed"),
        forward: tot("carried_forward"),
        issued,
        repealed,
        in_force,
        appeals,
    }
}

// ---------------------------------------------------------------------------------------
// HTML rendering (formats.md §2).

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
        let mut attrs = String::new();
        if colspan > 1 {
            attrs.push_str(&format!(" colspan=\"{colspan}\""));
        }
        if rowspan > 1 {
            attrs.push_str(&format!(" rowspan=\"{rowspan}\""));
        }
        let text = if text.is_empty() {
            "&nbsp;".to_string()
        } else {
            text.to_string()
        };
        match self.style {
            CellStyle::Plain => self.out.push_str(&format!("<td{attrs}>{text}</td>")),
            CellStyle::Para => {
                self.out.push_str(&format!("<td{attrs}><p style=\"text-align:center\">{text}</p></td>"))
            }
            CellStyle::Word => self.out.push_str(&format!(
                "<td{attrs} valign=\"center\" style=\"border:solid windowtext 1.0pt;padding:0cm 5.4pt\"><p class=\"MsoNormal\" align=\"center\" style=\"text-align:center\"><span style=\"font-family:宋体;font-size:10.5pt\">{text}</span></p></td>"
            )),
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
    let blocks: [(&str, &str, &[(&str, &str)], &str); 3] = [
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
// Text rendering (one table row per line, cells separated by spaces, like `pdftotext -layout`).

fn cells_line(label: &str, t: &Table, row: &str, cols: &[&str]) -> String {
    let mut line = label.to_string();
    for col in cols {
        let v = t.get(row, col).map(|c| c.raw.clone()).unwrap_or_default();
        line.push_str("  ");
        line.push_str(if v.is_empty() { " " } else { &v });
    }
    line
}

/// Table `name` as text lines.
pub(crate) fn table_lines(tables: &Tables, name: TableName) -> Vec<String> {
    let Some(t) = tables.get(name) else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    match name {
        TableName::Active => {
            lines.push("第二十条第（一）项".into());
            lines.push("信息内容  本年制发件数  本年废止件数  现行有效件数".into());
            lines.push(cells_line(
                "规章",
                t,
                "regulations",
                &["issued", "repealed", "in_force"],
            ));
            lines.push(cells_line(
                "行政规范性文件",
                t,
                "normative_documents",
                &["issued", "repealed", "in_force"],
            ));
            lines.push("第二十条第（五）项".into());
            lines.push("信息内容  本年处理决定数量".into());
            lines.push(cells_line("行政许可", t, "licensing", &["decisions"]));
            lines.push("第二十条第（六）项".into());
            lines.push("信息内容  本年处理决定数量".into());
            lines.push(cells_line("行政处罚", t, "punishment", &["decisions"]));
            lines.push(cells_line("行政强制", t, "coercion", &["decisions"]));
            lines.push("第二十条第（八）项".into());
            lines.push("信息内容  本年收费金额（单位：万元）".into());
            lines.push(cells_line("行政事业性收费", t, "fees", &["amount"]));
        }
        TableName::Requests => {
            lines.push(
                "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）  申请人情况"
                    .into(),
            );
            lines.push("自然人  商业企业  科研机构  社会公益组织  法律服务机构  其他  总计".into());
            for spec in REQUESTS.iter().filter(|s| s.key != "other") {
                if spec.key == "granted" {
                    lines.push("三、本年度办理结果".into());
                }
                if let Some((group, _)) = group_of(spec.key) {
                    lines.push(group.into());
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
            lines.push("行政复议  行政诉讼".into());
            lines.push(
                "结果维持  结果纠正  其他结果  尚未审结  总计  未经复议直接起诉  复议后起诉".into(),
            );
            lines.push("结果维持  结果纠正  其他结果  尚未审结  总计  结果维持  结果纠正  其他结果  尚未审结  总计".into());
            let mut vals = Vec::new();
            for group in ["review", "litigation_direct", "litigation_after_review"] {
                for col in ["upheld", "corrected", "other", "pending", "total"] {
                    vals.push(t.get(group, col).map(|c| c.raw.clone()).unwrap_or_default());
                }
            }
            lines.push(vals.join("  "));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(n: Option<Number>) -> f64 {
        n.map_or(0.0, Number::as_f64)
    }

    #[test]
    fn generated_tables_satisfy_every_rule() {
        for seed in 0..200 {
            let t = generate(seed);
            let req = t.requests.as_ref().unwrap_or_else(|| panic!("requests"));
            for col in REQUEST_COLUMNS {
                let v = |row: &str| f(req.value(row, col));
                assert_eq!(
                    v("new_received") + v("carried_over"),
                    v("total_processed") + v("carried_forward"),
                    "balance {seed} {col}"
                );
                let results: f64 = RESULT_ROWS.iter().map(|r| v(r)).sum();
                assert_eq!(results, v("total_processed"), "results_sum {seed} {col}");
                assert!(req.value("other", col).is_none());
            }
            for spec in REQUESTS.iter().filter(|s| s.key != "other") {
                let six: f64 = REQUEST_COLUMNS[..6]
                    .iter()
                    .map(|c| f(req.value(spec.key, c)))
                    .sum();
                assert_eq!(
                    six,
                    f(req.value(spec.key, "total")),
                    "row_total {seed} {}",
                    spec.key
                );
            }
            let ap = t.appeals.as_ref().unwrap_or_else(|| panic!("appeals"));
            for g in ["review", "litigation_direct", "litigation_after_review"] {
                let four: f64 = ["upheld", "corrected", "other", "pending"]
                    .iter()
                    .map(|c| f(ap.value(g, c)))
                    .sum();
                assert_eq!(four, f(ap.value(g, "total")));
            }
            assert_eq!(generate(seed), t);
        }
        assert_ne!(generate(1), generate(2));
    }

    #[test]
    fn requests_html_has_official_shape() {
        let t = generate(5);
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
    fn blank_and_from_numbers() {
        let b = blank();
        assert!(b.requests.as_ref().is_some_and(Table::is_blank));
        let html = table_html(&b, TableName::Requests, CellStyle::Plain);
        assert!(html.contains("<td>&nbsp;</td>"));
        let nums: Vec<i64> = (0..200).collect();
        let t = from_numbers(&nums).unwrap_or_default();
        assert_eq!(
            t.active.as_ref().and_then(|a| a.value("fees", "amount")),
            Some(Number::Int(9))
        );
        assert_eq!(
            t.requests
                .as_ref()
                .and_then(|a| a.value("new_received", "natural_person")),
            Some(Number::Int(10))
        );
        assert_eq!(
            t.appeals
                .as_ref()
                .and_then(|a| a.value("litigation_after_review", "total")),
            Some(Number::Int(199))
        );
        assert!(from_numbers(&nums[..199]).is_none());
        let lines = table_lines(&t, TableName::Requests);
        assert!(lines.iter().any(|l| l.starts_with("1.属于国家秘密  ")));
    }
}
