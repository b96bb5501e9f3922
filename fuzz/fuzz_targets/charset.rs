//! Fuzz target: charset detection and decoding (`extract::charset::decode`).
//!
//! Input: the first line is the HTTP `Content-Type` value (an empty first line, or no newline
//! at all, means no header); the rest is the body. Nothing may panic, and the result must keep
//! the promises `Decoded` makes:
//! - `had_errors` is true exactly when the text holds U+FFFD;
//! - gb2312/gbk are decoded as GB18030, the `replacement` encoding is never used;
//! - a BOM decides alone (no declaration recorded); a header, meta, XML or fallback source
//!   always records the declaration it started from;
//! - text decoded as UTF-8 without errors is the body's bytes unchanged (after a BOM).
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao::extract::charset::{decode, CharsetSource};

fuzz_target!(|data: &[u8]| {
    let (header, body) = match data.iter().position(|b| *b == b'\n') {
        Some(i) => (Some(String::from_utf8_lossy(&data[..i])), &data[i + 1..]),
        None => (None, data),
    };
    let content_type = header.as_deref().filter(|h| !h.is_empty());
    let d = decode(body, content_type);

    assert_eq!(
        d.had_errors,
        d.text.contains('\u{FFFD}'),
        "had_errors must say whether the text holds replacement characters"
    );
    assert_ne!(d.encoding, encoding_rs::GBK, "gbk decodes as GB18030");
    assert_ne!(d.encoding.name(), "replacement");
    match d.source {
        CharsetSource::Bom => assert!(d.declared.is_none()),
        CharsetSource::Header
        | CharsetSource::Meta
        | CharsetSource::XmlProlog
        | CharsetSource::Fallback => assert!(d.declared.is_some(), "{:?}", d.source),
        CharsetSource::Detected => {}
    }
    if d.encoding == encoding_rs::UTF_8 && !d.had_errors {
        let raw = match d.source {
            CharsetSource::Bom => &body[3..],
            _ => body,
        };
        assert_eq!(
            d.text.as_bytes(),
            raw,
            "clean UTF-8 is the bytes themselves"
        );
    }
});
