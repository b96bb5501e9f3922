//! The consistency rules of SPEC §3 (勾稽关系), evaluated on parsed tables.
//!
//! Blank cells count as 0; a rule whose inputs are all blank is not reported. Every reported
//! rule carries both sides and the `table.row.column` keys it read, so a reader can see which
//! cells disagree. Rules come out in a fixed order: `requests.balance.*`,
//! `requests.results_sum.*`, `requests.row_total.*` (schema order), `appeals.total.*`.

use std::sync::LazyLock;

use crate::model::{
    Check, Number, Table, TableName, Tables, APPEALS, APPEAL_COLUMNS, REQUESTS, REQUEST_COLUMNS,
    REQUEST_RESULT_ROWS,
};

/// Every rule of SPEC §3 that can be evaluated on one report's tables.
pub fn evaluate(tables: &Tables) -> Vec<Check> {
    let mut out = Vec::new();
    if let Some(t) = &tables.requests {
        requests_rules(t, &mut out);
    }
    if let Some(t) = &tables.appeals {
        appeals_rules(t, &mut out);
    }
    out
}

/// `cross_year.carried_over`: this year's carried_over.total against the previous year's
/// carried_forward.total of the same agency. `None` when either side is missing or both cells
/// are blank. `cells` names this year's cell first, then the previous year's.
pub fn cross_year(previous: &Tables, current: &Tables) -> Option<Check> {
    let prev = previous
        .requests
        .as_ref()?
        .get("carried_forward", "total")?;
    let cur = current.requests.as_ref()?.get("carried_over", "total")?;
    if prev.value.is_none() && cur.value.is_none() {
        return None;
    }
    let left = cur.value.unwrap_or(Number::Int(0));
    let right = prev.value.unwrap_or(Number::Int(0));
    Some(Check {
        rule: "cross_year.carried_over".to_string(),
        ok: equal(left, right),
        left,
        right,
        cells: vec![
            "requests.carried_over.total".to_string(),
            "requests.carried_forward.total".to_string(),
        ],
    })
}

/// One input cell of a rule, with its position in the table's schema.
pub(crate) struct Input {
    /// Row key.
    pub row: &'static str,
    /// `table.row.column`, as reported in [`Check::cells`].
    key: String,
    /// Row index in the schema.
    r: usize,
    /// Column index in the row.
    c: usize,
}

/// A rule to evaluate on one table.
pub(crate) struct Rule {
    /// Stable rule name.
    pub name: String,
    /// Left-hand inputs, summed.
    pub left: Vec<Input>,
    /// Right-hand inputs, summed.
    pub right: Vec<Input>,
}

impl Rule {
    /// True when the rule reads a cell of `row`.
    pub(crate) fn reads_row(&self, row: &str) -> bool {
        self.left.iter().chain(&self.right).any(|i| i.row == row)
    }
}

/// Inputs `(row, column)` of `table` (schema `spec`), positions resolved once.
fn inputs(
    table: &str,
    spec: &'static [crate::model::RowSpec],
    cells: &[(&'static str, &'static str)],
) -> Vec<Input> {
    cells
        .iter()
        .filter_map(|&(row, col)| {
            let r = spec.iter().position(|s| s.key == row)?;
            let c = spec.get(r)?.columns.iter().position(|k| *k == col)?;
            Some(Input {
                row,
                key: format!("{table}.{row}.{col}"),
                r,
                c,
            })
        })
        .collect()
}

