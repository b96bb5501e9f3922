//! Undo a response's `Content-Encoding` (gzip, deflate, br) ourselves, with a size cap.
//!
//! reqwest can decompress transparently, but then the bytes as the server sent them are gone,
//! and the WARC output must keep them (with their `Content-Encoding`, so replay tools decode
//! them the same way). So the client asks for compressed bodies itself, reads the wire bytes,
//! and this module decodes them. The cap applies to the decoded size, which defuses
//! compression bombs: decoding stops one byte past the cap.

use std::io::Read;

/// Why a body could not be decoded.
#[derive(Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The decoded body is larger than the cap.
    TooLarge,
    /// The bytes are not valid for the declared coding (often a truncated body).
    Corrupt(String),
}

/// The `Accept-Encoding` value sent with every request: the codings [`decode`] understands.
pub const ACCEPT_ENCODING: &str = "gzip, deflate, br";

/// Decode `wire` according to a `Content-Encoding` header value (codings applied in the order
/// listed, so they are undone in reverse). `None`, `identity` and unknown codings leave the
/// bytes as they are (browsers do the same for values like `none` or `utf-8` that real servers
/// send). Returns `Ok(None)` when nothing had to be decoded.
pub fn decode(
    content_encoding: Option<&str>,
    wire: &[u8],
    max_bytes: u64,
) -> Result<Option<Vec<u8>>, DecodeError> {
    let Some(header) = content_encoding else {
        return Ok(None);
    };
    let codings: Vec<String> = header
        .split(',')
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| matches!(c.as_str(), "gzip" | "x-gzip" | "deflate" | "br"))
        .collect();
    if codings.is_empty() {
        return Ok(None);
    }
    let mut body: Option<Vec<u8>> = None;
    for coding in codings.iter().rev() {
        let input = body.as_deref().unwrap_or(wire);
        body = Some(decode_one(coding, input, max_bytes)?);
    }
    Ok(body)
}

/// As [`decode`], for a body cut short on purpose (only its first bytes are wanted, e.g.
/// robots.txt): decodes what it can, keeps at most `max_bytes`, and keeps what came out before
/// a corrupt or cut-off end instead of failing. Returns `None` when nothing had to be decoded.
pub fn decode_prefix(
    content_encoding: Option<&str>,
    wire: &[u8],
    max_bytes: u64,
) -> Option<Vec<u8>> {
    let header = content_encoding?;
    let codings: Vec<String> = header
        .split(',')
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| matches!(c.as_str(), "gzip" | "x-gzip" | "deflate" | "br"))
        .collect();
    if codings.is_empty() {
        return None;
    }
    let mut body: Option<Vec<u8>> = None;
    for coding in codings.iter().rev() {
        let input = body.as_deref().unwrap_or(wire);
        let out = match coding.as_str() {
            "gzip" | "x-gzip" => read_lenient(flate2::read::MultiGzDecoder::new(input), max_bytes),
            "deflate" => read_lenient(flate2::read::ZlibDecoder::new(input), max_bytes),
            _ => read_lenient(
                brotli_decompressor::Decompressor::new(input, 8192),
                max_bytes,
            ),
        };
        body = Some(out);
    }
    body
}

/// Read at most `max_bytes` from `reader`, stopping quietly at an error.
fn read_lenient(mut reader: impl Read, max_bytes: u64) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    while (out.len() as u64) < max_bytes {
        match reader.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
    out.truncate(max_bytes.min(out.len() as u64) as usize);
    out
}

fn decode_one(coding: &str, input: &[u8], max_bytes: u64) -> Result<Vec<u8>, DecodeError> {
    match coding {
        "gzip" | "x-gzip" => read_capped(flate2::read::MultiGzDecoder::new(input), max_bytes),
        // HTTP's "deflate" is zlib-wrapped, but some servers send a raw deflate stream.
        "deflate" => {
            read_capped(flate2::read::ZlibDecoder::new(input), max_bytes).or_else(|e| match e {
                DecodeError::TooLarge => Err(e),
                DecodeError::Corrupt(_) => {
                    read_capped(flate2::read::DeflateDecoder::new(input), max_bytes)
                }
            })
        }
        _ => read_capped(
            brotli_decompressor::Decompressor::new(input, 8192),
            max_bytes,
        ),
    }
}

