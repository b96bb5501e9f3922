//! The archive's schema as numbered migrations. `PRAGMA user_version` records how many have
//! been applied; a migration, once released, is never edited — a change is a new migration.
//!
//! Tables (one SQLite file a person can open in sqlite3 or Datasette):
//! - `seeds`: listing URLs to start from, remembered across runs.
//! - `frontier`: every URL ever discovered, with its kind, state and retry bookkeeping. The
//!   crawl's to-do list and seen-set live here, not in memory.
//! - `hosts`: per-host robots.txt and politeness state for the status page.
//! - `pages`: every response with content: headers, raw bytes (zstd), decoded text.
//! - `documents`: report documents (detail page bodies and attachment files), by byte hash.
//! - `reports`: unique reports keyed by the hash of their normalised text; `report_urls`
//!   lists every URL a report was found at.
//! - `cells`, `checks`, `warnings`: parsed tables (one row per cell), consistency checks, parse
//!   warnings; `cells_active`/`cells_requests`/`cells_appeals` are wide views.
//! - `runs`: one row per crawl with its counts.
//! - `reports_fts` (migration 2): FTS5 full-text index over reports' title, agency and text.
//! - `warc_payloads` (migration 3): payloads written in full to the WARC output, by digest.
//! - `fts_settings`, `fts_pending` (migration 4): search indexing deferred during a crawl.
//! - `analysis_queue` (migration 5): pages a `crawl --fetch-only` archived whose extraction,
//!   parsing and checks are still to run (`nianbao analyse`, or the next full crawl).
//! - `findings`, `reports.portal`, `portal_agencies`, `copy_signatures`, `copy_bands`
//!   (migration 8): findings per report (SPEC §6), what the spring review groups and expects
//!   (SPEC §7), and the index behind near-copy detection.
//! - `doubts` (migration 6): cells, rows and tables the parser read with less than full
//!   certainty (placed by position or elimination, named by a fuzzy label, found by a
//!   fallback, implausible), one row each with its kind and a sentence.
//! - `page_links`, `notices`, `reports.identity` (migration 7): what pages that are not
//!   reports say about reports (an announcement's files and their metadata, a correction's
//!   report), and where each report's title, agency and date came from.

/// Migrations in order; index + 1 is the resulting `user_version`.
pub const MIGRATIONS: &[&str] = &[
    MIGRATION_1,
    MIGRATION_2,
    MIGRATION_3,
    MIGRATION_4,
    MIGRATION_5,
    MIGRATION_6,
    MIGRATION_7,
    MIGRATION_8,
];

const MIGRATION_1: &str = r#"
CREATE TABLE seeds (
    id        INTEGER PRIMARY KEY,
    url       TEXT NOT NULL UNIQUE,
    portal    TEXT,
    region    TEXT,
    added_at  TEXT NOT NULL
);

CREATE TABLE frontier (
    id               INTEGER PRIMARY KEY,
    key              TEXT NOT NULL UNIQUE,   -- method, URL and POST body: what makes a request unique
    url              TEXT NOT NULL,
    method           TEXT NOT NULL DEFAULT 'GET',
    body             TEXT,
    referer          TEXT,
    kind             TEXT NOT NULL,          -- listing | hanweb_proxy | json_api | detail | attachment
    priority         INTEGER NOT NULL DEFAULT 1,  -- 0 listings (discover first), 1 documents
    host             TEXT NOT NULL,
    depth            INTEGER NOT NULL,
    title            TEXT,
    parent_id        INTEGER,
    state            TEXT NOT NULL,          -- queued | done | not_modified | failed | blocked | disallowed | offscope | not_report
    attempts         INTEGER NOT NULL DEFAULT 0,
    redirects        INTEGER NOT NULL DEFAULT 0,  -- redirect hops that led here
    next_attempt_at  INTEGER NOT NULL DEFAULT 0,  -- unix ms
    last_error       TEXT,
    last_status      INTEGER,
    etag             TEXT,
    last_modified    TEXT,
    fetched_at       INTEGER,                -- unix ms of the last completed fetch
    run_id           INTEGER,                -- run that last changed the state
    discovered_at    INTEGER NOT NULL
);
-- Serves "next due requests of this host" in scheduling order without sorting the queue.
CREATE INDEX frontier_queue ON frontier(host, state, priority, depth, id);
CREATE INDEX frontier_state ON frontier(state);
CREATE INDEX frontier_kind ON frontier(kind, state);