/// The `requests` rules of SPEC §3, in report order.
static REQUEST_RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let rule = |name: String,
                left: &[(&'static str, &'static str)],
                right: &[(&'static str, &'static str)]| Rule {
        name,
        left: inputs("requests", REQUESTS, left),
        right: inputs("requests", REQUESTS, right),
    };
    let mut rules = Vec::new();
    for &col in REQUEST_COLUMNS {
        rules.push(rule(
            format!("requests.balance.{col}"),
            &[("new_received", col), ("carried_over", col)],
            &[("total_processed", col), ("carried_forward", col)],
        ));
    }
    for &col in REQUEST_COLUMNS {
        let results: Vec<(&'static str, &'static str)> =
            REQUEST_RESULT_ROWS.iter().map(|r| (*r, col)).collect();
        rules.push(rule(
            format!("requests.results_sum.{col}"),
            &[("total_processed", col)],
            &results,
        ));
    }
    let (total, parts) = REQUEST_COLUMNS.split_last().unwrap_or((&"total", &[]));
    for row in REQUESTS {
        let right: Vec<(&'static str, &'static str)> =
            parts.iter().map(|c| (row.key, *c)).collect();
        rules.push(rule(
            format!("requests.row_total.{}", row.key),
            &[(row.key, total)],
            &right,
        ));
    }
    rules
});

/// The `appeals` rules of SPEC §3.
static APPEAL_RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let (total, parts) = APPEAL_COLUMNS.split_last().unwrap_or((&"total", &[]));
    APPEALS
        .iter()
        .map(|g| {
            let right: Vec<(&'static str, &'static str)> =
                parts.iter().map(|c| (g.key, *c)).collect();
            Rule {
                name: format!("appeals.total.{}", g.key),
                left: inputs("appeals", APPEALS, &[(g.key, total)]),
                right: inputs("appeals", APPEALS, &right),
            }
        })
        .collect()
});

/// The `requests` rules of SPEC §3, in report order.
pub(crate) fn requests_rule_list() -> &'static [Rule] {
    &REQUEST_RULES
}

/// The `appeals` rules of SPEC §3.
pub(crate) fn appeals_rule_list() -> &'static [Rule] {
    &APPEAL_RULES
}

fn requests_rules(t: &Table, out: &mut Vec<Check>) {
    out.extend(
        requests_rule_list()
            .iter()
            .filter_map(|rule| apply(t, rule)),
    );
}

fn appeals_rules(t: &Table, out: &mut Vec<Check>) {
    out.extend(appeals_rule_list().iter().filter_map(|rule| apply(t, rule)));
}

/// Evaluates one rule on `t`; `None` when every input is blank.
pub(crate) fn apply(t: &Table, rule: &Rule) -> Option<Check> {
    let (left, l_any) = sum(t, &rule.left);
    let (right, r_any) = sum(t, &rule.right);
    if !l_any && !r_any {
        return None;
    }
    let cells = rule
        .left
        .iter()
        .chain(&rule.right)
        .map(|i| i.key.clone())
        .collect();
    Some(Check {
        rule: rule.name.clone(),
        ok: equal(left, right),
        left,
        right,
        cells,
    })
}

/// Quick pass/fail of a rule for the reconstruction search: `None` when all inputs are blank.
pub(crate) fn holds(t: &Table, rule: &Rule) -> Option<bool> {
    let (left, l_any) = sum(t, &rule.left);
    let (right, r_any) = sum(t, &rule.right);
    (l_any || r_any).then(|| equal(left, right))
}

/// Sum of the inputs with blanks as 0, and whether any input held a value. Integers are summed
/// exactly (saturating); any decimal makes the sum a decimal.
fn sum(t: &Table, inputs: &[Input]) -> (Number, bool) {
    let mut int: i64 = 0;
    let mut dec: f64 = 0.0;
    let mut is_dec = false;
    let mut any = false;
    for i in inputs {
        match t
            .cells
            .get(i.r)
            .and_then(|row| row.get(i.c))
            .and_then(|cell| cell.value)
        {
            Some(Number::Int(i)) => {
                int = int.saturating_add(i);
                any = true;
            }
            Some(Number::Decimal(d)) => {
                dec += d;
                is_dec = true;
                any = true;
            }
            None => {}
        }
    }
    let n = if is_dec {
        Number::Decimal(dec + int as f64)
    } else {
        Number::Int(int)
    };
    (n, any)
}

