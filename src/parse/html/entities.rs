//! Character references (`&nbsp;`, `&#20013;`, `&copy`) in text, decoded as the HTML standard
//! does: every named reference of the standard's table (html5ever's copy), with and without
//! `;`, the longest that fits; decimal and hex references with the standard's replacements
//! (NUL, surrogates and out-of-range values → U+FFFD, C1 controls → Windows-1252). NUL
//! characters in the text itself are dropped in ordinary text and replaced by U+FFFD in raw
//! text and `title`, as html5ever's tree builder does.

use std::borrow::Cow;

/// Text with its character references decoded and NUL characters dropped, or replaced by
/// `nul` (borrowed when there are neither).
pub(super) fn decode(raw: &str, nul: Option<char>) -> Cow<'_, str> {
    if !raw.contains('&') && !raw.contains('\0') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(k) = rest.find(['&', '\0']) {
        out.push_str(&rest[..k]);
        if rest.as_bytes()[k] == 0 {
            out.extend(nul);
            rest = &rest[k + 1..];
            continue;
        }
        let after = &rest[k + 1..];
        match reference(after) {
            Some((chars, used)) => {
                out.extend(chars.into_iter().flatten());
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The character reference at the start of `s` (just after `&`): its characters and how many
/// bytes it used.
fn reference(s: &str) -> Option<([Option<char>; 2], usize)> {
    let b = s.as_bytes();
    if b.first() == Some(&b'#') {
        let hex = matches!(b.get(1), Some(b'x' | b'X'));
        let from = if hex { 2 } else { 1 };
        let digits = b[from..]
            .iter()
            .take_while(|c| {
                if hex {
                    c.is_ascii_hexdigit()
                } else {
                    c.is_ascii_digit()
                }
            })
            .count();
        if digits == 0 {
            return None;
        }
        let radix = if hex { 16 } else { 10 };
        let value = b[from..from + digits].iter().fold(0u32, |n, &c| {
            let d = (c as char).to_digit(radix).unwrap_or(0);
            n.saturating_mul(radix).saturating_add(d)
        });
        let mut used = from + digits;
        if b.get(used) == Some(&b';') {
            used += 1;
        }
        return Some(([Some(numeric(value)), None], used));
    }
    let run = b
        .iter()
        .take(MAX_NAME)
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    if run == 0 {
        return None;
    }
    let named = |key: &str| {
        html5ever::data::NAMED_ENTITIES
            .get(key)
            .filter(|(c, _)| *c != 0)
            .map(|&(c1, c2)| [char::from_u32(c1), char::from_u32(c2).filter(|_| c2 != 0)])
    };
    if b.get(run) == Some(&b';') {
        if let Some(chars) = named(&s[..=run]) {
            return Some((chars, run + 1));
        }
    }
    // Legacy references without `;` (`&nbsp`, `&copy`): the longest one that fits.
    (2..=run)
        .rev()
        .find_map(|k| named(&s[..k]).map(|chars| (chars, k)))
}

/// Longest named reference in the standard's table (`&CounterClockwiseContourIntegral;`).
const MAX_NAME: usize = 32;

/// A numeric reference's character, with the standard's replacements.
fn numeric(n: u32) -> char {
    match n {
        0 => '\u{fffd}',
        0x80..=0x9f => html5ever::data::C1_REPLACEMENTS[(n - 0x80) as usize]
            .unwrap_or_else(|| char::from_u32(n).unwrap_or('\u{fffd}')),
        _ => char::from_u32(n).unwrap_or('\u{fffd}'),
    }
}

/// Raw text with NUL characters replaced by U+FFFD.
pub(super) fn raw(text: &str) -> Cow<'_, str> {
    if text.contains('\0') {
        Cow::Owned(text.replace('\0', "\u{fffd}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(s: &str) -> Cow<'_, str> {
        super::decode(s, None)
    }

    #[test]
    fn character_references() {
        assert_eq!(decode("a&nbsp;b"), "a\u{a0}b");
        assert_eq!(decode("&lt;&gt;&amp;&quot;"), "<>&\"");
        assert_eq!(decode("&nbspx &copy2019"), "\u{a0}x ©2019");
        assert_eq!(decode("&notit; &notin;"), "¬it; ∉");
        assert_eq!(decode("&#20013;&#x6587;&#X4E2D"), "中文中");
        assert_eq!(decode("&#0;&#x110000;&#150;"), "\u{fffd}\u{fffd}\u{2013}");
        assert_eq!(decode("&unknown; & &#; a\0b"), "&unknown; & &#; ab");
        assert_eq!(decode("&NotNestedGreaterGreater;"), "\u{2aa2}\u{338}");
        assert!(matches!(decode("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn nul_characters() {
        assert_eq!(super::decode("a\0b&amp;", Some('\u{fffd}')), "a\u{fffd}b&");
        assert_eq!(raw("a\0b"), "a\u{fffd}b");
    }
}
