//! The three statistical tables of a 2021-format report: deterministic, internally consistent
//! numbers per report seed, the all-blank template, and tables rebuilt from the numbers of a
//! flattened real report. Rendering is in `table_render.rs`.
//!
//! Numbers are held in [`model::Tables`](nianbao_model::Tables) so the ground truth handed to
//! tests (`ExpectedReport::tables`) is the very value that was rendered.

use nianbao_model::REQUEST_RESULT_ROWS;
use nianbao_model::{
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

/// Result rows in schema order (2021 layout: `other` is not printed): the model's list
/// without its last entry, `other`.
const RESULT_ROWS: &[&str] = REQUEST_RESULT_ROWS.split_last().expect("non-empty").1;

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

/// Split `total` requests over the 21 result rows: each row but `granted` (index 0) draws
/// around its expected share (Bernoulli below one, ± √share above), `granted` takes the rest.
/// O(rows), whatever the total: report pages are generated per request in the benchmarks.
fn distribute(r: &mut Rng, total: i64) -> [i64; 21] {
    let mut counts = [0i64; 21];
    let weight_sum: u64 = RESULT_WEIGHTS.iter().sum();
    let mut left = total;
    for (i, w) in RESULT_WEIGHTS.iter().enumerate().skip(1) {
        let share = total as f64 * *w as f64 / weight_sum as f64;
        let v = if share < 1.0 {
            i64::from(r.chance(share))
        } else {
            let jitter = (r.next_u64() % 2001) as f64 / 1000.0 - 1.0;
            (share + jitter * share.sqrt()).round() as i64
        };
        let v = v.clamp(0, left);
        if let Some(c) = counts.get_mut(i) {
            *c = v;
        }
        left -= v;
    }
    counts[0] = left;
    counts
}

/// Requests carried forward to the next year (per applicant column) by the report with
/// `seed`: drawn from its own stream so that the next year's report, knowing only this seed,
/// carries over exactly these (`cross_year.carried_over` holds).
pub(crate) fn carried_forward(seed: u64) -> [i64; 6] {
    let mut r = Rng::new(seed ^ 0xF0_4A4D);
    let natural = if r.chance(0.6) { r.range(1, 3) } else { 0 };
    let commercial = i64::from(r.chance(0.2));
    [natural, commercial, 0, 0, 0, 0]
}

/// Consistent 2021-format tables for report `seed`, whose agency's previous-year report has
/// `prev_seed`: every balance, results_sum, row_total, appeals total and cross-year rule holds.
pub(crate) fn generate(seed: u64, prev_seed: u64) -> Tables {
    let mut r = Rng::new(seed ^ 0x7AB1E5);
    let size: i64 = match r.below(10) {
        0..=3 => 6,
        4..=7 => 40,
        _ => 300,
    };
    // One stream for all three tables, drawn in this order.
    let active = generate_active(&mut r, size);
    let requests = generate_requests(&mut r, size, seed, prev_seed);
    let appeals = generate_appeals(&mut r);
    Tables {
        active: Some(active),
        requests: Some(requests),
        appeals: Some(appeals),
    }
}

/// Table 二 (active disclosure) of an agency of `size`.
fn generate_active(r: &mut Rng, size: i64) -> Table {
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
    active
}

/// Table 三 (requests) of an agency of `size`: this year's carry-forward from `seed`, the
/// carry-over from `prev_seed`.
fn generate_requests(r: &mut Rng, size: i64, seed: u64, prev_seed: u64) -> Table {
    let mut requests = Table::empty(TableName::Requests, Format::F2021);
    let forward = carried_forward(seed);
    let carried = carried_forward(prev_seed);
    let new = [
        r.range(0, size).max(forward[0]),
        r.range(0, size / 4).max(forward[1]),
        if r.chance(0.1) { r.range(0, 2) } else { 0 },
        i64::from(r.chance(0.1)),
        r.range(0, size / 10),
        r.range(0, 2),
    ];
    // Fill a [row][column] matrix by schema index (one key lookup per row, not per cell).
    let idx = |key: &str| REQUESTS.iter().position(|s| s.key == key);
    let result_idx: Vec<Option<usize>> = RESULT_ROWS.iter().map(|k| idx(k)).collect();
    let (i_new, i_carried, i_total, i_forward) = (
        idx("new_received"),
        idx("carried_over"),
        idx("total_processed"),
        idx("carried_forward"),
    );
    let mut m = vec![[None::<i64>; 7]; REQUESTS.len()];
    let mut put = |row: Option<usize>, c: usize, v: i64| {
        if let Some(cell) = row
            .and_then(|r| m.get_mut(r))
            .and_then(|cols| cols.get_mut(c))
        {
            *cell = Some(v);
        }
    };
    for c in 0..6 {
        let available = new[c] + carried[c];
        let forward = forward[c].min(available);
        let counts = distribute(r, available - forward);
        put(i_new, c, new[c]);
        put(i_carried, c, carried[c]);
        for (row, v) in result_idx.iter().zip(counts) {
            put(*row, c, v);
        }
        put(i_total, c, available - forward);
        put(i_forward, c, forward);
    }
    for row in m.iter_mut() {
        if row[0].is_some() {
            row[6] = Some(row[..6].iter().map(|v| v.unwrap_or(0)).sum());
        }
    }
    for (cells, values) in requests.cells.iter_mut().zip(&m) {
        for (cell, v) in cells.iter_mut().zip(values) {
            if let Some(v) = v {
                *cell = Cell {
                    raw: v.to_string(),
                    value: Some(Number::Int(*v)),
                    origin: Origin::Read,
                };
            }
        }
    }
    requests
}

/// Table 四 (reviews and lawsuits).
fn generate_appeals(r: &mut Rng) -> Table {
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
    appeals
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

#[cfg(test)]
mod tests {
    use super::*;

    fn f(n: Option<Number>) -> f64 {
        n.map_or(0.0, Number::as_f64)
    }

    #[test]
    fn generated_tables_satisfy_every_rule() {
        for seed in 0..200 {
            let t = generate(seed, seed + 1000);
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
            assert_eq!(generate(seed, seed + 1000), t);
        }
        assert_ne!(generate(1, 0), generate(2, 0));
    }

    #[test]
    fn consecutive_years_carry_over_what_was_carried_forward() {
        for seed in 0..100u64 {
            let before = generate(seed + 500, seed + 900);
            let after = generate(seed, seed + 500);
            for col in REQUEST_COLUMNS {
                let fw = before
                    .requests
                    .as_ref()
                    .and_then(|t| t.value("carried_forward", col));
                let co = after
                    .requests
                    .as_ref()
                    .and_then(|t| t.value("carried_over", col));
                assert_eq!(fw, co, "{seed} {col}");
            }
        }
    }

    #[test]
    fn blank_and_from_numbers() {
        let b = blank();
        assert!(b.requests.as_ref().is_some_and(Table::is_blank));
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
    }
}
