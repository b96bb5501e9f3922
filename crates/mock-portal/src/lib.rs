//! A local imitation of real government portals (TRS, Hanweb, gkmlpt, generic), served on
//! loopback addresses 127.0.0.x, for `nianbao demo`, the end-to-end tests and the benchmarks.
//!
//! Real portals cannot be reached from a sandbox, so the mock reproduces what a crawler meets on
//! them (portals.md §13): the CMS families' URL shapes and pagination machinery (TRS JS-only
//! pagers, Hanweb inline datastore + POST proxy with a look-ahead record, gkmlpt JSON, `?page=N`
//! lists and year folders), detail pages with real furniture, GBK pages labelled gb2312,
//! attachments, robots.txt variants, anti-bot challenges, 503 + Retry-After, slow pages,
//! duplicates, companion pages that are not reports, and traps. Everything is deterministic:
//! the same options give the same site and the same bytes (up to the port numbers inside
//! absolute URLs).
//!
//! ## Layout
//!
//! - `lib.rs`: the public API ([`Portal`], [`PortalOptions`], [`Layout`], [`Expected`]).
//! - `http.rs`: requests, replies, the handler trait, state shared by all hosts and the
//!   conditional-request rules.
//! - `server.rs`: the HTTP/1.1 server (keep-alive, 304s, latency, byte-level fault injection).
//! - `log.rs`: the request log tests assert on.
//! - `catalog.rs`: the Standard layout's hosts and sites, its documents, ground truth and
//!   `publish_new_reports`.
//! - `standard.rs`: loads what the Standard layout publishes from `data/standard.toml`.
//! - `site.rs`: the content model (documents, listing entries, links) and per-host route tables.
//! - `render.rs`: the Standard catalog → pages of the TRS, GBK and generic hosts.
//! - `render_api.rs`: the same for the Hanweb and gkmlpt hosts, the attachment host and the
//!   mirror.
//! - `families/`: page templates and URL shapes of each CMS family (TRS, Hanweb, gkmlpt,
//!   generic, a JEECMS-like CMS), one file each.
//! - `synthetic.rs`: the benchmark layout, whose pages are generated on demand from the path.
//! - `variations/`: the Variations layout, generated from a spec of sites × item kinds ×
//!   wordings × truncations (property tests), with its phrase banks.
//! - `report.rs`: bodies of generated reports, of the blank template and of companion pages.
//! - `tables.rs`: the numbers of the three official tables, consistent per report seed.
//! - `table_render.rs`: the official tables' HTML layouts and their text lines for PDFs.
//! - `seeds.rs`: report bodies made from the real documents in `data/`.
//! - `pdf.rs`: small hand-written PDFs holding a report's text.
//! - `quirks.rs`: injected faults, anti-bot challenges and robustness traps.
//! - `util.rs`: seeded RNG, stable hash, dates, HTML escaping and entity tags.
//!
//! Data (`data/`, compiled in): `standard.toml`, every column of the Standard layout entry by
//! entry; the seed report texts (`seed_00N_….txt`) and the Shanghai 2019 page
//! (`shanghai_2019_office.html`) that `seeds.rs` turns into bodies.
//!
//! ## The Standard layout (host `i` on 127.0.0.{first_ip + i})
//!
//! 0. TRS county portal 云溪县 (`/zfxxgk/zfxxgknb/index.html`, 3 JS-paged listing pages):
//!    robots.txt disallows `/zfxxgk/zfxxgknb/bak/` (a report is linked there), a 412 瑞数
//!    page, a dead link, a link to `www.example.com`, a report with `./P0….pdf`, the blank
//!    template under a report-like title, a notice and 工作要点.
//! 1. Hanweb city portal 临江市 (`/col/col12377/index.html`, perPage 4, two proxy groups), no
//!    robots.txt (404), a 521 加速乐 page, a `downfile.jsp` attachment, 解读 and 上半年统计,
//!    and the county's report again (same body, other furniture). Text is sent gzipped to
//!    clients that accept it (as host 4's).
//! 2. Older TRS site 旧城区 in GB18030 labelled gb2312: GBK-only names (镕 堃 喆 昇), the
//!    2014 legacy report, a 1.5 s page, a page whose header claims UTF-8, soft-404 past the end.
//! 3. Generic site 北塘区: `list.html?page=N` and year folders (`/gknb/index.html` → `2023/`…,
//!    年报汇总), seeds 000/001 and Shanghai 2019, one report at two URLs, a PDF-only report on
//!    host 5, a wzws 302, an off-scope link to host 6, the three `/trap/*` links.
//! 4. gkmlpt 东湖区 (`/gkmlpt/index`, JSON pages of 5 claiming 2 hidden items), a 503 +
//!    `Retry-After: 1` page, an `/attachment/…pdf`.
//! 5. Attachment host (in scope via [`Portal::extra_hosts`]), `Crawl-delay: 1`.
//! 6. A spam mirror: running, linked, never in scope.

