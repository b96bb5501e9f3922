//! PDFs that are not what they claim, or are built to hurt: clean errors, bounded time.
