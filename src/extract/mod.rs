//! Bytes → text and metadata: charset decoding, the body and metadata of detail pages,
//! attachment files, and the normalised text whose hash identifies a report.
//!
//! Pure functions of bytes (plus the URL they came from); nothing here fetches or stores.

pub mod attachment;
pub mod charset;
pub mod doc;
pub mod docx;
pub mod file;
pub mod normalize;
pub mod page;
pub mod pdf;
pub mod sniff;