#![deny(missing_docs)]

mod catalog;
mod families;
mod http;
mod log;
mod pdf;
mod quirks;
mod render;
mod render_api;
mod report;
mod seeds;
mod server;
mod site;
mod standard;
mod synthetic;
mod table_render;
mod tables;
mod util;
mod variations;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use url::Url;

use nianbao_model::{Format, Tables};

pub use log::LoggedRequest;
pub use variations::{
    Family, Item, ItemKind, Junk, Neighbour, Notice, SiteSpec, Truncation, Variations,
};

/// Which site the portal serves.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Layout {
    /// Seven hosts, one per CMS family plus an attachment host and an off-scope mirror, with
    /// every quirk (see the module docs of `catalog.rs`).
    #[default]
    Standard,
    /// Benchmarks: `hosts` hosts cycling through plain TRS, Hanweb and generic listings (20
    /// rows per page) with `reports_per_host` small report pages each; no blocking quirks,
    /// robots.txt allows everything, ETag/Last-Modified on every static page. Pages are
    /// generated from the path on demand, so 100k pages cost no memory.
    Synthetic {
        /// Number of hosts (127.0.0.{first_ip} … {first_ip + hosts − 1}).
        hosts: usize,
        /// Reports on each host.
        reports_per_host: usize,
    },
    /// Sites generated from a spec (one host per site): reports, announcement pages whose
    /// reports are attachments, notices about reports, junk and neighbours, in every CMS
    /// family and many wordings, with their ground truth (see [`Variations`]).
    Variations(Variations),
}

/// How to start a [`Portal`].
#[derive(Debug, Clone, PartialEq)]
pub struct PortalOptions {
    /// First loopback address's last octet; hosts are 127.0.0.{first_ip}, {first_ip+1}, ….
    pub first_ip: u8,
    /// `Standard` (all quirks) or `Synthetic` (benchmarks).
    pub layout: Layout,
    /// Fraction (0.0–1.0) of requests that fail with an injected fault (500, connection reset,
    /// truncated body, 3 s stall), deterministic per (host, method, path+query, attempt number);
    /// attempts from the fourth on never fail, so a retrying client gets through. robots.txt and
    /// `/trap/*` are never faulted.
    pub fault_rate: f64,
    /// Extra delay before every response (simulated network latency).
    pub latency: Duration,
}

impl Default for PortalOptions {
    fn default() -> PortalOptions {
        PortalOptions {
            first_ip: 2,
            layout: Layout::Standard,
            fault_rate: 0.0,
            latency: Duration::ZERO,
        }
    }
}

/// Ground truth about what the portal publishes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Expected {
    /// Each unique report, with all the URLs (detail pages, attachments) it is published at.
    pub reports: Vec<ExpectedReport>,
    /// Notices, 解读, half-year statistics, 工作要点, 图解 and the blank template page: must never
    /// be stored as reports.
    pub non_reports: Vec<Url>,
    /// robots-disallowed and off-scope URLs: must never be requested.
    pub forbidden: Vec<Url>,
    /// URLs answering with an anti-bot challenge (412 瑞数, 521 加速乐, wzws 302).
    pub blocked: Vec<Url>,
    /// Robustness traps: a gzip bomb, an endless body, a redirect loop.
    pub traps: Vec<Url>,
    /// Links from listings to pages that answer 404.
    pub missing: Vec<Url>,
    /// Corrections (更正说明) and the report each corrects (Variations layout).
    pub corrections: Vec<ExpectedCorrection>,
}

/// A correction of a report.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedCorrection {
    /// The correction's page.
    pub url: Url,
    /// The title of the report it corrects, as planted.
    pub report: String,
}