CREATE TABLE hosts (
    host               TEXT PRIMARY KEY,
    robots_status      TEXT,       -- allow_all (404) | parsed | disallow_all (401/403) | unreachable
    robots_txt         TEXT,
    robots_fetched_at  INTEGER,
    crawl_delay_secs   REAL,
    state              TEXT,       -- ok | blocked | robots_unreachable | failing
    last_error         TEXT,
    updated_at         INTEGER
);

CREATE TABLE pages (
    id             INTEGER PRIMARY KEY,
    frontier_id    INTEGER NOT NULL REFERENCES frontier(id),
    run_id         INTEGER,
    url            TEXT NOT NULL,
    final_url      TEXT NOT NULL,
    status         INTEGER NOT NULL,
    fetched_at     INTEGER NOT NULL,
    headers        TEXT NOT NULL,          -- JSON object
    content_type   TEXT,
    etag           TEXT,
    last_modified  TEXT,
    raw_sha256     TEXT NOT NULL,
    raw_len        INTEGER NOT NULL,
    raw_zstd       BLOB NOT NULL,          -- bytes as fetched (after transfer decoding), zstd-compressed
    encoding       TEXT,
    text           TEXT                    -- decoded text (HTML, XML, JSON); NULL for binary files
);
CREATE INDEX pages_frontier ON pages(frontier_id);
CREATE INDEX pages_sha ON pages(raw_sha256);

CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    sha256        TEXT NOT NULL UNIQUE,    -- of the raw bytes
    page_id       INTEGER NOT NULL REFERENCES pages(id),
    url           TEXT NOT NULL,
    kind          TEXT NOT NULL,           -- html | pdf | docx | doc | wps | xls | image | other
    filename      TEXT,
    text          TEXT,                    -- extracted report text
    text_sha256   TEXT,
    report_id     TEXT REFERENCES reports(id),
    status        TEXT NOT NULL,           -- report | not_report | unparsed: doc | needs_ocr | error: …
    created_at    INTEGER NOT NULL
);
CREATE INDEX documents_report ON documents(report_id);
CREATE INDEX documents_text ON documents(text_sha256);

CREATE TABLE reports (
    id                TEXT PRIMARY KEY,    -- sha256 of the normalised report text (SPEC §4 id)
    title             TEXT,
    agency            TEXT,
    year              INTEGER,
    format            TEXT,                -- 2021 | 2019 | legacy | NULL (not parsed)
    source            TEXT NOT NULL,       -- html | pdf | docx | doc | wps | text
    status            TEXT NOT NULL,       -- parsed | legacy | unparsed: … | needs_ocr
    published         TEXT,
    region            TEXT,
    main_document_id  INTEGER REFERENCES documents(id),
    text              TEXT NOT NULL,
    previous_id       TEXT,                -- older version of the same page, when it changed upstream
    first_seen_at     INTEGER NOT NULL,
    last_seen_at      INTEGER NOT NULL,
    parsed_at         INTEGER
);
CREATE INDEX reports_agency_year ON reports(agency, year);

CREATE TABLE report_urls (
    report_id      TEXT NOT NULL REFERENCES reports(id),
    url            TEXT NOT NULL,
    kind           TEXT NOT NULL,          -- detail | attachment
    first_seen_at  INTEGER NOT NULL,
    PRIMARY KEY (report_id, url)
);
CREATE INDEX report_urls_url ON report_urls(url);

