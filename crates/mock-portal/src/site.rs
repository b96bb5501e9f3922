//! The content model of the Standard layout: documents (reports and companion pages), listing
//! entries and what each entry links to, and the per-host route tables they are rendered into.
//!
//! Flow: `catalog.rs` decides which documents exist and where they are listed (a [`Catalog`]
//! value), `render.rs` turns the catalog into one [`HostRoutes`] per host, and
//! [`StandardHost`] answers requests from the current rendering. Publishing new reports edits
//! the catalog and swaps in a fresh rendering, so a request always sees one consistent site.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use nianbao_model::{Format, Tables};

use super::catalog::Catalog;
use super::families::gkmlpt::{Article, GkmlptSite};
use super::families::hanweb::HanwebSite;
use super::families::Row;
use super::http::{Handler, Reply, Request};
use super::pdf;
use super::quirks::{self, Challenge, Trap};
use super::report::Body;
use super::util::Date;

/// A document: a report, or a companion page that shares the 年报 columns.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    /// Article id used in this document's URLs.
    pub(crate) id: u64,
    /// Title as listed.
    pub(crate) title: String,
    /// Publishing agency.
    pub(crate) agency: String,
    /// Report year (or the year a companion page is about).
    pub(crate) year: i32,
    /// Body.
    pub(crate) body: Body,
    /// Present for reports; `None` for notices, 解读, statistics, the blank template.
    pub(crate) report: Option<ReportFacts>,
}

/// Ground truth about a report document.
#[derive(Debug, Clone)]
pub(crate) struct ReportFacts {
    /// Table layout.
    pub(crate) format: Format,
    /// Tables as rendered, when known.
    pub(crate) tables: Option<Tables>,
    /// Distinctive substring of the body text.
    pub(crate) marker: String,
}

impl Doc {
    /// The document as a PDF: title line, then the body's text lines.
    pub(crate) fn pdf(&self) -> Vec<u8> {
        let mut lines = vec![self.title.clone(), String::new()];
        lines.extend(self.body.lines());
        pdf::pdf_from_lines(&self.title, &lines)
    }
}

/// How a detail page misbehaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "snake_case")] // names in data/standard.toml
pub(crate) enum PageQuirk {
    /// Served normally.
    #[default]
    None,
    /// Answers after ~1.5 s.
    Slow,
    /// First request answered 503 + `Retry-After: 1`.
    RetryOnce,
    /// GBK bytes but `Content-Type: text/html; charset=utf-8`.
    MislabelledUtf8,
}

/// What a listing entry links to.
#[derive(Debug, Clone)]
pub(crate) enum Link {
    /// A detail page of `doc` on this host at `path`, optionally with a PDF attachment of it
    /// at `attachment` (a path on this host).
    Detail {
        doc: usize,
        path: String,
        quirk: PageQuirk,
        attachment: Option<String>,
    },
    /// The report file of `doc` itself at an absolute URL on an in-scope host.
    File { doc: usize, url: String },
    /// An anti-bot challenge at `path`.
    Challenge { path: String, kind: Challenge },
    /// A dead link (404).
    Missing { path: String },
    /// A robustness trap.
    Trap { path: String, kind: Trap },
    /// A detail page of `doc` under a robots.txt-disallowed path (served if requested anyway).
    Disallowed { doc: usize, path: String },
    /// A link to a host out of scope (absolute URL).
    OffScope { url: String },
}

/// One row of a column.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// Title as listed.
    pub(crate) title: String,
    /// Date shown (and `PubDate` of the detail page).
    pub(crate) date: Date,
    /// Target.
    pub(crate) link: Link,
}

impl Entry {
    /// The path on this host the entry points at, if it is on this host.
    pub(crate) fn path(&self) -> Option<&str> {
        match &self.link {
            Link::Detail { path, .. }
            | Link::Challenge { path, .. }
            | Link::Missing { path }
            | Link::Trap { path, .. }
            | Link::Disallowed { path, .. } => Some(path),
            Link::File { .. } | Link::OffScope { .. } => None,
        }
    }

    /// The listing row, with `href` = the path on this host or the absolute URL.
    pub(crate) fn row(&self) -> Row {
        let href = match &self.link {
            Link::File { url, .. } | Link::OffScope { url } => url.clone(),
            _ => self.path().unwrap_or("").to_string(),
        };
        Row::new(self.title.clone(), self.date, href)
    }
}

/// A resource of a host.
#[derive(Debug, Clone)]
pub(crate) enum Route {
    /// A pre-rendered response (GET/HEAD only).
    Static(Reply),
    /// Responses selected by one query parameter (`list.html?page=N`, `downfile.jsp?filename=`);
    /// `fallback` answers unknown or missing values.
    Query {
        param: &'static str,
        replies: HashMap<String, Reply>,
        fallback: Reply,
    },
    /// The Hanweb `dataproxy.jsp`.
    HanwebProxy,
    /// The gkmlpt list API.
    GkmlptApi,
    /// An anti-bot challenge.
    Challenge(Challenge),
    /// A robustness trap.
    Trap(Trap),
}

