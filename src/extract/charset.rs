//! Charset detection and decoding of fetched pages: BOM → HTTP `charset` → `<meta>` prescan →
//! XML prolog → chardetng guess; gb2312/gbk decode as GB18030; a declared charset that yields
//! replacement characters is retried with the detected one (then GB18030, then UTF-8) and the
//! attempt with the fewest replacement characters wins.

use std::sync::LazyLock;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use regex::bytes::Regex;

/// What decided the encoding of a [`Decoded`] page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CharsetSource {
    /// A byte-order mark.
    Bom,
    /// The `charset` parameter of the HTTP `Content-Type`.
    Header,
    /// `<meta charset>` or `<meta http-equiv="Content-Type">` in the first bytes.
    Meta,
    /// The `encoding` of an `<?xml …?>` prolog.
    XmlProlog,
    /// chardetng's guess (nothing declared, or the declaration produced garbage).
    Detected,
    /// A fixed retry (GB18030, then UTF-8) after the declaration produced garbage.
    Fallback,
}

impl CharsetSource {
    /// Lower-case short name: `bom`, `header`, `meta`, `xml`, `detected`, `fallback`.
    pub fn as_str(self) -> &'static str {
        match self {
            CharsetSource::Bom => "bom",
            CharsetSource::Header => "header",
            CharsetSource::Meta => "meta",
            CharsetSource::XmlProlog => "xml",
            CharsetSource::Detected => "detected",
            CharsetSource::Fallback => "fallback",
        }
    }
}

/// A decoded page.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// The encoding finally used.
    pub encoding: &'static Encoding,
    /// True when the text still holds replacement characters after every attempt.
    pub had_errors: bool,
    /// What decided [`Decoded::encoding`].
    pub source: CharsetSource,
    /// The encoding the page declared (header, meta or prolog), if any.
    pub declared: Option<&'static Encoding>,
}

/// How far into the document `<meta>` and the XML prolog are looked for.
const PRESCAN: usize = 4096;

/// Compiles a constant pattern (literals covered by the tests; never input-dependent).
fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("constant regex")
}

static META: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?i)<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)"#));
static XML: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?i)^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)["']"#));

/// Map a label to the encoding used for decoding: gb2312/gbk/x-gbk → GB18030 (a superset,
/// so GBK-only characters such as 镕 堃 喆 昇 survive); the `replacement` encoding is refused.
fn for_label(label: &[u8]) -> Option<&'static Encoding> {
    let enc = Encoding::for_label(label.trim_ascii())?;
    if enc == GBK {
        Some(GB18030)
    } else if enc.name() == "replacement" {
        None
    } else {
        Some(enc)
    }
}

/// The `charset` parameter of a `Content-Type` header.
fn header_charset(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| for_label(v.trim().trim_matches(['"', '\'']).as_bytes()))?
    })
}

/// `<meta>` prescan; UTF-16 labels in `<meta>` mean UTF-8 (the HTML rule: a page that can be
/// prescanned as ASCII is not UTF-16).
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let enc = META
        .captures(head)
        .and_then(|c| for_label(c.get(1)?.as_bytes()))?;
    Some(if enc == UTF_16LE || enc == UTF_16BE {
        UTF_8
    } else {
        enc
    })
}

fn xml_charset(head: &[u8]) -> Option<&'static Encoding> {
    XML.captures(head)
        .and_then(|c| for_label(c.get(1)?.as_bytes()))
}

fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut det = EncodingDetector::new(Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let enc = det.guess(Some(b"cn"), Utf8Detection::Allow);
    if enc == GBK {
        GB18030
    } else {
        enc
    }
}

fn run(bytes: &[u8], enc: &'static Encoding) -> (String, usize) {
    let (text, _) = enc.decode_without_bom_handling(bytes);
    let bad = text.matches('\u{FFFD}').count();
    (text.into_owned(), bad)
}

/// Enough multi-byte UTF-8 to be sure: GBK text almost never forms valid UTF-8 sequences.
fn is_clearly_utf8(bytes: &[u8]) -> bool {
    bytes.iter().filter(|b| **b >= 0x80).count() >= 6 && std::str::from_utf8(bytes).is_ok()
}

