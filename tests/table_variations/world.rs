//! Random consistent reports: every SPEC §3 rule holds (blank cells count as 0), zeros are
//! printed as `0`, left blank or printed as a placeholder, and the layout is 2019, 2021 or the
//! real mixed one (2021 `active` with 2019's single （六） row, Hongze). Each report is what a
//! document is rendered from and what its parse must give back, cell for cell.

use nianbao::model::{
    Cell, Format, Number, Table, TableName, Tables, APPEALS, APPEAL_COLUMNS, REQUESTS,
    REQUEST_COLUMNS, REQUEST_RESULT_ROWS,
};

/// splitmix64: a report and its quirks come from one seed.
#[derive(Debug, Clone)]
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// Mostly zero, often small, sometimes large (wide numbers move columns in PDF text).
    fn count(&mut self) -> i64 {
        match self.below(100) {
            0..=54 => 0,
            55..=89 => self.below(30) as i64 + 1,
            90..=97 => self.below(900) as i64 + 100,
            _ => self.below(9000) as i64 + 1000,
        }
    }
}

/// The table layout a report is printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// 国办公开办函〔2019〕60号.
    F2019,
    /// 国办公开办函〔2021〕30号 with the three （六） rows.
    F2021,
    /// The 2021 `active` table with 2019's single （六）其他处理 row (Hongze 2023/2024).
    Mixed,
}

impl Layout {
    pub const ALL: [Layout; 3] = [Layout::F2019, Layout::F2021, Layout::Mixed];

    /// The SPEC format the parse must report.
    pub fn format(self) -> Format {
        match self {
            Layout::F2019 => Format::F2019,
            _ => Format::F2021,
        }
    }

    /// Whether table 三 prints （六） as one row.
    pub fn single_other(self) -> bool {
        self != Layout::F2021
    }
}

/// How a zero the generator chose to leave blank is printed.
const BLANKS: &[&str] = &["", "", "", "/", "—", "-"];

/// One generated report.
#[derive(Debug, Clone)]
pub struct Report {
    pub layout: Layout,
    pub agency: String,
    pub year: i32,
    /// What the parse must give: values (null where the cell is printed blank), raw = printed.
    pub tables: Tables,
}

impl Report {
    pub fn title(&self) -> String {
        format!("{}{}年政府信息公开工作年度报告", self.agency, self.year)
    }
}

const AGENCIES: &[&str] = &[
    "测试区人民政府",
    "清河市财政局",
    "某某县人民政府办公室",
    "临江市生态环境局",
    "北山经济开发区管理委员会",
];

/// The rows table 三 prints in `layout`.
pub fn printed_request_rows(layout: Layout) -> Vec<&'static str> {
    REQUESTS
        .iter()
        .map(|r| r.key)
        .filter(|k| {
            if layout.single_other() {
                !k.starts_with("other_")
            } else {
                *k != "other"
            }
        })
        .collect()
}

/// A report from `seed`.
pub fn report(seed: u64, layout: Layout) -> Report {
    let mut rng = Rng(seed);
    // Blank zeros: never (every zero printed), always, or at random.
    let blank_percent = *rng.pick(&[0, 50, 100, 80]);
    let mut blank = |rng: &mut Rng, v: i64| -> String {
        if v == 0 && rng.chance(blank_percent) {
            rng.pick(BLANKS).to_string()
        } else {
            v.to_string()
        }
    };
    let format = layout.format();
    let active = active_table(&mut rng, format, &mut blank);
    let requests = requests_table(&mut rng, layout, &mut blank);
    let appeals = appeals_table(&mut rng, format, &mut blank);
    Report {
        layout,
        agency: rng.pick(AGENCIES).to_string(),
        year: if format == Format::F2019 { 2020 } else { 2023 },
        tables: Tables {
            active: Some(active),
            requests: Some(requests),
            appeals: Some(appeals),
        },
    }
}

/// A cell printed as `raw`, valued as the parser must value it.
pub fn cell(raw: &str) -> Cell {
    let t = raw.trim();
    let value = if t.is_empty() || matches!(t, "/" | "-" | "—" | "无") {
        None
    } else if t.contains('.') {
        t.parse::<f64>().ok().map(Number::Decimal)
    } else {
        t.trim_start_matches('+')
            .parse::<i64>()
            .ok()
            .map(Number::Int)
    };
    Cell {
        raw: raw.to_string(),
        value,
        origin: Default::default(),
    }
}