fn read_capped(reader: impl Read, max_bytes: u64) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::new();
    reader
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| DecodeError::Corrupt(e.to_string()))?;
    if out.len() as u64 > max_bytes {
        return Err(DecodeError::TooLarge);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn a_prefix_of_a_bomb_or_a_cut_stream_is_decoded_without_failing() {
        let zeros = gzip(&vec![0u8; 4 << 20]);
        assert_eq!(
            decode_prefix(Some("gzip"), &zeros, 1000),
            Some(vec![0u8; 1000])
        );
        let text = gzip(&b"User-agent: *\nDisallow: /x/\n".repeat(1000));
        let cut = &text[..text.len() / 2];
        let prefix = decode_prefix(Some("gzip"), cut, 1 << 20).unwrap();
        assert!(prefix.starts_with(b"User-agent: *\nDisallow: /x/\n"));
        assert_eq!(decode_prefix(None, b"plain", 10), None);
    }

    #[test]
    fn identity_and_unknown_codings_pass_through() {
        assert_eq!(decode(None, b"abc", 10), Ok(None));
        assert_eq!(decode(Some("identity"), b"abc", 10), Ok(None));
        assert_eq!(decode(Some("none"), b"abc", 10), Ok(None));
    }

    #[test]
    fn gzip_deflate_and_brotli_decode() {
        let text = "政府信息公开工作年度报告".repeat(50);
        let gz = gzip(text.as_bytes());
        assert_eq!(
            decode(Some("gzip"), &gz, 1 << 20).unwrap().unwrap(),
            text.as_bytes()
        );
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(text.as_bytes()).unwrap();
        let z = z.finish().unwrap();
        assert_eq!(
            decode(Some("deflate"), &z, 1 << 20).unwrap().unwrap(),
            text.as_bytes()
        );
        let mut raw = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        raw.write_all(text.as_bytes()).unwrap();
        let raw = raw.finish().unwrap();
        assert_eq!(
            decode(Some("Deflate"), &raw, 1 << 20).unwrap().unwrap(),
            text.as_bytes()
        );
        // `brotli.compress(b"hello hello hello")` (Python's brotli module).
        let br: &[u8] = &[
            27, 16, 0, 248, 141, 148, 110, 222, 68, 85, 134, 150, 108, 32, 111, 1, 79, 28, 96, 28,
        ];
        assert_eq!(
            decode(Some("br"), br, 1 << 20).unwrap().unwrap(),
            b"hello hello hello"
        );
    }

    #[test]
    fn stacked_codings_are_undone_in_reverse() {
        let inner = gzip(b"twice");
        let outer = gzip(&inner);
        assert_eq!(
            decode(Some("gzip, gzip"), &outer, 100).unwrap().unwrap(),
            b"twice"
        );
    }

    #[test]
    fn a_bomb_stops_at_the_cap() {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(&vec![0u8; 10 << 20]).unwrap();
        let bomb = e.finish().unwrap();
        assert!(bomb.len() < 20_000, "{}", bomb.len());
        assert_eq!(
            decode(Some("gzip"), &bomb, 1 << 20),
            Err(DecodeError::TooLarge)
        );
    }

    #[test]
    fn truncated_or_false_gzip_is_corrupt() {
        let gz = gzip(b"a body that will be cut short, a body that will be cut short");
        assert!(matches!(
            decode(Some("gzip"), &gz[..gz.len() / 2], 1000),
            Err(DecodeError::Corrupt(_))
        ));
        assert!(matches!(
            decode(Some("gzip"), b"<html>not gzip</html>", 1000),
            Err(DecodeError::Corrupt(_))
        ));
    }
}
