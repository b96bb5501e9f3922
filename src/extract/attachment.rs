//! Attachment names and links: which URLs point at report files (`.pdf`, `.doc`, `.docx`,
//! `.wps`, `.xls`, `.xlsx`, `.rtf`, incl. Hanweb `downfile.jsp?filename=…`), and the file name
//! carried by a `Content-Disposition` header (RFC 6266/5987 `filename*=`, percent-encoded,
//! MIME encoded-words, or raw GBK/UTF-8 bytes).

use encoding_rs::{Encoding, GB18030, UTF_8};
use percent_encoding::percent_decode;
use url::Url;

/// File extensions of report documents (lower case, no dot).
pub const DOCUMENT_EXTS: &[&str] = &[
    "pdf", "doc", "docx", "wps", "xls", "xlsx", "rtf", "et", "ofd",
];

/// The lower-case extension of `name` if it is a document extension.
pub fn ext_of(name: &str) -> Option<&'static str> {
    let name = name.trim().trim_end_matches(['"', '\'']);
    let (_, ext) = name.rsplit_once('.')?;
    let ext = ext.to_ascii_lowercase();
    DOCUMENT_EXTS.iter().copied().find(|e| *e == ext)
}

/// The document extension of a URL: of its path (`/P020240126.pdf`, `/group6/M00/…/x.docx`,
/// `/attachment/7/7387/7756059.pdf`) or of a file-name query value
/// (`downfile.jsp?classid=0&filename=3f2a….pdf`, pdf.js `viewer.html?file=…pdf`).
pub fn document_ext(url: &Url) -> Option<&'static str> {
    let last = url
        .path_segments()
        .and_then(|mut s| s.next_back())
        .unwrap_or("");
    let last = percent_decode(last.as_bytes()).decode_utf8_lossy();
    ext_of(&last).or_else(|| {
        url.query_pairs().find_map(|(k, v)| {
            let k = k.to_ascii_lowercase();
            let named = [
                "filename", "file", "name", "fileurl", "path", "filepath", "url",
            ]
            .contains(&k.as_str());
            if named {
                ext_of(v.split(['?', '#']).next().unwrap_or(""))
            } else {
                None
            }
        })
    })
}

/// The file name from a URL: the `filename=` query value or the last path segment,
/// percent-decoded.
pub fn file_name_from_url(url: &Url) -> Option<String> {
    let from_query = url.query_pairs().find_map(|(k, v)| {
        (k.eq_ignore_ascii_case("filename") && !v.is_empty()).then(|| v.into_owned())
    });
    from_query.or_else(|| {
        let last = url.path_segments()?.next_back()?;
        let name = decode_bytes(&percent_decode(last.as_bytes()).collect::<Vec<u8>>());
        (!name.is_empty()).then_some(name)
    })
}

