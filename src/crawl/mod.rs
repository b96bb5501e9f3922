//! The crawl engine: scheduler, fetch workers and the single archive writer.