CREATE TABLE cells (
    report_id  TEXT NOT NULL REFERENCES reports(id),
    tbl        TEXT NOT NULL,              -- active | requests | appeals
    row        TEXT NOT NULL,
    col        TEXT NOT NULL,
    value      NUMERIC,                    -- NULL for blank, /, -, —, 无, missing
    raw        TEXT NOT NULL,
    origin     TEXT NOT NULL,              -- read | inferred
    PRIMARY KEY (report_id, tbl, row, col)
) WITHOUT ROWID;

CREATE TABLE checks (
    report_id  TEXT NOT NULL REFERENCES reports(id),
    rule       TEXT NOT NULL,
    ok         INTEGER NOT NULL,
    left       NUMERIC NOT NULL,
    right      NUMERIC NOT NULL,
    cells      TEXT,                       -- JSON list of table.row.column the rule reads
    PRIMARY KEY (report_id, rule)
);

CREATE TABLE warnings (
    report_id  TEXT NOT NULL REFERENCES reports(id),
    message    TEXT NOT NULL
);
CREATE INDEX warnings_report ON warnings(report_id);

CREATE TABLE runs (
    id           INTEGER PRIMARY KEY,
    started_at   TEXT NOT NULL,
    ended_at     TEXT,
    status       TEXT NOT NULL,            -- running | done | interrupted | failed
    pid          INTEGER,
    seeds        INTEGER,
    fetched      INTEGER NOT NULL DEFAULT 0,
    not_modified INTEGER NOT NULL DEFAULT 0,
    reports_new  INTEGER NOT NULL DEFAULT 0,
    reports_seen INTEGER NOT NULL DEFAULT 0,
    failed       INTEGER NOT NULL DEFAULT 0,
    blocked      INTEGER NOT NULL DEFAULT 0,
    disallowed   INTEGER NOT NULL DEFAULT 0,
    offscope     INTEGER NOT NULL DEFAULT 0,
    bytes        INTEGER NOT NULL DEFAULT 0,
    summary      TEXT                      -- JSON: failures by reason, per-host outcomes
);

CREATE VIEW cells_active AS
SELECT report_id,
  MAX(CASE WHEN row='regulations' AND col='issued' THEN value END) AS regulations_issued,
  MAX(CASE WHEN row='regulations' AND col='repealed' THEN value END) AS regulations_repealed,
  MAX(CASE WHEN row='regulations' AND col='in_force' THEN value END) AS regulations_in_force,
  MAX(CASE WHEN row='regulations' AND col='made' THEN value END) AS regulations_made,
  MAX(CASE WHEN row='regulations' AND col='published' THEN value END) AS regulations_published,
  MAX(CASE WHEN row='regulations' AND col='total_public' THEN value END) AS regulations_total_public,
  MAX(CASE WHEN row='normative_documents' AND col='issued' THEN value END) AS normative_documents_issued,
  MAX(CASE WHEN row='normative_documents' AND col='repealed' THEN value END) AS normative_documents_repealed,
  MAX(CASE WHEN row='normative_documents' AND col='in_force' THEN value END) AS normative_documents_in_force,
  MAX(CASE WHEN row='normative_documents' AND col='made' THEN value END) AS normative_documents_made,
  MAX(CASE WHEN row='normative_documents' AND col='published' THEN value END) AS normative_documents_published,
  MAX(CASE WHEN row='normative_documents' AND col='total_public' THEN value END) AS normative_documents_total_public,
  MAX(CASE WHEN row='licensing' AND col='decisions' THEN value END) AS licensing_decisions,
  MAX(CASE WHEN row='licensing' AND col='previous_items' THEN value END) AS licensing_previous_items,
  MAX(CASE WHEN row='licensing' AND col='change' THEN value END) AS licensing_change,
  MAX(CASE WHEN row='other_services' AND col='decisions' THEN value END) AS other_services_decisions,
  MAX(CASE WHEN row='punishment' AND col='decisions' THEN value END) AS punishment_decisions,
  MAX(CASE WHEN row='coercion' AND col='decisions' THEN value END) AS coercion_decisions,
  MAX(CASE WHEN row='fees' AND col='amount' THEN value END) AS fees_amount,
  MAX(CASE WHEN row='procurement' AND col='items' THEN value END) AS procurement_items,
  MAX(CASE WHEN row='procurement' AND col='amount' THEN value END) AS procurement_amount
