//! The tag names the HTML reader tells apart, and the classes the HTML standard puts them in.
//!
//! Names are matched ASCII-case-insensitively without allocating. Every element the tree
//! builder keeps on its stack has a variant here; everything else (`span`, `font`, `a`, custom
//! elements) is [`Tag::Other`] or [`Tag::Inline`] and never changes the document's structure.

/// A tag name, as far as the reader cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tag {
    // Table structure.
    Table,
    Caption,
    Colgroup,
    Col,
    Tbody,
    Thead,
    Tfoot,
    Tr,
    Td,
    Th,
    // Blocks that break the running text.
    P,
    Div,
    /// `h1`…`h6`.
    Heading(u8),
    Li,
    Ul,
    Ol,
    Section,
    Article,
    Header,
    Footer,
    Blockquote,
    Pre,
    Dd,
    Dt,
    Center,
    Hr,
    // Other special elements (they bound `</x>` searches).
    Address,
    Applet,
    Aside,
    Body,
    Br,
    Button,
    Details,
    Dialog,
    Dir,
    Dl,
    Fieldset,
    Figcaption,
    Figure,
    Form,
    Frameset,
    Head,
    Hgroup,
    Html,
    Iframe,
    Listing,
    Main,
    Marquee,
    Menu,
    Nav,
    Noembed,
    Noframes,
    Noscript,
    Object,
    Plaintext,
    Script,
    Search,
    Select,
    Style,
    Summary,
    Template,
    Textarea,
    Title,
    Xmp,
    /// `img`, `embed`, `meta`: void, and they end SVG/MathML content.
    Img,
    /// Other void elements (`input`, `link`, `image`, …).
    Void,
    // Non-special elements the reader still tracks.
    Option,
    Optgroup,
    Svg,
    Math,
    /// `font`: leaves SVG/MathML only with `color`, `face` or `size`.
    Font,
    /// Inline HTML elements that end SVG/MathML content (`b`, `span`, `strong`, …).
    Inline,
    /// Anything else.
    Other,
}

impl Tag {
    /// The tag named `name` (any case).
    pub(super) fn of(name: &str) -> Tag {
        let b = name.as_bytes();
        let mut buf = [0u8; 10];
        if b.is_empty() || b.len() > buf.len() {
            return Tag::Other;
        }
        for (d, s) in buf.iter_mut().zip(b) {
            *d = s.to_ascii_lowercase();
        }
        match &buf[..b.len()] {
            b"table" => Tag::Table,
            b"caption" => Tag::Caption,
            b"colgroup" => Tag::Colgroup,
            b"col" => Tag::Col,
            b"tbody" => Tag::Tbody,
            b"thead" => Tag::Thead,
            b"tfoot" => Tag::Tfoot,
            b"tr" => Tag::Tr,
            b"td" => Tag::Td,
            b"th" => Tag::Th,
            b"p" => Tag::P,
            b"div" => Tag::Div,
            [b'h', n @ b'1'..=b'6'] => Tag::Heading(n - b'0'),
            b"li" => Tag::Li,
            b"ul" => Tag::Ul,
            b"ol" => Tag::Ol,
            b"section" => Tag::Section,
            b"article" => Tag::Article,
            b"header" => Tag::Header,
            b"footer" => Tag::Footer,
            b"blockquote" => Tag::Blockquote,
            b"pre" => Tag::Pre,
            b"dd" => Tag::Dd,
            b"dt" => Tag::Dt,
            b"center" => Tag::Center,
            b"hr" => Tag::Hr,
            b"address" => Tag::Address,
            b"applet" => Tag::Applet,
            b"aside" => Tag::Aside,
            b"body" => Tag::Body,
            b"br" => Tag::Br,
            b"button" => Tag::Button,
            b"details" => Tag::Details,
            b"dialog" => Tag::Dialog,
            b"dir" => Tag::Dir,
            b"dl" => Tag::Dl,
            b"fieldset" => Tag::Fieldset,
            b"figcaption" => Tag::Figcaption,
            b"figure" => Tag::Figure,
            b"form" => Tag::Form,
            b"frameset" => Tag::Frameset,
            b"head" => Tag::Head,
            b"hgroup" => Tag::Hgroup,
            b"html" => Tag::Html,
            b"iframe" => Tag::Iframe,
            b"listing" => Tag::Listing,
            b"main" => Tag::Main,
            b"marquee" => Tag::Marquee,
            b"menu" => Tag::Menu,
            b"nav" => Tag::Nav,
            b"noembed" => Tag::Noembed,
            b"noframes" => Tag::Noframes,
            b"noscript" => Tag::Noscript,
            b"object" => Tag::Object,
            b"plaintext" => Tag::Plaintext,
            b"script" => Tag::Script,
            b"search" => Tag::Search,
            b"select" => Tag::Select,
            b"style" => Tag::Style,
            b"summary" => Tag::Summary,
            b"template" => Tag::Template,
            b"textarea" => Tag::Textarea,
            b"title" => Tag::Title,
            b"xmp" => Tag::Xmp,
            b"img" | b"embed" | b"meta" => Tag::Img,
            b"area" | b"base" | b"basefont" | b"bgsound" | b"image" | b"input" | b"keygen"
            | b"link" | b"param" | b"source" | b"track" | b"wbr" | b"frame" => Tag::Void,
            b"option" => Tag::Option,
            b"optgroup" => Tag::Optgroup,
            b"svg" => Tag::Svg,
            b"math" => Tag::Math,
            b"font" => Tag::Font,
            b"b" | b"big" | b"code" | b"em" | b"i" | b"nobr" | b"ruby" | b"s" | b"small"
            | b"span" | b"strong" | b"strike" | b"sub" | b"sup" | b"tt" | b"u" | b"var" => {
                Tag::Inline
            }
            _ => Tag::Other,
        }
    }

