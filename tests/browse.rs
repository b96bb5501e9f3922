//! Browsing the archive (issue 5): the web UI's pages and JSON over HTTP, hostile text and
//! queries, read-only enforcement, the server on real sockets (timeouts, connection limit),
//! the CLI queries, a crawled archive, headless Chromium, Datasette.
//!
//! The submodules share the hand-built archive of `fixture.rs` and the helpers in this file:
//! requests to the web UI through its router, report ids of a JSON list, percent-encoding.

mod fixture;

mod cli;
mod datasette;
mod demo_crawl;
mod hostile;
mod http;
mod list;
mod scale;
mod serve;

mod chromium;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use tower::ServiceExt;

use nianbao::browse::{app, AppState};

use fixture::Built;

/// A response of the web UI.
pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    pub fn content_type(&self) -> String {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }
}

/// Percent-encode the non-ASCII parts of a path and query.
fn encode_uri(uri: &str) -> String {
    uri.chars()
        .map(|c| {
            if c.is_ascii() && !" \"<>\\^`{|}".contains(c) {
                c.to_string()
            } else {
                percent_encoding::utf8_percent_encode(
                    &c.to_string(),
                    percent_encoding::NON_ALPHANUMERIC,
                )
                .to_string()
            }
        })
        .collect()
}

/// `method uri` through the router (`oneshot`, no socket).
pub async fn request(state: &AppState, method: Method, uri: &str) -> Resp {
    let req = Request::builder()
        .method(method)
        .uri(encode_uri(uri))
        .body(Body::empty())
        .unwrap();
    let resp = app(state.clone()).oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = axum::body::to_bytes(resp.into_body(), 64 << 20)
        .await
        .unwrap()
        .to_vec();
    Resp {
        status,
        headers,
        body,
    }
}

/// `GET uri`, which must answer 200.
pub async fn get(state: &AppState, uri: &str) -> Resp {
    let r = request(state, Method::GET, uri).await;
    assert_eq!(r.status, StatusCode::OK, "GET {uri}: {}", r.text());
    r
}

/// The hand-built archive of `fixture.rs` and the web UI's state over it.
pub fn setup() -> (Built, AppState) {
    let built = fixture::build();
    let state = AppState::open(&built.db).unwrap();
    (built, state)
}

/// The report ids of a JSON list (`{"reports": [{"id": …}, …]}`).
pub fn ids(v: &serde_json::Value) -> Vec<String> {
    v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// Percent-encode everything but ASCII letters and digits (a query value).
pub fn encode_component(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}