/// Everything one host serves.
#[derive(Debug, Clone)]
pub(crate) struct HostRoutes {
    /// Path (without query) → resource.
    pub(crate) routes: HashMap<String, Route>,
    /// Answer for unknown paths (a 404, or a 200 soft-404 page).
    pub(crate) not_found: Reply,
    /// The Hanweb column behind `HanwebProxy`.
    pub(crate) hanweb: Option<(HanwebSite, Vec<Row>)>,
    /// The gkmlpt feed behind `GkmlptApi`.
    pub(crate) gkmlpt: Option<(GkmlptSite, Vec<Article>)>,
}

impl HostRoutes {
    /// An empty host answering `not_found` everywhere.
    pub(crate) fn new(not_found: Reply) -> HostRoutes {
        HostRoutes {
            routes: HashMap::new(),
            not_found,
            hanweb: None,
            gkmlpt: None,
        }
    }

    /// Answer `req`.
    pub(crate) fn answer(&self, req: &Request) -> Reply {
        if req.path.starts_with("/WZWSREL") {
            return quirks::wzws_page(&req.path);
        }
        match self.routes.get(&req.path) {
            None => self.not_found.clone(),
            Some(Route::Static(r)) => {
                if req.is_get() {
                    r.clone()
                } else {
                    Reply::method_not_allowed()
                }
            }
            Some(Route::Query {
                param,
                replies,
                fallback,
            }) => {
                if !req.is_get() {
                    return Reply::method_not_allowed();
                }
                let key = req.query_param(param).unwrap_or_default();
                replies.get(&key).unwrap_or(fallback).clone()
            }
            Some(Route::HanwebProxy) => match &self.hanweb {
                Some((site, rows)) => site.proxy(
                    rows.len(),
                    |a, b| rows.get(a..b).map(<[Row]>::to_vec).unwrap_or_default(),
                    req,
                ),
                None => self.not_found.clone(),
            },
            Some(Route::GkmlptApi) => match &self.gkmlpt {
                Some((site, articles)) => site.api(articles, req),
                None => self.not_found.clone(),
            },
            Some(Route::Challenge(kind)) => quirks::challenge(*kind, &req.path),
            Some(Route::Trap(kind)) => quirks::trap(*kind, &req.path),
        }
    }
}

/// The catalog and its current rendering, shared by the hosts of a Standard portal.
#[derive(Debug)]
pub(crate) struct StandardState {
    /// What exists; locked while publishing.
    catalog: Mutex<Catalog>,
    /// The rendering of `catalog`, replaced as a whole on publish.
    rendered: RwLock<Arc<Vec<HostRoutes>>>,
}

impl StandardState {
    /// State for `catalog`, rendered once.
    pub(crate) fn new(catalog: Catalog) -> StandardState {
        let rendered = Arc::new(super::render::render(&catalog));
        StandardState {
            catalog: Mutex::new(catalog),
            rendered: RwLock::new(rendered),
        }
    }

    fn catalog(&self) -> std::sync::MutexGuard<'_, Catalog> {
        match self.catalog.lock() {
            Ok(c) => c,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The current rendering.
    pub(crate) fn rendered(&self) -> Arc<Vec<HostRoutes>> {
        match self.rendered.read() {
            Ok(r) => r.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Add `n` reports at the top of the TRS, Hanweb and generic listings, then re-render.
    pub(crate) fn publish(&self, n: usize) {
        let mut catalog = self.catalog();
        catalog.publish(n);
        let fresh = Arc::new(super::render::render(&catalog));
        match self.rendered.write() {
            Ok(mut r) => *r = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
    }

    /// Ground truth for the current catalog.
    pub(crate) fn expected(&self) -> super::Expected {
        self.catalog().expected()
    }
}

/// The request handler of one Standard host.
#[derive(Debug)]
pub(crate) struct StandardHost {
    /// Shared state.
    pub(crate) state: Arc<StandardState>,
    /// Index of this host in the rendering.
    pub(crate) index: usize,
}

impl Handler for StandardHost {
    fn handle(&self, req: &Request) -> Reply {
        let rendered = self.state.rendered();
        match rendered.get(self.index) {
            Some(host) => host.answer(req),
            None => Reply::not_found(),
        }
    }

    /// The Hanweb and gkmlpt hosts sit behind a gzipping nginx.
    fn gzips(&self) -> bool {
        matches!(self.index, 1 | 4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_answer_by_path_and_query() {
        let mut h = HostRoutes::new(Reply::not_found());
        h.routes
            .insert("/a".into(), Route::Static(Reply::html(200, "A".into())));
        let mut replies = HashMap::new();
        replies.insert("2".to_string(), Reply::html(200, "P2".into()));
        h.routes.insert(
            "/l".into(),
            Route::Query {
                param: "page",
                replies,
                fallback: Reply::html(200, "P1".into()),
            },
        );
        assert_eq!(h.answer(&Request::get("/a")).bytes(), b"A");
        assert_eq!(h.answer(&Request::get("/b")).status, 404);
        assert_eq!(h.answer(&Request::get("/l?page=2")).bytes(), b"P2");
        assert_eq!(h.answer(&Request::get("/l")).bytes(), b"P1");
        let mut post = Request::get("/a");
        post.method = "POST".into();
        assert_eq!(h.answer(&post).status, 405);
        assert_eq!(
            h.answer(&Request::get("/WZWSRELabc?wzwschallenge=1"))
                .status,
            200
        );
    }
}
