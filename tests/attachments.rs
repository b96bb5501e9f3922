//! Integration tests: attachments.
