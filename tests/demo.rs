//! The mock portal itself, over real HTTP (reqwest): each family's pages have the real shapes,
//! GBK bytes decode right, conditional requests get 304, robots.txt variants, the Hanweb proxy
//! needs a Referer and returns the look-ahead record, challenges and 503s, faults, determinism,
//! and `publish_new_reports`. Each test starts its own portal on its own 127.0.0.x block.
//! Family page shapes are in `demo/families.rs`, protocol behaviour in `demo/behaviour.rs`;
//! this file holds the HTTP client helpers both use (the portal itself starts with
//! `util::portal`).

mod behaviour;
mod families;

use std::time::Duration;

use mock_portal::Portal;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use url::Url;

/// A reqwest builder (the crate's rustls has no default crypto provider: install ring's).
pub(crate) fn builder() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}

pub(crate) fn client() -> reqwest::Client {
    builder()
        .no_proxy()
        .no_gzip()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(5))
        .user_agent("nianbao-demo-test/1")
        .build()
        .expect("client")
}

pub(crate) struct Got {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Got {
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub(crate) fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    }
}

pub(crate) async fn get(c: &reqwest::Client, url: &str) -> Got {
    let r = c
        .get(url)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = r.status();
    let headers = r.headers().clone();
    let body = r.bytes().await.expect("body").to_vec();
    Got {
        status,
        headers,
        body,
    }
}

pub(crate) fn seed(p: &Portal, path_part: &str) -> Url {
    p.seeds()
        .into_iter()
        .find(|u| u.as_str().contains(path_part))
        .unwrap_or_else(|| panic!("no seed with {path_part}"))
}

pub(crate) fn hrefs(html: &str) -> Vec<String> {
    let re = regex::Regex::new(r#"href="([^"]+)""#).expect("regex");
    re.captures_iter(html)
        .map(|c| c[1].replace("&amp;", "&"))
        .collect()
}

pub(crate) fn form_post(
    c: &reqwest::Client,
    url: &str,
    referer: Option<&str>,
    form: &str,
) -> reqwest::RequestBuilder {
    let mut rb = c
        .post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(form.to_string());
    if let Some(r) = referer {
        rb = rb.header("Referer", r);
    }
    rb
}

/// Replace every `127.0.0.x:PORT` of `hosts` by `H{i}`.
pub(crate) fn normalise(bytes: &[u8], hosts: &[String]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for (i, h) in hosts.iter().enumerate() {
        let needle = h.as_bytes();
        let mut next = Vec::with_capacity(out.len());
        let mut k = 0;
        while k < out.len() {
            if out[k..].starts_with(needle) {
                next.extend_from_slice(format!("H{i}").as_bytes());
                k += needle.len();
            } else {
                next.push(out[k]);
                k += 1;
            }
        }
        out = next;
    }
    out
}
