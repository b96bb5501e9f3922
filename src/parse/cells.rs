//! Cell text → value (formats.md Q1–Q4): blanks and placeholders, units, signs, full-width
//! digits, thousands separators.

use crate::model::{Cell, Number};
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// How a column's numbers are printed and what unit the SPEC value is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// A count (requests, appeals, most of `active`).
    Count,
    /// 2019 本年增/减: `+1036`, `-3`, `减4`, `增2`.
    Signed,
    /// 2021 本年收费金额（万元）: `43.788万元` → 43.788; `251000元` → 25.1.
    WanYuan,
    /// 2019 采购总金额: no fixed unit, the number as printed (`251000元` → 251000).
    AsPrinted,
}

/// The unit of an `active` column; requests and appeals are all [`Unit::Count`].
pub(crate) fn active_unit(row: &str, column: &str) -> Unit {
    match (row, column) {
        (_, "change") => Unit::Signed,
        ("fees", "amount") => Unit::WanYuan,
        ("procurement", "amount") => Unit::AsPrinted,
        _ => Unit::Count,
    }
}

/// What a cell's text turned out to be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Parsed {
    /// Blank, `/`, `-`, `—`, `无`: null by SPEC.
    Blank,
    /// A number.
    Value(Number),
    /// Text that is neither (a label, or garbage).
    Text,
}

/// Units printed after numbers that mean nothing for the value.
const COUNT_SUFFIXES: &[&str] = &[
    "人次", "件次", "件", "个", "项", "条", "次", "家", "份", "宗", "起", "人", "例",
];

/// Longest text considered as a cell value ("1,234,567.89万元 (单位：元)" fits).
const MAX_CELL_BYTES: usize = 48;

/// Parses one cell's text for a column of `unit`.
pub(crate) fn parse(raw: &str, unit: Unit) -> Parsed {
    // Cells are short; long text is a label or prose (and is not worth normalising).
    if raw.len() > MAX_CELL_BYTES {
        return Parsed::Text;
    }
    if raw.is_empty() {
        return Parsed::Blank;
    }
    // Fast path: most cells are plain digits.
    if !raw.is_empty() && raw.len() <= 18 && raw.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(v) = raw.parse::<i64>() {
            return Parsed::Value(Number::Int(v));
        }
    }
    let folded = raw.chars().map(super::labels::fold_width);
    let stable = folded.clone().all(super::labels::nfkc_stable);
    let compact = if stable || is_nfkc_quick(folded.clone()) == IsNormalized::Yes {
        compact(folded)
    } else {
        compact(raw.nfkc())
    };
    let Some(s) = compact else {
        // "12 10": two numbers, not one.
        return Parsed::Text;
    };
    if is_placeholder(&s) {
        return Parsed::Blank;
    }
    let mut body: &str = &s;
    // Sign (Q4).
    let mut negative = false;
    for (prefix, neg) in [
        ("+", false),
        ("-", true),
        ("−", true),
        ("增加", false),
        ("减少", true),
        ("增", false),
        ("减", true),
    ] {
        if let Some(rest) = body.strip_prefix(prefix) {
            body = rest;
            negative = neg;
            break;
        }
    }
    // Parenthesised unit or trailing unit.
    let (digits, suffix) = split_number(body);
    if digits.is_empty() {
        return Parsed::Text;
    }
    let suffix = suffix.trim_matches(|c| c == '(' || c == ')');
    let yuan = match suffix {
        "" => false,
        "元" => true,
        "万元" | "万" => false,
        s if COUNT_SUFFIXES.contains(&s) => false,
        _ => return Parsed::Text,
    };
    let clean: String = digits.chars().filter(|c| *c != ',').collect();
    let number = if clean.contains('.') {
        match clean.parse::<f64>() {
            Ok(v) if v.is_finite() => Number::Decimal(if negative { -v } else { v }),
            _ => return Parsed::Text,
        }
    } else {
        match clean.parse::<i64>() {
            Ok(v) => Number::Int(if negative { -v } else { v }),
            Err(_) => return Parsed::Text,
        }
    };
    let number = if yuan && unit == Unit::WanYuan {
        Number::Decimal(number.as_f64() / 10_000.0)
    } else {
        number
    };
    Parsed::Value(number)
}

/// The characters without whitespace; `None` when whitespace separates two digits.
fn compact(chars: impl Iterator<Item = char>) -> Option<String> {
    let mut s = String::new();
    let mut gap_after_digit = false;
    for c in chars {
        if c.is_whitespace() {
            gap_after_digit |= s.ends_with(|p: char| p.is_ascii_digit());
            continue;
        }
        if gap_after_digit && c.is_ascii_digit() {
            return None;
        }
        gap_after_digit = false;
        s.push(c);
    }
    Some(s)
}

