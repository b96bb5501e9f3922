//! Legacy OLE attachments (.doc, .wps) → text.

/// Why a DOC/WPS file gave no text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DocError {
    /// No converter can read this file.
    #[error("unsupported document")]
    Unsupported,
}

/// Extract the text of a DOC or WPS file.
pub fn extract(bytes: &[u8]) -> Result<String, DocError> {
    let _ = bytes;
    Err(DocError::Unsupported)
}