/// One unique report.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedReport {
    /// Title as listed.
    pub title: String,
    /// Publishing agency (even where the title omits it).
    pub agency: String,
    /// Report year.
    pub year: i32,
    /// Every URL the report is published at: detail pages on every host, attached PDFs (which
    /// hold the same report as text lines), report files linked directly.
    pub urls: Vec<Url>,
    /// A distinctive substring of the report text (GBK-only characters on the GBK host).
    pub text_marker: String,
    /// The table layout of the report.
    pub format: Format,
    /// The tables as published, where the mock generated them (generated reports and the two
    /// seed-derived 2021 reports); `None` for legacy reports and the verbatim Shanghai page.
    pub tables: Option<Tables>,
    /// Publication date (`YYYY-MM-DD`) its page states, where the layout plants one to check
    /// (Variations); `None`: not asserted.
    pub published: Option<String>,
}

/// The site behind the hosts.
#[derive(Debug, Clone)]
enum Content {
    Standard(Arc<site::StandardState>),
    Synthetic(Arc<synthetic::SyntheticState>),
    Variations(Arc<variations::VariationsState>),
}

impl Content {
    /// The site of `layout` on `hosts` (`127.0.0.x:PORT`, in host order), its seed URLs and
    /// its in-scope hosts that are not seed hosts.
    fn new(layout: &Layout, hosts: &[String]) -> std::io::Result<(Content, Vec<Url>, Vec<String>)> {
        let bases: Vec<String> = hosts.iter().map(|h| format!("http://{h}")).collect();
        let url = |host: usize, path: &str| {
            Url::parse(&format!(
                "{}{path}",
                bases.get(host).map_or("", String::as_str)
            ))
            .ok()
        };
        Ok(match layout {
            Layout::Standard => {
                let catalog = catalog::Catalog::standard(bases.clone())
                    .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
                let state = Arc::new(site::StandardState::new(catalog));
                let seeds = [
                    (catalog::TRS, catalog::trs_site().listing_path(0)),
                    (catalog::HANWEB, catalog::hanweb_site().column_path()),
                    (catalog::GBK, catalog::gbk_site().listing_path(0)),
                    (catalog::GENERIC, catalog::generic_site().list_path()),
                    (
                        catalog::GENERIC,
                        families::generic::GenericSite::years_path().to_string(),
                    ),
                    (catalog::GKMLPT, "/gkmlpt/index".to_string()),
                ]
                .iter()
                .filter_map(|(h, p)| url(*h, p))
                .collect();
                let extra = hosts.get(catalog::FILES).cloned().into_iter().collect();
                (Content::Standard(state), seeds, extra)
            }
            Layout::Variations(spec) => {
                let state = Arc::new(variations::VariationsState::new(spec, &bases));
                let seeds = (0..hosts.len())
                    .filter_map(|h| url(h, state.seed_path(h)?))
                    .collect();
                (Content::Variations(state), seeds, Vec::new())
            }
            Layout::Synthetic {
                reports_per_host, ..
            } => {
                let state = Arc::new(synthetic::SyntheticState::new(
                    bases.clone(),
                    *reports_per_host,
                ));
                let seeds = (0..hosts.len())
                    .filter_map(|h| url(h, &state.seed_path(h)))
                    .collect();
                (Content::Synthetic(state), seeds, Vec::new())
            }
        })
    }

    /// The request handler of host `index`.
    fn handler(&self, index: usize) -> Arc<dyn http::Handler> {
        match self {
            Content::Standard(state) => Arc::new(site::StandardHost {
                state: state.clone(),
                index,
            }),
            Content::Synthetic(state) => Arc::new(synthetic::SyntheticHost {
                state: state.clone(),
                index,
            }),
            Content::Variations(state) => Arc::new(variations::VariationsHost {
                state: state.clone(),
                index,
            }),
        }
    }
}