/// Splits `"1,234.5万元"` into `("1,234.5", "万元")`. Commas only count between digit groups.
fn split_number(s: &str) -> (&str, &str) {
    let bytes = s.as_bytes();
    let mut end = 0;
    let mut seen_dot = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next_is_digit = bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        let between_digits = end == i && i > 0 && next_is_digit;
        if b.is_ascii_digit() {
            end = i + 1;
        } else if b == b'.' && !seen_dot && between_digits {
            seen_dot = true;
        } else if !(b == b',' && !seen_dot && between_digits) {
            break;
        }
        i += 1;
    }
    (&s[..end], &s[end..])
}

/// `""`, `/`, `-`, `—`, `——`, `无`, `空`, `\`, `*`.
fn is_placeholder(s: &str) -> bool {
    s.is_empty()
        || s.chars().all(|c| {
            matches!(
                c,
                '/' | '\\' | '-' | '—' | '―' | '–' | '−' | '_' | '*' | '×'
            )
        })
        || s == "无"
        || s == "空"
        || s == "0/"
}

/// True when the text is a value cell (a number or a placeholder), not a label.
pub(crate) fn is_value_like(raw: &str) -> bool {
    !matches!(parse(raw, Unit::Signed), Parsed::Text)
}

/// A [`Cell`] read from `raw` for a column of `unit`. Unparseable text gives a null value
/// (the raw text is kept), and `false` so the caller can warn.
pub(crate) fn cell(raw: &str, unit: Unit) -> (Cell, bool) {
    let raw_trim = raw.trim();
    let (value, ok) = match parse(raw_trim, unit) {
        Parsed::Blank => (None, true),
        Parsed::Value(n) => (Some(n), true),
        Parsed::Text => (None, false),
    };
    (
        Cell {
            raw: raw_trim.to_string(),
            value,
            origin: Default::default(),
        },
        ok,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str, u: Unit) -> Option<Number> {
        match parse(s, u) {
            Parsed::Value(n) => Some(n),
            _ => None,
        }
    }

    #[test]
    fn counts_in_every_dress() {
        assert_eq!(v("12", Unit::Count), Some(Number::Int(12)));
        assert_eq!(v("１２", Unit::Count), Some(Number::Int(12)));
        assert_eq!(v("1,234", Unit::Count), Some(Number::Int(1234)));
        assert_eq!(v("1，234", Unit::Count), Some(Number::Int(1234)));
        assert_eq!(v("3 件", Unit::Count), Some(Number::Int(3)));
        assert_eq!(v("0件", Unit::Count), Some(Number::Int(0)));
        assert_eq!(v("3985758", Unit::Count), Some(Number::Int(3985758)));
    }

    #[test]
    fn placeholders_are_blank() {
        for s in ["", " ", "\u{a0}", "/", "-", "—", "——", "无", "－"] {
            assert_eq!(parse(s, Unit::Count), Parsed::Blank, "{s:?}");
        }
    }

    #[test]
    fn money_units() {
        assert_eq!(
            v("43.788万元", Unit::WanYuan),
            Some(Number::Decimal(43.788))
        );
        assert_eq!(v("159.7", Unit::WanYuan), Some(Number::Decimal(159.7)));
        assert_eq!(v("7545", Unit::WanYuan), Some(Number::Int(7545)));
        assert_eq!(v("251000元", Unit::WanYuan), Some(Number::Decimal(25.1)));
        assert_eq!(v("251000元", Unit::AsPrinted), Some(Number::Int(251000)));
        assert_eq!(v("52.15", Unit::AsPrinted), Some(Number::Decimal(52.15)));
    }

    #[test]
    fn signed_changes() {
        assert_eq!(v("+1036", Unit::Signed), Some(Number::Int(1036)));
        assert_eq!(v("-3", Unit::Signed), Some(Number::Int(-3)));
        assert_eq!(v("－3", Unit::Signed), Some(Number::Int(-3)));
        assert_eq!(v("减4", Unit::Signed), Some(Number::Int(-4)));
        assert_eq!(v("增2", Unit::Signed), Some(Number::Int(2)));
        assert_eq!(v("0", Unit::Signed), Some(Number::Int(0)));
    }

    #[test]
    fn labels_are_text() {
        for s in [
            "规章",
            "1.属于国家秘密",
            "2024年",
            "1.",
            "(一)",
            "结果维持",
            "12 10",
        ] {
            assert_eq!(parse(s, Unit::Count), Parsed::Text, "{s:?}");
            assert!(!is_value_like(s), "{s:?}");
        }
        assert!(is_value_like("0"));
        assert!(is_value_like(""));
        assert!(is_value_like("减4"));
    }

    #[test]
    fn huge_numbers_do_not_panic() {
        assert_eq!(parse("99999999999999999999999", Unit::Count), Parsed::Text);
        assert_eq!(parse("1e400", Unit::Count), Parsed::Text);
    }
}
