//! Browsing the archive: the read-only web UI of `nianbao serve` and the queries behind the
//! CLI's `list`, `show`, `search` and `stats`.
//!
//! ## Layout
//!
//! - `mod.rs`: [`AppState`], [`app`] (the router of SPEC §5), the guard every request passes
//!   (GET/HEAD only, security headers, JSON errors for `.json` paths), [`Error`].
//! - [`pool`]: read-only connections borrowed per request.
//! - [`filter`] and [`query`]: the report list (filters, sort, facets, pages); [`search`]: FTS5 trigram
//!   search with a LIKE fallback; [`figures`]: key figures, the overview, one agency.
//! - Pages, one file each: `overview.rs` (`/`, with SVG charts from `svg.rs`), `reports.rs`
//!   (`/reports`), `report.rs` (`/reports/{id}`, tables as on the official form from `form.rs`),
//!   `agencies.rs`, `runs.rs`; `layout.rs` holds the page shell and style sheet.
//! - [`terminal`]: the CLI's text tables.
//! - [`server`]: the connection loop of `nianbao serve` (header-read timeout, connection
//!   limit).
//!
//! Pages are rendered on the server with maud (every interpolated string is HTML-escaped;
//! nothing from a crawled page is ever inserted unescaped) and need no JavaScript. The
//! archive is opened with `SQLITE_OPEN_READ_ONLY` and `PRAGMA query_only`, and the router
//! refuses every method but GET and HEAD, so nothing a browser sends can change it.

mod agencies;
pub mod figures;
pub mod filter;
mod form;
mod layout;
mod overview;
pub mod pool;
pub mod query;
mod report;
mod reports;
pub mod runs;
pub mod search;
pub mod server;
mod svg;
pub mod terminal;

use std::future::Future;
use std::path::Path;
use std::sync::Arc;

use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::archive::ArchiveError;
pub use pool::Pool;
pub use server::{serve_with, ServeLimits};

/// Heavy requests (a report page, an archived original, whose bytes are held whole) served at
/// once; more wait their turn, holding nothing.
pub const HEAVY_REQUESTS: usize = 4;

/// What every handler gets: the archive's read-only connections.
#[derive(Debug, Clone)]
pub struct AppState {
    /// Connections to the archive.
    pub pool: Arc<Pool>,
    /// The overview's aggregates, which read every report's totals: computed at most once a
    /// minute unless the set of reports changed (see `overview.rs`).
    overview: Arc<overview::Cache>,
    /// One permit per heavy request in progress ([`HEAVY_REQUESTS`]), so that many clients
    /// asking for a large report at once cannot hold many copies of it.
    heavy: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    /// Open the archive at `path` read-only.
    pub fn open(path: &Path) -> Result<AppState, ArchiveError> {
        Ok(AppState {
            pool: Arc::new(Pool::open(path)?),
            overview: Arc::default(),
            heavy: Arc::new(tokio::sync::Semaphore::new(HEAVY_REQUESTS)),
        })
    }

    /// Wait for a turn to serve a heavy request; the turn ends when the permit is dropped.
    pub(crate) async fn heavy(&self) -> Result<tokio::sync::OwnedSemaphorePermit, Error> {
        self.heavy
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Error::Unavailable)
    }
}

/// A request that could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 404: no such report, agency or document.
    #[error("not found")]
    NotFound,
    /// 500: the archive failed; logged, never shown to the client.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// 503: the server is shutting down or a worker thread died.
    #[error("service unavailable")]
    Unavailable,
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = match &self {
            Error::NotFound => StatusCode::NOT_FOUND,
            Error::Archive(e) => {
                tracing::error!("browse: {e}");
                StatusCode::INTERNAL_SERVER_ERROR
            }
            Error::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        };
        (status, layout::error_page(status)).into_response()
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        Error::Archive(ArchiveError::Sqlite {
            path: Default::default(),
            source: e,
        })
    }
}

/// HTML or JSON, from a `.json` path suffix or `?format=json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    Html,
    Json,
}

impl Want {
    /// Strip a `.json` suffix from a path segment, noting what was asked for; `?format=json`
    /// (in `query`) also asks for JSON.
    pub(crate) fn split<'a>(segment: &'a str, query: Option<&str>) -> (&'a str, Want) {
        match segment.strip_suffix(".json") {
            Some(rest) => (rest, Want::Json),
            None if wants_json_query(query) => (segment, Want::Json),
            None => (segment, Want::Html),
        }
    }
}

fn wants_json_query(query: Option<&str>) -> bool {
    query.is_some_and(|q| {
        url::form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k == "format" && v == "json")
    })
}

/// A JSON response (pretty-printed: people read these too).
pub(crate) fn json(value: &impl serde::Serialize) -> Response {
    match serde_json::to_vec_pretty(value) {
        Ok(body) => ([(header::CONTENT_TYPE, "application/json")], body).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The web UI's router (SPEC §5). Every route also answers at `<path>.json`.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/", get(overview::page))
        .route("/index.json", get(overview::json_page))
        .route("/.json", get(overview::json_page))
        .route("/reports", get(reports::page))
        .route("/reports.json", get(reports::json_page))
        .route("/reports/{id}", get(report::page))
        .route("/reports/{id}/original", get(report::original))
        .route("/agencies/{agency}", get(agencies::page))
        .route("/runs", get(runs::page))
        .route("/runs.json", get(runs::json_page))
        .route("/style.css", get(layout::stylesheet))
        .fallback(|| async { Error::NotFound })
        .layer(axum::middleware::from_fn(guard))
        .with_state(state)
}

/// Content-Security-Policy of our own pages: no scripts at all, nothing from elsewhere.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Every request passes here: methods other than GET and HEAD get 405 before routing;
/// responses get security headers; errors on JSON paths get a JSON body.
async fn guard(req: Request, next: Next) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut resp = (
            StatusCode::METHOD_NOT_ALLOWED,
            "405 Method Not Allowed: this server is read-only\n",
        )
            .into_response();
        resp.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return resp;
    }
    let json_wanted = req.uri().path().ends_with(".json") || wants_json_query(req.uri().query());
    let mut resp = next.run(req).await;
    if json_wanted && !resp.status().is_success() {
        let status = resp.status();
        resp = (
            status,
            json(&serde_json::json!({"error": status.canonical_reason().unwrap_or("error")})),
        )
            .into_response();
    }
    let h = resp.headers_mut();
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(CSP));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    resp
}

/// Serve `app(state)` on `listener` with the default [`ServeLimits`] until `shutdown`
/// completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, state, ServeLimits::default(), shutdown).await
}
