//! DOCX and DOC/WPS attachments.