FROM cells WHERE tbl = 'active' GROUP BY report_id;

CREATE VIEW cells_appeals AS
SELECT report_id,
  MAX(CASE WHEN row='review' AND col='upheld' THEN value END) AS review_upheld,
  MAX(CASE WHEN row='review' AND col='corrected' THEN value END) AS review_corrected,
  MAX(CASE WHEN row='review' AND col='other' THEN value END) AS review_other,
  MAX(CASE WHEN row='review' AND col='pending' THEN value END) AS review_pending,
  MAX(CASE WHEN row='review' AND col='total' THEN value END) AS review_total,
  MAX(CASE WHEN row='litigation_direct' AND col='upheld' THEN value END) AS litigation_direct_upheld,
  MAX(CASE WHEN row='litigation_direct' AND col='corrected' THEN value END) AS litigation_direct_corrected,
  MAX(CASE WHEN row='litigation_direct' AND col='other' THEN value END) AS litigation_direct_other,
  MAX(CASE WHEN row='litigation_direct' AND col='pending' THEN value END) AS litigation_direct_pending,
  MAX(CASE WHEN row='litigation_direct' AND col='total' THEN value END) AS litigation_direct_total,
  MAX(CASE WHEN row='litigation_after_review' AND col='upheld' THEN value END) AS litigation_after_review_upheld,
  MAX(CASE WHEN row='litigation_after_review' AND col='corrected' THEN value END) AS litigation_after_review_corrected,
  MAX(CASE WHEN row='litigation_after_review' AND col='other' THEN value END) AS litigation_after_review_other,
  MAX(CASE WHEN row='litigation_after_review' AND col='pending' THEN value END) AS litigation_after_review_pending,
  MAX(CASE WHEN row='litigation_after_review' AND col='total' THEN value END) AS litigation_after_review_total
FROM cells WHERE tbl = 'appeals' GROUP BY report_id;
"#;

/// Full-text search over reports (`nianbao serve`, `nianbao search`, Datasette).
///
/// `reports_fts` is an external-content FTS5 table: it stores only the index, the text stays
/// in `reports`, addressed by the implicit rowid (`reports` has a TEXT primary key but is not
/// WITHOUT ROWID). The trigram tokenizer indexes every 3-character window, so any Chinese
/// substring of three or more characters matches without a word segmenter; shorter queries
/// fall back to LIKE in `browse::search`. `content="reports"` is spelled with double quotes
/// because that is the form Datasette looks for to offer search on the `reports` table.
///
/// Triggers keep the index in step with `reports`; the update trigger fires only when an
/// indexed column changes value, so the crawl's `last_seen_at` updates and unchanged re-parses
/// do not re-index the text.
/// Caveat: `VACUUM` may renumber implicit rowids; after a VACUUM run
/// `INSERT INTO reports_fts(reports_fts) VALUES('rebuild')`.
///
/// The indexes keep the web UI fast on large archives: `reports_browse` covers every column
/// the report list filters, facets and counts on (so those queries scan a small index instead
/// of rows holding whole report texts); `checks_failing` answers "does this report fail a
/// check" with one probe; `cells_totals` holds just the 总计 column the key figures sum;
/// `reports_previous` finds replaced versions without reading every report.
const MIGRATION_2: &str = r#"
CREATE VIRTUAL TABLE reports_fts USING fts5(
    title, agency, text,
    content="reports", content_rowid="rowid",
    tokenize="trigram"
);

