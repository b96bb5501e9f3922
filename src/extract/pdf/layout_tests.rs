//! Unit tests of [`super`] on hand-made word boxes.

use super::*;

fn w(x0: f64, y0: f64, x1: f64, y1: f64, text: &str) -> Word {
    Word {
        x0,
        y0,
        x1,
        y1,
        text: text.into(),
    }
}

fn page(words: Vec<Word>) -> Page {
    Page {
        width: 595.0,
        height: 842.0,
        words,
    }
}

#[test]
fn values() {
    for t in [
        "3001",
        "96171.6",
        "1,234",
        "12件",
        "-3",
        "0",
        "/",
        "—",
        "无",
        "43.788万元",
        "１２",
    ] {
        assert!(is_value(t), "{t}");
    }
    for t in ["1.", "2024年", "一、", "", "1.属于", "3.5.1", "."] {
        assert!(!is_value(t), "{t}");
    }
}

#[test]
fn page_numbers() {
    for t in [
        "-4-",
        "- 1 -",
        "—5—",
        "4",
        "第 1 页",
        "第1页共6页",
        "1/6",
        "第2页/共3页",
    ] {
        assert!(looks_like_page_number(t), "{t}");
    }
    for t in ["2024年", "第二十条", "-", "第1项", "12345"] {
        assert!(!looks_like_page_number(t), "{t}");
    }
}