/// Bytes as UTF-8 when valid, else GB18030 (the usual legacy encoding of Chinese servers).
fn decode_bytes(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => GB18030.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// Percent-decode `s` when it holds `%XX` escapes, then decode as UTF-8 or GB18030.
fn maybe_percent(s: &[u8]) -> String {
    if s.windows(3)
        .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
    {
        decode_bytes(&percent_decode(s).collect::<Vec<u8>>())
    } else {
        decode_bytes(s)
    }
}

/// Split a header value into `;`-separated parameters, respecting double quotes.
fn params(value: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut i = 0;
    let n = value.len();
    while i < n {
        // name
        let start = i;
        while i < n && value[i] != b'=' && value[i] != b';' {
            i += 1;
        }
        let name = String::from_utf8_lossy(&value[start..i])
            .trim()
            .to_ascii_lowercase();
        if i >= n || value[i] == b';' {
            i += 1;
            continue;
        }
        i += 1; // '='
        while i < n && value[i] == b' ' {
            i += 1;
        }
        let mut v = Vec::new();
        if i < n && value[i] == b'"' {
            i += 1;
            // No backslash escapes: a GBK trail byte can be 0x5C, and Windows paths use it.
            while i < n && value[i] != b'"' {
                v.push(value[i]);
                i += 1;
            }
            while i < n && value[i] != b';' {
                i += 1;
            }
        } else {
            while i < n && value[i] != b';' {
                v.push(value[i]);
                i += 1;
            }
            while v.last().is_some_and(|b| b.is_ascii_whitespace()) {
                v.pop();
            }
        }
        i += 1;
        out.push((name, v));
    }
    out
}

/// RFC 5987 `charset'lang'pct-encoded`.
fn ext_value(v: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(v).ok()?;
    let mut parts = s.splitn(3, '\'');
    let charset = parts.next()?;
    let _lang = parts.next()?;
    let encoded = parts.next()?;
    let bytes: Vec<u8> = percent_decode(encoded.as_bytes()).collect();
    let enc = Encoding::for_label(charset.trim().as_bytes()).unwrap_or(UTF_8);
    let enc = if enc.name() == "GBK" { GB18030 } else { enc };
    Some(enc.decode_without_bom_handling(&bytes).0.into_owned())
}

/// Hand-rolled base64 (RFC 2045 alphabet) for MIME encoded-words in headers: a dozen lines,
/// so not worth a dependency.
fn base64(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' | b'\r' | b'\n' | b' ' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// MIME encoded-word `=?UTF-8?B?…?=` / `=?GBK?Q?…?=` as sent by some Java servers.
fn encoded_word(s: &str) -> Option<String> {
    let inner = s.trim().strip_prefix("=?")?.strip_suffix("?=")?;
    let mut parts = inner.splitn(3, '?');
    let charset = parts.next()?;
    let mode = parts.next()?;
    let data = parts.next()?;
    let bytes = match mode {
        "B" | "b" => base64(data)?,
        "Q" | "q" => {
            let underscored = data.replace('_', " ").replace('=', "%");
            percent_decode(underscored.as_bytes()).collect()
        }
        _ => return None,
    };
    let enc = Encoding::for_label(charset.as_bytes()).unwrap_or(UTF_8);
    let enc = if enc.name() == "GBK" { GB18030 } else { enc };
    Some(enc.decode_without_bom_handling(&bytes).0.into_owned())
}

/// The file name of a `Content-Disposition` header value (raw bytes: servers send GBK or UTF-8
/// names unescaped). `filename*=` wins over `filename=`; path parts are dropped.
pub fn content_disposition_filename(value: &[u8]) -> Option<String> {
    let ps = params(value);
    let star = ps
        .iter()
        .find(|(k, _)| k == "filename*")
        .and_then(|(_, v)| ext_value(v));
    let name = star.or_else(|| {
        ps.iter().find(|(k, _)| k == "filename").map(|(_, v)| {
            let s = maybe_percent(v);
            encoded_word(&s).unwrap_or(s)
        })
    })?;
    let name = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).expect("url")
    }

    #[test]
    fn document_urls() {
        assert_eq!(
            document_ext(&u("http://a.cn/c/202401/P020240126512345678901.pdf")),
            Some("pdf")
        );
        assert_eq!(
            document_ext(&u(
                "http://a.cn/module/download/downfile.jsp?classid=0&filename=3f2a9c0d4b6e.pdf"
            )),
            Some("pdf")
        );
        assert_eq!(
            document_ext(&u("http://a.cn/group6/M00/01/02/abc.DOCX")),
            Some("docx")
        );
        assert_eq!(
            document_ext(&u("http://a.cn/attachment/7/7387/7387273/7756059.pdf")),
            Some("pdf")
        );
        assert_eq!(
            document_ext(&u("http://a.cn/art/2024/1/26/art_1_2.html")),
            None
        );
        assert_eq!(document_ext(&u("http://a.cn/x/report.wps")), Some("wps"));
    }

    #[test]
    fn disposition_names() {
        let mut gbk = b"attachment; filename=\"".to_vec();
        gbk.extend_from_slice(&GB18030.encode("某县统计局2023年年报.pdf").0);
        gbk.push(b'"');
        assert_eq!(
            content_disposition_filename(&gbk).as_deref(),
            Some("某县统计局2023年年报.pdf")
        );
        let star =
            b"attachment; filename=\"fallback.pdf\"; filename*=UTF-8''%E5%B9%B4%E6%8A%A5.pdf";
        assert_eq!(
            content_disposition_filename(star).as_deref(),
            Some("年报.pdf")
        );
        let pct = b"attachment;filename=%E5%B9%B4%E6%8A%A5.docx";
        assert_eq!(
            content_disposition_filename(pct).as_deref(),
            Some("年报.docx")
        );
        let gbk_pct = b"attachment; filename*=gbk''%C4%EA%B1%A8.pdf";
        assert_eq!(
            content_disposition_filename(gbk_pct).as_deref(),
            Some("年报.pdf")
        );
        let utf8_raw = "attachment; filename=\"年报.xls\"".as_bytes();
        assert_eq!(
            content_disposition_filename(utf8_raw).as_deref(),
            Some("年报.xls")
        );
        let word = b"attachment; filename=\"=?UTF-8?B?5bm05oqlLnBkZg==?=\"";
        assert_eq!(
            content_disposition_filename(word).as_deref(),
            Some("年报.pdf")
        );
        assert_eq!(content_disposition_filename(b"inline"), None);
        assert_eq!(
            content_disposition_filename(b"attachment; filename=\"C:\\x\\a.pdf\""),
            Some("a.pdf".into())
        );
    }

    #[test]
    fn names_from_urls() {
        assert_eq!(
            file_name_from_url(&u("http://a.cn/x/%E5%B9%B4%E6%8A%A5.pdf")).as_deref(),
            Some("年报.pdf")
        );
        assert_eq!(
            file_name_from_url(&u(
                "http://a.cn/module/download/downfile.jsp?classid=0&filename=abc.pdf"
            ))
            .as_deref(),
            Some("abc.pdf")
        );
    }
}