CREATE TRIGGER reports_fts_insert AFTER INSERT ON reports BEGIN
    INSERT INTO reports_fts(rowid, title, agency, text) VALUES (new.rowid, new.title, new.agency, new.text);
END;

CREATE TRIGGER reports_fts_delete AFTER DELETE ON reports BEGIN
    INSERT INTO reports_fts(reports_fts, rowid, title, agency, text)
    VALUES ('delete', old.rowid, old.title, old.agency, old.text);
END;

CREATE TRIGGER reports_fts_update AFTER UPDATE OF title, agency, text ON reports
WHEN old.title IS NOT new.title OR old.agency IS NOT new.agency OR old.text IS NOT new.text
BEGIN
    INSERT INTO reports_fts(reports_fts, rowid, title, agency, text)
    VALUES ('delete', old.rowid, old.title, old.agency, old.text);
    INSERT INTO reports_fts(rowid, title, agency, text) VALUES (new.rowid, new.title, new.agency, new.text);
END;

INSERT INTO reports_fts(reports_fts) VALUES ('rebuild');

CREATE INDEX reports_browse ON reports(year, format, source, status, region, agency, id);
CREATE INDEX checks_failing ON checks(report_id) WHERE ok = 0;
CREATE INDEX cells_totals ON cells(report_id, tbl, row, value) WHERE col = 'total';
CREATE INDEX reports_previous ON reports(previous_id) WHERE previous_id IS NOT NULL;
"#;

/// The WARC output's memory of payloads written in full (see [`super::warc`]): a later fetch
/// with the same payload digest becomes a revisit record referring to this one.
const MIGRATION_3: &str = r#"
CREATE TABLE warc_payloads (
    digest     TEXT PRIMARY KEY,  -- WARC-Payload-Digest, sha1:<base32>
    record_id  TEXT NOT NULL,     -- the response record holding the payload
    target_uri TEXT NOT NULL,
    date       TEXT NOT NULL,     -- its WARC-Date
    written    INTEGER NOT NULL   -- 0 while claimed, 1 once the record is on disk
) WITHOUT ROWID;
"#;

/// Deferred search indexing for the crawl. Indexing each report as it is stored made SQLite
/// flush a small FTS5 segment at every commit and merge them, the biggest single cost of a
/// crawl. While `fts_settings.defer` is 1 (set by the crawl for its duration) new reports are
/// listed in `fts_pending` instead, and [`crate::archive::Archive::flush_search_index`] indexes
/// them in bulk (every few thousand reports and at the end of the run). Other writers
/// (`reparse`, tests, a person in sqlite3) see `defer = 0` and index at once, as before.
/// Updates and deletes of a report still pending only touch `fts_pending`: the index holds
/// nothing for it yet.
const MIGRATION_4: &str = r#"
CREATE TABLE fts_settings (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    defer INTEGER NOT NULL
);
INSERT INTO fts_settings VALUES (1, 0);
CREATE TABLE fts_pending (rowid INTEGER PRIMARY KEY);

DROP TRIGGER reports_fts_insert;
DROP TRIGGER reports_fts_delete;
DROP TRIGGER reports_fts_update;

CREATE TRIGGER reports_fts_insert AFTER INSERT ON reports
WHEN (SELECT defer FROM fts_settings) = 0
BEGIN
    INSERT INTO reports_fts(rowid, title, agency, text) VALUES (new.rowid, new.title, new.agency, new.text);
END;

CREATE TRIGGER reports_fts_insert_deferred AFTER INSERT ON reports
WHEN (SELECT defer FROM fts_settings) = 1
BEGIN
    INSERT OR IGNORE INTO fts_pending(rowid) VALUES (new.rowid);
END;

CREATE TRIGGER reports_fts_delete AFTER DELETE ON reports BEGIN
    INSERT INTO reports_fts(reports_fts, rowid, title, agency, text)
    SELECT 'delete', old.rowid, old.title, old.agency, old.text
    WHERE NOT EXISTS (SELECT 1 FROM fts_pending WHERE rowid = old.rowid);
    DELETE FROM fts_pending WHERE rowid = old.rowid;