/// Decode `bytes` fetched with `content_type` (the HTTP header, if any).
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> Decoded {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, bad) = run(bytes.get(bom_len..).unwrap_or(&[]), enc);
        return Decoded {
            text,
            encoding: enc,
            had_errors: bad > 0,
            source: CharsetSource::Bom,
            declared: None,
        };
    }
    let head = bytes.get(..PRESCAN.min(bytes.len())).unwrap_or(bytes);
    let declared = content_type
        .and_then(header_charset)
        .map(|e| (e, CharsetSource::Header))
        .or_else(|| meta_charset(head).map(|e| (e, CharsetSource::Meta)))
        .or_else(|| xml_charset(head).map(|e| (e, CharsetSource::XmlProlog)));
    let Some((enc, source)) = declared else {
        let enc = if is_clearly_utf8(bytes) {
            UTF_8
        } else {
            detect(bytes)
        };
        let (text, bad) = run(bytes, enc);
        return Decoded {
            text,
            encoding: enc,
            had_errors: bad > 0,
            source: CharsetSource::Detected,
            declared: None,
        };
    };
    // A page declared as a legacy encoding whose bytes are clearly UTF-8 (re-saved templates):
    // decoding it as GB18030 would give mojibake without a single replacement character.
    if enc != UTF_8 && is_clearly_utf8(bytes) {
        let (text, bad) = run(bytes, UTF_8);
        return Decoded {
            text,
            encoding: UTF_8,
            had_errors: bad > 0,
            source: CharsetSource::Detected,
            declared: Some(enc),
        };
    }
    // An `iso-8859-1` header is usually a server default (Tomcat error pages, proxies), and
    // windows-1252 decodes any byte without a replacement character: on a page with non-ASCII
    // bytes, a `<meta>` declaration or a CJK guess is more credible.
    let (enc, source) = if enc == WINDOWS_1252
        && source == CharsetSource::Header
        && bytes.iter().any(|b| *b >= 0x80)
    {
        match meta_charset(head).or_else(|| xml_charset(head)) {
            Some(m) if m != WINDOWS_1252 => (m, CharsetSource::Meta),
            _ => match detect(bytes) {
                d if d != WINDOWS_1252 => (d, CharsetSource::Detected),
                _ => (enc, source),
            },
        }
    } else {
        (enc, source)
    };
    let (text, bad) = run(bytes, enc);
    let mut best = Decoded {
        text,
        encoding: enc,
        had_errors: bad > 0,
        source,
        declared: Some(enc),
    };
    if bad == 0 {
        return best;
    }
    let mut best_bad = bad;
    let retries = [
        (detect(bytes), CharsetSource::Detected),
        (GB18030, CharsetSource::Fallback),
        (UTF_8, CharsetSource::Fallback),
    ];
    for (alt, alt_source) in retries {
        if alt == best.encoding {
            continue;
        }
        let (text, alt_bad) = run(bytes, alt);
        if alt_bad < best_bad {
            best_bad = alt_bad;
            best = Decoded {
                text,
                encoding: alt,
                had_errors: alt_bad > 0,
                source: alt_source,
                declared: Some(enc),
            };
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbk(s: &str) -> Vec<u8> {
        GB18030.encode(s).0.into_owned()
    }

    const NAMES: &str = "朱镕基 王堃 张喆 李昇 2023年政府信息公开工作年度报告";

    #[test]
    fn gb2312_label_decodes_gbk_only_chars() {
        let mut page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>".to_vec();
        page.extend(gbk(NAMES));
        let d = decode(&page, Some("text/html"));
        assert!(d.text.contains(NAMES), "{}", d.text);
        assert_eq!(d.source, CharsetSource::Meta);
        assert_eq!(d.encoding, GB18030);
        assert!(!d.had_errors);
    }

    #[test]
    fn gbk_labelled_utf8_is_repaired() {
        let mut page = b"<html><head><meta charset=\"utf-8\"></head><body><p>".to_vec();
        page.extend(gbk(&NAMES.repeat(3)));
        let d = decode(&page, Some("text/html; charset=UTF-8"));
        assert!(d.text.contains(NAMES), "{}", d.text);
        assert_ne!(d.source, CharsetSource::Header);
        assert_eq!(d.declared, Some(UTF_8));
        assert!(!d.had_errors);
    }

    #[test]
    fn utf8_labelled_gb2312_is_repaired() {
        let page = format!("<meta charset=gb2312><p>{NAMES}</p>");
        let d = decode(page.as_bytes(), None);
        assert!(d.text.contains(NAMES));
        assert_eq!(d.encoding, UTF_8);
    }

    #[test]
    fn latin1_header_on_a_gbk_page() {
        let mut page = b"<html><head><meta charset=gbk></head><body>".to_vec();
        page.extend(gbk(NAMES));
        let d = decode(&page, Some("text/html; charset=ISO-8859-1"));
        assert!(d.text.contains(NAMES), "{}", d.text);
        assert_eq!(d.source, CharsetSource::Meta);
        let d = decode(
            &gbk(&NAMES.repeat(5)),
            Some("text/html; charset=iso-8859-1"),
        );
        assert!(d.text.contains(NAMES), "{}", d.text);
        let d = decode(b"plain ascii", Some("text/html; charset=iso-8859-1"));
        assert_eq!(d.source, CharsetSource::Header);
    }

    #[test]
    fn sources() {
        let bom = [&[0xEF, 0xBB, 0xBF][..], "年报".as_bytes()].concat();
        let d = decode(&bom, Some("text/html; charset=gbk"));
        assert_eq!((d.text.as_str(), d.source), ("年报", CharsetSource::Bom));
        let d = decode(
            "年报年报年报".as_bytes(),
            Some("text/html;charset=\"utf-8\""),
        );
        assert_eq!(d.source, CharsetSource::Header);
        let mut xml = b"<?xml version=\"1.0\" encoding=\"GBK\"?><datastore>".to_vec();
        xml.extend(gbk(NAMES));
        let d = decode(&xml, Some("text/xml"));
        assert!(d.text.contains(NAMES));
        assert_eq!(d.source, CharsetSource::XmlProlog);
        let d = decode(&gbk(&NAMES.repeat(4)), None);
        assert!(d.text.contains(NAMES));
        assert_eq!(d.source, CharsetSource::Detected);
        assert_eq!(decode(b"", None).text, "");
    }
}