    /// Opening or closing it breaks the running text (a line, or a space inside a cell).
    pub(super) fn is_block(self) -> bool {
        use Tag::*;
        matches!(
            self,
            P | Div
                | Heading(_)
                | Li
                | Ul
                | Ol
                | Table
                | Tr
                | Section
                | Article
                | Header
                | Footer
                | Blockquote
                | Pre
                | Dd
                | Dt
                | Center
                | Hr
                | Caption
        )
    }

    /// Has no content and no end tag.
    pub(super) fn is_void(self) -> bool {
        matches!(self, Tag::Img | Tag::Void | Tag::Br | Tag::Hr | Tag::Col)
    }

    /// Its content is neither running text nor cell text.
    pub(super) fn is_skipped(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Script | Style | Noscript | Template | Head | Title | Select | Option
        )
    }

    /// In the standard's "special" category: an end tag for another element does not close it.
    pub(super) fn is_special(self) -> bool {
        use Tag::*;
        !matches!(self, Option | Optgroup | Svg | Math | Font | Inline | Other)
    }

    /// Its start tag closes an open `<p>` (the standard's list; `table` only outside quirks mode).
    pub(super) fn closes_p(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Address
                | Article
                | Aside
                | Blockquote
                | Center
                | Details
                | Dialog
                | Dir
                | Div
                | Dl
                | Fieldset
                | Figcaption
                | Figure
                | Footer
                | Header
                | Hgroup
                | Main
                | Menu
                | Section
                | Search
                | Summary
                | Nav
                | Ol
                | P
                | Ul
                | Heading(_)
                | Pre
                | Listing
                | Form
                | Plaintext
                | Xmp
                | Hr
                | Li
                | Dd
                | Dt
        )
    }

    /// Ends a search for an element "in scope" (the standard's default scope; SVG `title` too).
    pub(super) fn bounds_scope(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Applet | Caption | Html | Table | Td | Th | Marquee | Object | Template | Title
        )
    }

    /// Table, section or row: text between them is not inside any cell.
    pub(super) fn is_table_context(self) -> bool {
        matches!(
            self,
            Tag::Table | Tag::Tbody | Tag::Thead | Tag::Tfoot | Tag::Tr
        )
    }

    /// Table parts other than `table` itself (ignored outside a table, they close cells).
    pub(super) fn is_table_part(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Caption | Col | Colgroup | Tbody | Thead | Tfoot | Tr | Td | Th
        )
    }

    /// `tbody`, `thead` or `tfoot`.
    pub(super) fn is_section(self) -> bool {
        matches!(self, Tag::Tbody | Tag::Thead | Tag::Tfoot)
    }

    /// A start tag that ends SVG/MathML content (except `font`, which depends on attributes).
    pub(super) fn breaks_out_of_foreign(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Inline
                | Blockquote
                | Body
                | Br
                | Center
                | Dd
                | Div
                | Dl
                | Dt
                | Heading(_)
                | Head
                | Hr
                | Li
                | Listing
                | Menu
                | Ol
                | P
                | Pre
                | Table
                | Ul
                | Img
        )
    }
}

/// A tag: what it is, and its name as a number (to match an end tag to the element it ends).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Name {
    pub tag: Tag,
    pub id: u64,
}

impl Name {
    pub(super) fn of(name: &str) -> Name {
        Name {
            tag: Tag::of(name),
            id: name_id(name.as_bytes()),
        }
    }
}

/// FNV-1a of the lowercased name.
pub(super) const fn name_id(name: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < name.len() {
        h ^= name[i].to_ascii_lowercase() as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    h
}

/// SVG and MathML elements whose content is HTML again (the standard's integration points,
/// `svg title` aside, which is [`Tag::Title`]).
pub(super) fn is_integration_point(id: u64) -> bool {
    const IDS: [u64; 8] = [
        name_id(b"desc"),
        name_id(b"foreignobject"),
        name_id(b"mi"),
        name_id(b"mo"),
        name_id(b"mn"),
        name_id(b"ms"),
        name_id(b"mtext"),
        name_id(b"annotation-xml"),
    ];
    IDS.contains(&id)
}

#[cfg(test)]
mod tests {
    use super::{name_id, Tag};

    #[test]
    fn name_ids_ignore_case() {
        assert_eq!(name_id(b"foreignObject"), name_id(b"FOREIGNOBJECT"));
        assert_ne!(name_id(b"td"), name_id(b"th"));
    }

    #[test]
    fn names_any_case() {
        assert_eq!(Tag::of("TD"), Tag::Td);
        assert_eq!(Tag::of("Table"), Tag::Table);
        assert_eq!(Tag::of("h3"), Tag::Heading(3));
        assert_eq!(Tag::of("h7"), Tag::Other);
        assert_eq!(Tag::of("o:p"), Tag::Other);
        assert_eq!(Tag::of("blockquote"), Tag::Blockquote);
        assert_eq!(Tag::of("blockquotes"), Tag::Other);
        assert_eq!(Tag::of(""), Tag::Other);
    }
}