END;

CREATE TRIGGER reports_fts_update AFTER UPDATE OF title, agency, text ON reports
WHEN (old.title IS NOT new.title OR old.agency IS NOT new.agency OR old.text IS NOT new.text)
     AND NOT EXISTS (SELECT 1 FROM fts_pending WHERE rowid = old.rowid)
BEGIN
    INSERT INTO reports_fts(reports_fts, rowid, title, agency, text)
    VALUES ('delete', old.rowid, old.title, old.agency, old.text);
    INSERT INTO reports_fts(rowid, title, agency, text) VALUES (new.rowid, new.title, new.agency, new.text);
END;
"#;

/// The analysis queue of fetch-only crawls (see [`super::analysis`]): one row per archived
/// detail page or attachment not yet extracted, parsed and checked. `content_disposition` keeps
/// that header's raw bytes (an attachment's file name may be GBK, which `pages.headers`, a
/// JSON text, cannot hold).
const MIGRATION_5: &str = r#"
CREATE TABLE analysis_queue (
    page_id             INTEGER PRIMARY KEY REFERENCES pages(id),
    content_disposition BLOB
);
"#;

/// Doubts about parsed tables ([`crate::model::Doubt`]): the whole table when `row` is NULL,
/// a whole row when `col` is NULL, else one cell. Written with the cells by `save_parse`
/// (crawl, `analyse`, `reparse`), read into the export record's `doubts`.
const MIGRATION_6: &str = r#"
CREATE TABLE doubts (
    report_id  TEXT NOT NULL REFERENCES reports(id),
    tbl        TEXT NOT NULL,              -- active | requests | appeals
    row        TEXT,                       -- NULL: the whole table
    col        TEXT,                       -- NULL: the whole row
    kind       TEXT NOT NULL,              -- fuzzy_label | position | elimination | column_major | located | unplaced | implausible
    detail     TEXT NOT NULL
);
CREATE INDEX doubts_report ON doubts(report_id);
"#;

/// Pages about reports that are not reports (see [`crate::analyse::announce`]), and the
/// provenance of each report's identifying fields.
///
/// - `page_links`: one row per report file an announcement page links to, with the metadata
///   the page gives that file (its title and agency only where they belong to it; the page's
///   date). The file's report lists the page's URL and takes the metadata it lacks.
/// - `notices`: corrections of reports (更正说明), by URL, with the report they name; a report's
///   record lists the corrections that name it.
/// - `reports.identity`: JSON `{title, agency, published, doubts}` (sources and doubts).
const MIGRATION_7: &str = r#"
ALTER TABLE reports ADD COLUMN identity TEXT;

CREATE TABLE page_links (
    page_url   TEXT NOT NULL,   -- the announcing page (its request URL)
    file_url   TEXT NOT NULL,   -- a report file it links to
    title      TEXT,            -- the report title that belongs to this file, if the page gives one
    agency     TEXT,
    published  TEXT,            -- the page's publication date
    PRIMARY KEY (page_url, file_url)
) WITHOUT ROWID;
CREATE INDEX page_links_file ON page_links(file_url);

CREATE TABLE notices (
    url           TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,    -- correction
    title         TEXT NOT NULL,
    report_title  TEXT,             -- the report it names
    agency        TEXT,
    year          INTEGER,
    published     TEXT
) WITHOUT ROWID;
CREATE INDEX notices_year ON notices(year);
"#;