fn equal(a: Number, b: Number) -> bool {
    match (a, b) {
        (Number::Int(x), Number::Int(y)) => x == y,
        _ => (a.as_f64() - b.as_f64()).abs() < 1e-6,
    }
}

/// The rules that read any cell of row `row` of table `name`.
pub(crate) fn rules_touching(name: TableName, row: &str) -> Vec<&'static Rule> {
    let all: &'static [Rule] = match name {
        TableName::Requests => requests_rule_list(),
        TableName::Appeals => appeals_rule_list(),
        TableName::Active => &[],
    };
    all.iter().filter(|r| r.reads_row(row)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cell, Format};

    fn set(t: &mut Table, row: &str, col: &str, v: i64) {
        if let Some(c) = t.get_mut(row, col) {
            *c = Cell {
                raw: v.to_string(),
                value: Some(Number::Int(v)),
                origin: Default::default(),
            };
        }
    }

    fn names(checks: &[Check], ok: bool) -> Vec<&str> {
        checks
            .iter()
            .filter(|c| c.ok == ok)
            .map(|c| c.rule.as_str())
            .collect()
    }

    #[test]
    fn blank_rules_are_not_reported_and_blank_counts_as_zero() {
        let mut t = Table::empty(TableName::Requests, Format::F2021);
        set(&mut t, "new_received", "natural_person", 9);
        set(&mut t, "new_received", "total", 9);
        set(&mut t, "granted", "natural_person", 9);
        set(&mut t, "granted", "total", 9);
        set(&mut t, "total_processed", "natural_person", 9);
        set(&mut t, "total_processed", "total", 9);
        let tables = Tables {
            requests: Some(t),
            ..Default::default()
        };
        let checks = evaluate(&tables);
        assert_eq!(names(&checks, false), Vec::<&str>::new());
        assert_eq!(
            names(&checks, true),
            [
                "requests.balance.natural_person",
                "requests.balance.total",
                "requests.results_sum.natural_person",
                "requests.results_sum.total",
                "requests.row_total.new_received",
                "requests.row_total.granted",
                "requests.row_total.total_processed",
            ]
        );
        let bal = &checks[0];
        assert_eq!(bal.cells[0], "requests.new_received.natural_person");
        assert_eq!(bal.cells.len(), 4);
    }

    #[test]
    fn a_broken_identity_fails_with_both_sides() {
        let mut t = Table::empty(TableName::Appeals, Format::F2021);
        set(&mut t, "review", "upheld", 10);
        set(&mut t, "review", "corrected", 1);
        set(&mut t, "review", "total", 0);
        let checks = evaluate(&Tables {
            appeals: Some(t),
            ..Default::default()
        });
        assert_eq!(checks.len(), 1);
        assert_eq!(checks[0].rule, "appeals.total.review");
        assert!(!checks[0].ok);
        assert_eq!(
            (checks[0].left, checks[0].right),
            (Number::Int(0), Number::Int(11))
        );
    }

    #[test]
    fn cross_year_compares_carried_cells() {
        let mut prev = Table::empty(TableName::Requests, Format::F2021);
        let mut cur = Table::empty(TableName::Requests, Format::F2021);
        set(&mut prev, "carried_forward", "total", 2);
        set(&mut cur, "carried_over", "total", 2);
        let p = Tables {
            requests: Some(prev),
            ..Default::default()
        };
        let c = Tables {
            requests: Some(cur),
            ..Default::default()
        };
        let check = cross_year(&p, &c).unwrap();
        assert!(check.ok);
        assert!(cross_year(&Tables::default(), &c).is_none());
        let blank = Tables {
            requests: Some(Table::empty(TableName::Requests, Format::F2021)),
            ..Default::default()
        };
        assert!(cross_year(&blank, &blank).is_none());
    }
}
