//! Bytes → text and metadata: charset decoding, the body and metadata of detail pages,
//! the text and tables of report files, and the normalised text whose hash identifies a report.
//!
//! Takes a document's bytes (plus the URL and headers they came with); gives text, grids and
//! metadata to [`crate::analyse`], which hands them to [`crate::parse`]. Pure functions of bytes,
//! apart from the external converters report files go through ([`file`](mod@file)); nothing here fetches
//! or stores.

pub mod attachment;
pub mod charset;
pub mod doc;
pub mod docx;
pub mod file;
pub mod normalize;
pub mod page;
pub mod pdf;
pub mod sniff;
