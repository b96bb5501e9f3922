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
fn a_table_page_end_to_end() {
    // Huaian p.4 in miniature: a wrapped label with its numbers between its lines, a row
    // label stacked one character per line, a footer, prose.
    let mut words = vec![
        w(106.3, 140.0, 518.5, 156.0, "全市共受理政府信息公开申请"),
        w(
            101.0,
            534.1,
            245.5,
            541.9,
            "（二）部分公开（区分处理的，只计这一情",
        ),
        w(101.0, 549.1, 168.5, 556.9, "形，不计其他情形）"),
        w(143.0, 572.9, 195.5, 580.7, "1.属于国家秘密"),
        w(143.0, 597.1, 240.5, 604.9, "2.其他法律行政法规禁止公开"),
        w(74.3, 789.0, 95.9, 806.5, "-4-"),
    ];
    for (x, t) in [(262.2, "447"), (301.6, "7"), (337.4, "0"), (498.2, "454")] {
        words.push(w(x, 543.9, x + 7.5, 551.5, t));
    }
    for (x, t) in [(265.9, "2"), (301.6, "0"), (337.4, "0"), (502.0, "2")] {
        words.push(w(x, 575.2, x + 3.7, 582.8, t));
    }
    for (x, t) in [(264.0, "30"), (301.6, "1"), (498.2, "31")] {
        words.push(w(x, 599.3, x + 7.5, 606.9, t));
    }
    for (i, t) in ["三、", "本", "年", "度"].iter().enumerate() {
        let y = 584.9 + 15.0 * i as f64;
        words.push(w(76.8, y, 84.2, y + 7.4, t));
    }
    let out = lay_out(&[page(words)]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "全市共受理政府信息公开申请",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t447\t7\t0\t454",
            "1.属于国家秘密\t2\t0\t0\t2",
            "三、本年度",
            "2.其他法律行政法规禁止公开\t30\t1\t\t31",
        ]
    );
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

mod props {
    use super::*;
    use proptest::prelude::*;

    /// Words anywhere inside the page body (clear of the page-number margins), with texts
    /// from the alphabet of report tables.
    fn words() -> impl Strategy<Value = Vec<Word>> {
        let text = prop::sample::select(vec![
            "3001",
            "0",
            "12",
            "96171.6",
            "/",
            "—",
            "一、本年新收",
            "（三）不",
            "予公开",
            "本",
            "年",
            "度",
            "结果",
            "1.属于国家秘密",
            "形，不计其他情形）",
            "第二十条",
            "自然人",
            "- 3 -",
        ]);
        let word = (
            40.0..540.0f64,
            120.0..700.0f64,
            4.0..120.0f64,
            6.0..20.0f64,
            text,
        )
            .prop_map(|(x0, y0, w, h, t)| Word {
                x0,
                y0,
                x1: x0 + w,
                y1: y0 + h,
                text: t.into(),
            });
        prop::collection::vec(word, 0..80)
    }

    fn chars(s: &str) -> Vec<char> {
        let mut v: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
        v.sort_unstable();
        v
    }

    const FORM_FEED: char = '\u{c}';

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Lines, cells, stacks, wraps and blanks move text around but never lose or invent
        /// any of it.
        #[test]
        fn layout_keeps_every_character(ws in words()) {
            let input: String = ws.iter().map(|w| w.text.as_str()).collect();
            let out = lay_out(&[page(ws)]);
            prop_assert_eq!(chars(&out), chars(&input));
        }

        /// Any pages at all, garbage boxes included: no panic, one form feed between pages.
        #[test]
        fn layout_is_total(pages in prop::collection::vec(words(), 1..4), junk in any::<f64>()) {
            let mut pages: Vec<Page> = pages.into_iter().map(page).collect();
            if let Some(w) = pages.first_mut().and_then(|p| p.words.first_mut()) {
                w.x0 = junk;
                w.y1 = -junk;
            }
            let n = pages.len();
            let out = lay_out(&pages);
            let feeds = out.chars().filter(|&c| c == FORM_FEED).count();
            prop_assert!(feeds < n);
        }
    }
}

#[test]
fn hostile_pages_stay_fast() {
    // 20 000 scattered one-character words, then 20 000 numbers in a grid.
    let scattered: Vec<Word> = (0..20_000)
        .map(|i| {
            let (x, y) = ((i * 37 % 500) as f64, (i * 53 % 700) as f64 + 100.0);
            w(x, y, x + 9.0, y + 9.0, if i % 2 == 0 { "本" } else { "年" })
        })
        .collect();
    let grid: Vec<Word> = (0..20_000)
        .map(|i| {
            let (x, y) = ((i % 20) as f64 * 25.0 + 50.0, (i / 20) as f64 * 0.7 + 100.0);
            w(x, y, x + 6.0, y + 9.0, "0")
        })
        .collect();
    let start = std::time::Instant::now();
    let out = lay_out(&[page(scattered), page(grid)]);
    assert!(
        start.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(
        out.chars().filter(|&c| c == '0').count(),
        10_000,
        "words past the cap are dropped"
    );
}
