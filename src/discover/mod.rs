//! Listing pages → the requests to make next: report detail pages, report files linked
//! directly, further listing pages (pagination, year folders, sub-columns) and the list APIs
//! of the CMS families (TRS, Hanweb, gkmlpt, `?page=N`).
//!
//! Pure: takes a decoded response and its URL; scope, robots and deduplication are the
//! crawler's job.

use url::Url;

/// HTTP method of a discovered request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET.
    Get,
    /// POST with a form body (Hanweb `dataproxy.jsp`).
    Post,
}

/// What a URL is expected to be, which decides how its response is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkKind {
    /// A listing page (HTML): run [`discover`] on it.
    Listing,
    /// A Hanweb `dataproxy.jsp` response (XML with `<record>` CDATA rows).
    HanwebProxy,
    /// A JSON list API (gkmlpt `api/all/{cat}?page=N`).
    JsonApi,
    /// A report detail page (HTML).
    Detail,
    /// A report file (PDF, DOC, DOCX, WPS, XLS) linked from a listing or detail page.
    Attachment,
}

impl LinkKind {
    /// Short name stored in the frontier.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Listing => "listing",
            LinkKind::HanwebProxy => "hanweb_proxy",
            LinkKind::JsonApi => "json_api",
            LinkKind::Detail => "detail",
            LinkKind::Attachment => "attachment",
        }
    }

    /// Inverse of [`LinkKind::as_str`].
    pub fn parse(s: &str) -> Option<LinkKind> {
        [
            LinkKind::Listing,
            LinkKind::HanwebProxy,
            LinkKind::JsonApi,
            LinkKind::Detail,
            LinkKind::Attachment,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// A request to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Absolute URL.
    pub url: Url,
    /// GET or POST.
    pub method: Method,
    /// Form body for POST (`application/x-www-form-urlencoded`).
    pub body: Option<String>,
    /// Referer to send (Hanweb proxies require the column page).
    pub referer: Option<Url>,
    /// How to handle the response.
    pub kind: LinkKind,
    /// Title from the listing (the `title` attribute or link text), if any.
    pub title: Option<String>,
}

/// A link looked at and deliberately not followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// Absolute URL.
    pub url: Url,
    /// Link title.
    pub title: String,
    /// Why (e.g. "not a report: 通知").
    pub reason: String,
}

/// The result of reading one listing response.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    /// Requests to make.
    pub requests: Vec<Request>,
    /// Links with a report-like context that were not followed, with the reason.
    pub rejected: Vec<Rejected>,
}

/// Read a listing response of `kind` fetched from `url` (`body` decoded).
pub fn discover(kind: LinkKind, url: &Url, body: &str) -> Discovery {
    let _ = (kind, url, body);
    Discovery::default()
}