/// Findings and the spring review (SPEC §6–§7).
///
/// - `findings`: one row per finding of a report: its kind and severity as columns (to query
///   and count), the finding as SPEC §6's JSON object in `finding` (kind, severity, detail and
///   the kind's fields). Replaced whenever the report is (re)analysed.
/// - `reports.portal`: the portal a report was found under (its seeds-file entry's `name`, or
///   the seed URL's host), which `review` groups by.
/// - `portal_agencies`: agencies a seeds-file entry expects a report from every year
///   (`agencies = [...]`).
/// - `copy_signatures`, `copy_bands`: each report's MinHash signature of its masked text and
///   its LSH band keys ([`crate::analyse::findings::copies`]), so a new report is compared only
///   with the reports sharing a band, not with every other.
const MIGRATION_8: &str = r#"
CREATE TABLE findings (
    report_id  TEXT NOT NULL REFERENCES reports(id),
    kind       TEXT NOT NULL,              -- narrative_mismatch | late | edited | copied | outdated_format | missing_table | missing_rows
    severity   TEXT NOT NULL,              -- error | warning | notice
    finding    TEXT NOT NULL               -- SPEC §6 JSON object
);
CREATE INDEX findings_report ON findings(report_id);
CREATE INDEX findings_kind ON findings(kind, severity);

ALTER TABLE reports ADD COLUMN portal TEXT;

CREATE TABLE portal_agencies (
    portal  TEXT NOT NULL,
    agency  TEXT NOT NULL,
    PRIMARY KEY (portal, agency)
) WITHOUT ROWID;

CREATE TABLE copy_signatures (
    report_id  TEXT PRIMARY KEY REFERENCES reports(id),
    version    INTEGER NOT NULL,           -- copies::SIGNATURE_VERSION it was made with
    signature  BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE copy_bands (
    band       INTEGER NOT NULL,           -- BandKey::key_i64
    report_id  TEXT NOT NULL,
    PRIMARY KEY (band, report_id)
) WITHOUT ROWID;
CREATE INDEX copy_bands_report ON copy_bands(report_id);
"#;

/// `CREATE VIEW cells_requests` (one column per row × applicant column), generated from the
/// model's schema so the 182 column names cannot drift from SPEC.
pub fn requests_view_sql() -> String {
    use crate::model::{REQUESTS, REQUEST_COLUMNS};
    let mut sql = String::from("CREATE VIEW IF NOT EXISTS cells_requests AS SELECT report_id");
    for row in REQUESTS {
        for col in REQUEST_COLUMNS {
            sql.push_str(&format!(
                ",\n  MAX(CASE WHEN row='{r}' AND col='{c}' THEN value END) AS {r}__{c}",
                r = row.key,
                c = col
            ));
        }
    }
    sql.push_str("\nFROM cells WHERE tbl = 'requests' GROUP BY report_id;");
    sql
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::Archive;

    #[test]
    fn an_archive_from_before_the_analysis_queue_is_migrated_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            // An archive as the previous release left it: four migrations, one stored page.
            let conn = rusqlite::Connection::open(&path).unwrap();
            let mut batch = format!("BEGIN;\n{}\n{}\n", MIGRATIONS[0], requests_view_sql());
            for sql in &MIGRATIONS[1..4] {
                batch.push_str(sql);
                batch.push('\n');
            }
            batch.push_str("PRAGMA user_version = 4;\nCOMMIT;");
            conn.execute_batch(&batch).unwrap();
            conn.execute(
                "INSERT INTO frontier (key, url, kind, host, depth, state, discovered_at)
                 VALUES ('k', 'http://127.0.0.2/a.html', 'detail', '127.0.0.2', 1, 'done', 0)",
                [],
            )
            .unwrap();
        }
        let a = Archive::open(&path).unwrap();
        let version: i64 = a
            .conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version as usize, MIGRATIONS.len());
        assert_eq!(a.analysis_backlog().unwrap(), 0);
        let kept: i64 = a
            .conn()
            .query_row("SELECT count(*) FROM frontier", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept, 1);
        assert_eq!(a.integrity_check().unwrap(), "ok");
        let doubts: i64 = a
            .conn()
            .query_row("SELECT count(*) FROM doubts", [], |r| r.get(0))
            .unwrap();
        assert_eq!(doubts, 0, "migration 6 adds the (empty) doubts table");
    }
}
