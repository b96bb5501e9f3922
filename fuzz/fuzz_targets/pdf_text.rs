//! Fuzz the PDF text path: `cargo +nightly fuzz run pdf_text`.
//!
//! The first byte picks what the rest is:
//! - 0: `pdftotext -bbox` output, through the word-box reader and the layout (pure, fast);
//! - 1: word boxes packed as bytes (x, y, width, height, text index), straight into the layout,
//!   so the fuzzer reaches the line, cell, stack and wrap logic without writing XML;
//! - otherwise: a PDF file (prefixed with `%PDF-1.4` when it lacks one) through the whole
//!   path, `pdftotext` subprocess and limits included.
//!
//! Nothing may panic; the subprocess may fail, time out or crash, which must come back as a
//! `PdfError`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao::extract::pdf::{self, bbox, layout};

/// Texts the packed-box mode draws from: the shapes table rows are made of.
const TEXTS: &[&str] = &[
    "3001",
    "0",
    "12",
    "96171.6",
    "/",
    "—",
    "无",
    "一、本年新收政府信息公开申请数量",
    "（三）不",
    "予公开",
    "三、",
    "本",
    "年",
    "度",
    "结果",
    "1.属于国家秘密",
    "形，不计其他情形）",
    "- 3 -",
    "第 1 页",
    "自然人",
    "总计",
    "申请人情况",
    "2024 年",
];

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode {
        0 => {
            let xhtml = String::from_utf8_lossy(rest);
            let _ = layout::lay_out(&bbox::parse(&xhtml));
        }
        1 => {
            let words = rest
                .chunks_exact(5)
                .map(|c| {
                    let x0 = f64::from(c[0]) * 2.5;
                    let y0 = f64::from(c[1]) * 3.3;
                    bbox::Word {
                        x0,
                        y0,
                        x1: x0 + f64::from(c[2]),
                        y1: y0 + f64::from(c[3] % 24),
                        text: TEXTS[usize::from(c[4]) % TEXTS.len()].to_string(),
                    }
                })
                .collect();
            let page = bbox::Page {
                width: 595.0,
                height: 842.0,
                words,
            };
            let _ = layout::lay_out(&[page.clone(), page]);
        }
        _ => {
            let opts = pdf::PdfOptions {
                timeout: std::time::Duration::from_secs(5),
                ..pdf::PdfOptions::default()
            };
            if rest.starts_with(b"%PDF-") {
                let _ = pdf::extract_text_with(rest, &opts);
            } else {
                let mut file = b"%PDF-1.4\n".to_vec();
                file.extend_from_slice(rest);
                let _ = pdf::extract_text_with(&file, &opts);
            }
        }
    }
});