fn put(t: &mut Table, row: &str, col: &str, raw: String) {
    if let Some(c) = t.get_mut(row, col) {
        *c = cell(&raw);
    }
}

type Blank<'a> = dyn FnMut(&mut Rng, i64) -> String + 'a;

fn active_table(rng: &mut Rng, format: Format, blank: &mut Blank<'_>) -> Table {
    let mut t = Table::empty(TableName::Active, format);
    let specs: Vec<(&str, &[&str])> = t.schema().iter().map(|s| (s.key, s.columns)).collect();
    for (row, cols) in specs {
        for col in cols {
            let raw = match (row, *col) {
                ("fees", "amount") if rng.chance(50) => {
                    format!("{}.{}", rng.below(20_000), rng.below(9) + 1)
                }
                ("procurement", "amount") => rng.below(1_000_000).to_string(),
                (_, "change") => {
                    let v = rng.below(41) as i64 - 20;
                    if v > 0 && rng.chance(30) {
                        format!("+{v}")
                    } else {
                        blank(rng, v)
                    }
                }
                ("licensing" | "punishment", "decisions") => rng.below(500_000).to_string(),
                _ => {
                    let v = rng.count();
                    blank(rng, v)
                }
            };
            put(&mut t, row, col, raw);
        }
    }
    t
}

fn requests_table(rng: &mut Rng, layout: Layout, blank: &mut Blank<'_>) -> Table {
    let mut t = Table::empty(TableName::Requests, layout.format());
    let rows = printed_request_rows(layout);
    let results: Vec<&str> = rows
        .iter()
        .copied()
        .filter(|r| REQUEST_RESULT_ROWS.contains(r))
        .collect();
    // Some applicant columns are empty throughout (科研机构 and 社会公益组织 usually are).
    let live: Vec<bool> = (0..6).map(|c| c == 0 || rng.chance(55)).collect();
    let mut grid: std::collections::HashMap<&str, [i64; 6]> = Default::default();
    for (c, &on) in live.iter().enumerate() {
        let mut processed = 0;
        for r in &results {
            let v = if on && rng.chance(45) { rng.count() } else { 0 };
            grid.entry(r).or_default()[c] = v;
            processed += v;
        }
        let forward = if on && rng.chance(30) {
            rng.below(20) as i64
        } else {
            0
        };
        let over = rng.below((processed + forward).min(15) as u64 + 1) as i64;
        grid.entry("total_processed").or_default()[c] = processed;
        grid.entry("carried_forward").or_default()[c] = forward;
        grid.entry("carried_over").or_default()[c] = over;
        grid.entry("new_received").or_default()[c] = processed + forward - over;
    }
    for row in &rows {
        let vals = grid.get(row).copied().unwrap_or_default();
        for (c, col) in REQUEST_COLUMNS[..6].iter().enumerate() {
            let raw = blank(rng, vals[c]);
            put(&mut t, row, col, raw);
        }
        let raw = blank(rng, vals.iter().sum());
        put(&mut t, row, "total", raw);
    }
    t
}

fn appeals_table(rng: &mut Rng, format: Format, blank: &mut Blank<'_>) -> Table {
    let mut t = Table::empty(TableName::Appeals, format);
    for g in APPEALS {
        let mut total = 0;
        for col in &APPEAL_COLUMNS[..4] {
            let v = if rng.chance(40) { rng.count() } else { 0 };
            total += v;
            let raw = blank(rng, v);
            put(&mut t, g.key, col, raw);
        }
        let raw = blank(rng, total);
        put(&mut t, g.key, "total", raw);
    }
    t
}

/// The cell values of `t` in schema order, as printed text (for rendering).
pub fn printed_row(t: &Table, row: &str) -> Vec<String> {
    let Some(spec) = t.schema().iter().find(|s| s.key == row) else {
        return Vec::new();
    };
    spec.columns
        .iter()
        .map(|c| t.get(row, c).map(|c| c.raw.clone()).unwrap_or_default())
        .collect()
}