/// A running mock portal: one HTTP server per host on 127.0.0.x.
#[derive(Debug)]
pub struct Portal {
    /// `127.0.0.x:PORT` of each host, in host order.
    hosts: Vec<String>,
    /// Seed listing URLs.
    seeds: Vec<Url>,
    /// In-scope hosts that are not seed hosts.
    extra: Vec<String>,
    content: Content,
    shared: Arc<http::Shared>,
    /// Flipped to true to stop every accept loop and connection.
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Portal {
    /// Bind every host on `127.0.0.{first_ip + i}:0` and start serving.
    pub async fn start(opts: PortalOptions) -> std::io::Result<Portal> {
        let count = match &opts.layout {
            Layout::Standard => catalog::HOSTS,
            Layout::Synthetic { hosts, .. } => (*hosts).max(1),
            Layout::Variations(spec) => spec.sites.len().max(1),
        };
        if opts.first_ip == 0 || usize::from(opts.first_ip) + count > 255 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "{count} hosts from 127.0.0.{} do not fit in 127.0.0.1–254",
                    opts.first_ip
                ),
            ));
        }
        let mut listeners = Vec::with_capacity(count);
        let mut hosts = Vec::with_capacity(count);
        for i in 0..count {
            let ip = Ipv4Addr::new(127, 0, 0, opts.first_ip + i as u8);
            let listener = TcpListener::bind(SocketAddr::from((ip, 0))).await?;
            hosts.push(listener.local_addr()?.to_string());
            listeners.push(listener);
        }
        let (content, seeds, extra) = Content::new(&opts.layout, &hosts)?;

        let shared = Arc::new(http::Shared::new(opts.fault_rate, opts.latency));
        let (shutdown, rx) = watch::channel(false);
        let mut tasks = Vec::with_capacity(count);
        for (i, listener) in listeners.into_iter().enumerate() {
            let handler = content.handler(i);
            let host = hosts.get(i).cloned().unwrap_or_default();
            tasks.push(tokio::spawn(server::serve(
                listener,
                host,
                handler,
                shared.clone(),
                rx.clone(),
            )));
        }
        Ok(Portal {
            hosts,
            seeds,
            extra,
            content,
            shared,
            shutdown,
            tasks,
        })
    }

    /// The listing URLs a user would seed.
    pub fn seeds(&self) -> Vec<Url> {
        self.seeds.clone()
    }

    /// In-scope hosts that are not seed hosts (the attachment host), as `127.0.0.x:PORT`.
    pub fn extra_hosts(&self) -> Vec<String> {
        self.extra.clone()
    }

    /// Every host the portal runs, as `127.0.0.x:PORT` (the Standard layout's last host is the
    /// off-scope mirror).
    pub fn hosts(&self) -> Vec<String> {
        self.hosts.clone()
    }

    /// The full request log, in arrival order.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.shared.log.snapshot()
    }

    /// Wait until the request log holds at least `n` requests (tests synchronise on the
    /// portal's progress with this instead of polling with sleeps).
    pub async fn requests_reached(&self, n: usize) {
        self.shared.log.reached(n).await
    }

    /// Forget the request log.
    pub fn clear_log(&self) {
        self.shared.log.clear();
    }

    /// Ground truth for what is published right now.
    pub fn expected(&self) -> Expected {
        match &self.content {
            Content::Standard(s) => s.expected(),
            Content::Synthetic(s) => s.expected(),
            Content::Variations(s) => s.expected(),
        }
    }

    /// Publish `n` new reports at the top of the listings (Standard: TRS, Hanweb and generic
    /// columns in turn; Synthetic: hosts in turn; Variations: nothing). Listing pages change, and with them their
    /// `ETag` and `Last-Modified`; [`Portal::expected`] includes the new reports afterwards.
    pub fn publish_new_reports(&self, n: usize) {
        match &self.content {
            Content::Standard(s) => s.publish(n),
            Content::Synthetic(s) => s.publish(n),
            Content::Variations(_) => {}
        }
    }

    /// Stop every host: accept loops end, idle connections close, in-flight responses get up
    /// to a second to finish.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        for task in std::mem::take(&mut self.tasks) {
            let _ = task.await;
        }
    }
}

impl Drop for Portal {
    fn drop(&mut self) {
        // A portal dropped without `shutdown` still stops serving (tasks see the signal).
        let _ = self.shutdown.send(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn rejects_addresses_past_254() {
        let opts = PortalOptions {
            first_ip: 250,
            ..Default::default()
        };
        assert!(Portal::start(opts).await.is_err());
        let opts = PortalOptions {
            first_ip: 0,
            ..Default::default()
        };
        assert!(Portal::start(opts).await.is_err());
    }

    #[tokio::test]
    async fn starts_and_stops() {
        let p = Portal::start(PortalOptions {
            first_ip: 230,
            ..Default::default()
        })
        .await;
        let p = p.unwrap_or_else(|e| panic!("start: {e}"));
        assert_eq!(p.hosts().len(), catalog::HOSTS);
        assert_eq!(p.seeds().len(), 6);
        assert_eq!(p.extra_hosts().len(), 1);
        assert!(p.requests().is_empty());
        p.shutdown().await;
    }
}
