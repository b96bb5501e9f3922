//! Deferred search indexing (see migration 4 in [`super::schema`]): during a crawl new
//! reports wait in `fts_pending` and are indexed in bulk, which costs a fraction of indexing
//! each one at every commit.

use super::{Archive, Result};

/// During a crawl, pending reports are indexed whenever this many have gathered, so search in
/// a long crawl is never far behind.
pub const FLUSH_EVERY: u64 = 2000;

impl Archive {
    /// Defer (true) or resume (false) indexing new reports as they are inserted.
    pub fn defer_search_index(&self, defer: bool) -> Result<()> {
        self.exec("UPDATE fts_settings SET defer = ?1", [defer])
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Index every pending report; returns how many.
    pub fn flush_search_index(&self) -> Result<usize> {
        let n = self
            .exec(
                "INSERT INTO reports_fts(rowid, title, agency, text)
                 SELECT r.rowid, r.title, r.agency, r.text
                 FROM fts_pending p JOIN reports r ON r.rowid = p.rowid",
                [],
            )
            .map_err(|e| self.err(e))?;
        self.exec("DELETE FROM fts_pending", [])
            .map_err(|e| self.err(e))?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(a: &Archive, q: &str) -> i64 {
        a.conn()
            .query_row(
                "SELECT count(*) FROM reports_fts WHERE reports_fts MATCH ?1",
                [q],
                |r| r.get(0),
            )
            .unwrap()
    }

    fn insert(a: &Archive, id: &str, text: &str) {
        a.conn()
            .execute(
                "INSERT INTO reports (id, source, status, text, first_seen_at, last_seen_at)
                 VALUES (?1, 'html', 'parsed', ?2, 0, 0)",
                [id, text],
            )
            .unwrap();
    }

    #[test]
    fn deferred_reports_are_found_after_the_flush_and_updates_stay_consistent() {
        let dir = tempfile::tempdir().unwrap();
        let a = Archive::open(&dir.path().join("a.db")).unwrap();
        insert(&a, "now", "西夏区政府信息公开年报");
        assert_eq!(search(&a, "西夏区"), 1, "indexed at once by default");
        a.defer_search_index(true).unwrap();
        insert(&a, "later", "黄中县政府信息公开年报");
        insert(&a, "gone", "临江市政府信息公开年报");
        assert_eq!(search(&a, "黄中县"), 0, "pending");
        // Changing or deleting a pending report touches only the pending list.
        a.conn()
            .execute(
                "UPDATE reports SET text = '黄中县人民政府年报' WHERE id = 'later'",
                [],
            )
            .unwrap();
        a.conn()
            .execute("DELETE FROM reports WHERE id = 'gone'", [])
            .unwrap();
        assert_eq!(a.flush_search_index().unwrap(), 1);
        a.defer_search_index(false).unwrap();
        assert_eq!(search(&a, "黄中县人民"), 1);
        assert_eq!(search(&a, "临江市"), 0);
        // Indexed reports are updated and deleted in the index as before.
        a.conn()
            .execute(
                "UPDATE reports SET text = '西夏区人民政府' WHERE id = 'now'",
                [],
            )
            .unwrap();
        assert_eq!(search(&a, "信息公开"), 0);
        a.conn()
            .execute("DELETE FROM reports WHERE id = 'now'", [])
            .unwrap();
        assert_eq!(search(&a, "西夏区"), 0);
        a.conn()
            .execute(
                "INSERT INTO reports_fts(reports_fts) VALUES ('integrity-check')",
                [],
            )
            .unwrap();
    }
}
