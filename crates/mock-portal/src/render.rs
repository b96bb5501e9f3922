//! Turns the Standard [`Catalog`] into one route table per host: pre-rendered listing and
//! detail pages (TRS, GBK and generic hosts here; Hanweb, gkmlpt, files and mirror in
//! `render_api.rs`) (with `ETag`/`Last-Modified`), attachments, robots.txt, and the dynamic
//! endpoints (Hanweb proxy, gkmlpt API, challenges, traps). Encoding (GB18030 on the GBK
//! host) and headers (charset labels, `Content-Disposition`) are applied here.

use std::collections::HashMap;
use std::time::Duration;

use super::catalog::{self, Catalog, FILES, GBK, GENERIC, GKMLPT, HANWEB, HOSTS, MIRROR, TRS};
use super::families::generic::GenericSite;
use super::families::trs::TrsSite;
use super::families::{index_no, Detail, Row};
use super::http::Reply;
use super::site::{Doc, Entry, HostRoutes, Link, PageQuirk, Route};
use super::util::Date;

/// TRS rows per listing page.
const TRS_PAGE: usize = 8;
/// GBK site rows per listing page.
const GBK_PAGE: usize = 6;
/// Generic rows per `list.html` page.
const GENERIC_PAGE: usize = 6;
/// How long the slow page takes.
const SLOW: Duration = Duration::from_millis(1500);

/// Render every host of `c`, in host-index order.
pub(crate) fn render(c: &Catalog) -> Vec<HostRoutes> {
    let bodies: Vec<String> = c.docs.iter().map(|d| d.body.html()).collect();
    let r = Renderer { c, bodies };
    let mut hosts = Vec::with_capacity(HOSTS);
    for i in 0..HOSTS {
        hosts.push(match i {
            TRS => r.trs(&catalog::trs_site(), &c.trs, TRS_PAGE, TRS),
            HANWEB => r.hanweb(),
            GBK => r.trs(&catalog::gbk_site(), &c.gbk, GBK_PAGE, GBK),
            GENERIC => r.generic(),
            GKMLPT => r.gkmlpt(),
            FILES => r.files(),
            MIRROR => r.mirror(),
            _ => HostRoutes::new(Reply::not_found()),
        });
    }
    hosts
}

/// A static page: 200, content type, `Server`, validators.
pub(crate) fn page(bytes: Vec<u8>, content_type: &str, server: &str, modified: Date) -> Reply {
    Reply::new(200, content_type, bytes)
        .with_header("Server", server)
        .cacheable(modified.system_time())
}

/// GBK bytes of `s` (encoding_rs's GBK encoder; every character used here is in GBK).
pub(crate) fn gbk(s: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(s).0.into_owned()
}

/// The newest date of a column (its listing pages' `Last-Modified`).
pub(crate) fn newest(entries: &[Entry]) -> Date {
    entries
        .iter()
        .map(|e| e.date)
        .max()
        .unwrap_or(Date::at(2024, 1, 1, 0, 0))
}

pub(crate) fn robots(text: &str) -> Route {
    Route::Static(page(
        text.as_bytes().to_vec(),
        "text/plain",
        "nginx",
        Date::at(2023, 6, 1, 8, 0),
    ))
}

/// `href` from the page at `from` to `to` on the same host: `./file` in the same directory.
fn sibling_href(from: &str, to: &str) -> String {
    let dir = |p: &str| p.rfind('/').map_or(String::new(), |i| p[..=i].to_string());
    if dir(from) == dir(to) {
        format!("./{}", &to[dir(to).len()..])
    } else {
        to.to_string()
    }
}

/// Renders the hosts of one catalog (per-host methods here and in `render_api.rs`).
pub(crate) struct Renderer<'a> {
    /// The catalog.
    pub(crate) c: &'a Catalog,
    /// Body HTML of each document, rendered once.
    pub(crate) bodies: Vec<String>,
}

impl Renderer<'_> {
    pub(crate) fn doc(&self, i: usize) -> Option<(&Doc, &str)> {
        Some((self.c.docs.get(i)?, self.bodies.get(i)?.as_str()))
    }

    pub(crate) fn base(&self, host: usize) -> &str {
        self.c.bases.get(host).map_or("", String::as_str)
    }

    pub(crate) fn detail<'b>(
        &'b self,
        doc: &'b Doc,
        body: &str,
        date: Date,
        org: &str,
        attachments: Vec<(String, String)>,
    ) -> Detail<'b> {
        Detail {
            title: &doc.title,
            agency: &doc.agency,
            date,
            body: body.to_string(),
            index_no: index_no(org, date.y, doc.id),
            attachments,
        }
    }

    pub(crate) fn pdf(&self, doc: &Doc, server: &str, modified: Date) -> Reply {
        page(doc.pdf(), "application/pdf", server, modified)
    }

    /// A TRS host (UTF-8 `TRS`, or the GBK legacy site).
    fn trs(&self, site: &TrsSite, entries: &[Entry], per_page: usize, host: usize) -> HostRoutes {
        let t = TrsDialect { gbk: host == GBK };
        let not_found = if t.gbk {
            // Beyond the last page (and any unknown path) the old site answers 200 "页面不存在".
            Reply::new(200, t.list_type(), gbk(&site.soft_404())).with_header("Server", t.server())
        } else {
            Reply::not_found().with_header("Server", t.server())
        };
        let mut h = HostRoutes::new(not_found);
        h.routes.insert(
            "/robots.txt".into(),
            if t.gbk {
                let text = "# 旧城区人民政府门户网站 robots.txt\r\nUser-agent: *\r\nDisallow: /admin/\r\nDisallow: /cgi-bin/\r\n";
                Route::Static(page(gbk(text), "text/plain", t.server(), Date::at(2019, 5, 1, 8, 0)))
            } else {
                robots("User-agent: *\nDisallow: /zfxxgk/zfxxgknb/bak/\nDisallow: /was5/\nDisallow: /search/\n")
            },
        );
        let modified = newest(entries);
        h.routes.insert(
            "/".into(),
            Route::Static(page(
                t.encode(site.home()),
                t.list_type(),
                t.server(),
                modified,
            )),
        );
        let rows: Vec<Row> = entries
            .iter()
            .map(|e| {
                let mut r = e.row();
                r.href = site.relative(&r.href);
                r
            })
            .collect();
        let pages = rows.len().div_ceil(per_page).max(1);
        for p in 0..pages {
            let chunk = rows
                .get(p * per_page..((p + 1) * per_page).min(rows.len()))
                .unwrap_or(&[]);
            let reply = page(
                t.encode(site.listing(chunk, p, pages)),
                t.list_type(),
                t.server(),
                modified,
            );
            if p == 0 {
                h.routes
                    .insert(site.dir.clone(), Route::Static(reply.clone()));
            }
            h.routes.insert(site.listing_path(p), Route::Static(reply));
        }
        for e in entries {
            self.trs_entry(&mut h, site, t, e);
        }
        h
    }

    /// The pages behind one entry of a TRS column.
    fn trs_entry(&self, h: &mut HostRoutes, site: &TrsSite, t: TrsDialect, e: &Entry) {
        match &e.link {
            Link::Detail {
                doc,
                path,
                quirk,
                attachment,
            } => {
                let Some((d, body)) = self.doc(*doc) else {
                    return;
                };
                let attachments: Vec<(String, String)> = attachment
                    .iter()
                    .map(|a| (sibling_href(path, a), format!("{}.pdf", d.title)))
                    .collect();
                let html = site.detail(&self.detail(d, body, e.date, t.org(), attachments));
                let content_type = if *quirk == PageQuirk::MislabelledUtf8 {
                    "text/html; charset=utf-8"
                } else {
                    t.detail_type()
                };
                let mut reply = page(t.encode(html), content_type, t.server(), e.date);
                match quirk {
                    PageQuirk::Slow => reply.delay = SLOW,
                    PageQuirk::RetryOnce => reply.retry_after_once = true,
                    PageQuirk::None | PageQuirk::MislabelledUtf8 => {}
                }
                h.routes.insert(path.clone(), Route::Static(reply));
                if let Some(a) = attachment {
                    h.routes
                        .insert(a.clone(), Route::Static(self.pdf(d, t.server(), e.date)));
                }
            }
            Link::Disallowed { doc, path } => {
                let Some((d, body)) = self.doc(*doc) else {
                    return;
                };
                let html = site.detail(&self.detail(d, body, e.date, t.org(), Vec::new()));
                h.routes.insert(
                    path.clone(),
                    Route::Static(page(t.encode(html), t.detail_type(), t.server(), e.date)),
                );
            }
            Link::Challenge { path, kind } => {
                h.routes.insert(path.clone(), Route::Challenge(*kind));
            }
            Link::Trap { path, kind } => {
                h.routes.insert(path.clone(), Route::Trap(*kind));
            }
            Link::Missing { .. } | Link::File { .. } | Link::OffScope { .. } => {}
        }
    }

    fn generic(&self) -> HostRoutes {
        let site = catalog::generic_site();
        let mut h = HostRoutes::new(Reply::not_found().with_header("Server", GENERIC_SERVER));
        h.routes.insert(
            "/robots.txt".into(),
            robots("User-agent: Baiduspider\nDisallow: /\n\nUser-agent: *\nDisallow: /system/\n"),
        );
        self.generic_list(&mut h, &site);
        let all_year_entries = self.generic_years(&mut h, &site);
        for e in self.c.generic.iter().chain(all_year_entries.iter()) {
            self.generic_entry(&mut h, &site, e);
        }
        h
    }

    /// The generic host's `list.html?page=N` pages.
    fn generic_list(&self, h: &mut HostRoutes, site: &GenericSite) {
        let entries = &self.c.generic;
        let rows: Vec<Row> = entries.iter().map(Entry::row).collect();
        let modified = newest(entries);
        let pages = rows.len().div_ceil(GENERIC_PAGE).max(1);
        let mut replies = HashMap::new();
        for p in 1..=pages {
            let chunk = rows
                .get((p - 1) * GENERIC_PAGE..(p * GENERIC_PAGE).min(rows.len()))
                .unwrap_or(&[]);
            let reply = generic_page(site.list_page(chunk, p, pages), modified);
            if p == 1 {
                replies.insert(String::new(), reply.clone());
            }
            replies.insert(p.to_string(), reply);
        }
        let past_end = generic_page(site.list_page(&[], pages + 1, pages), modified);
        h.routes.insert(
            site.list_path(),
            Route::Query {
                param: "page",
                replies,
                fallback: past_end,
            },
        );
    }

    /// The generic host's year folders, their index and 年报汇总; returns their entries.
    fn generic_years(&self, h: &mut HostRoutes, site: &GenericSite) -> Vec<Entry> {
        let years: Vec<i32> = self.c.generic_years.iter().map(|(y, _)| *y).collect();
        let all_year_entries: Vec<Entry> = self
            .c
            .generic_years
            .iter()
            .flat_map(|(_, e)| e.iter().cloned())
            .collect();
        let years_modified = newest(&all_year_entries);
        h.routes.insert(
            "/".into(),
            Route::Static(generic_page(site.years_page(&years), years_modified)),
        );
        h.routes.insert(
            GenericSite::years_path().into(),
            Route::Static(generic_page(site.years_page(&years), years_modified)),
        );
        let mut groups = Vec::new();
        for (year, entries) in &self.c.generic_years {
            let rows: Vec<Row> = entries.iter().map(Entry::row).collect();
            let reply = generic_page(site.year_page(*year, &rows), newest(entries));
            h.routes
                .insert(GenericSite::year_path(*year), Route::Static(reply));
            groups.push((*year, rows));
        }
        h.routes.insert(
            GenericSite::summary_path().into(),
            Route::Static(generic_page(site.summary_page(&groups), years_modified)),
        );
        all_year_entries
    }

    /// The pages behind one entry of the generic host's list or year folders.
    fn generic_entry(&self, h: &mut HostRoutes, site: &GenericSite, e: &Entry) {
        match &e.link {
            Link::Detail { doc, path, .. } => {
                let Some((d, body)) = self.doc(*doc) else {
                    return;
                };
                let page_html = site.detail(&self.detail(d, body, e.date, "", Vec::new()));
                h.routes
                    .insert(path.clone(), Route::Static(generic_page(page_html, e.date)));
            }
            Link::Challenge { path, kind } => {
                h.routes.insert(path.clone(), Route::Challenge(*kind));
            }
            Link::Trap { path, kind } => {
                h.routes.insert(path.clone(), Route::Trap(*kind));
                if path == "/trap/loop" {
                    h.routes
                        .insert("/trap/loop/again".into(), Route::Trap(*kind));
                }
            }
            _ => {}
        }
    }
}

/// How a TRS host sends its pages: UTF-8 (the county portal) or GB18030 bytes labelled
/// gb2312 behind IIS 6 (the older district site).
#[derive(Debug, Clone, Copy)]
struct TrsDialect {
    gbk: bool,
}

impl TrsDialect {
    fn encode(self, s: String) -> Vec<u8> {
        if self.gbk {
            gbk(&s)
        } else {
            s.into_bytes()
        }
    }

    fn list_type(self) -> &'static str {
        if self.gbk {
            "text/html"
        } else {
            "text/html; charset=utf-8"
        }
    }

    fn detail_type(self) -> &'static str {
        if self.gbk {
            "text/html; charset=gb2312"
        } else {
            "text/html; charset=utf-8"
        }
    }

    fn server(self) -> &'static str {
        if self.gbk {
            "Microsoft-IIS/6.0"
        } else {
            "nginx"
        }
    }

    /// Organisation code in the 索引号 of detail pages.
    fn org(self) -> &'static str {
        if self.gbk {
            "11440103007501234X"
        } else {
            "11451023MB1234567X"
        }
    }
}

/// `Server` of the generic host.
const GENERIC_SERVER: &str = "VWebServer";

/// A static UTF-8 page of the generic host.
fn generic_page(html: String, modified: Date) -> Reply {
    page(
        html.into_bytes(),
        "text/html; charset=utf-8",
        GENERIC_SERVER,
        modified,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::families::hanweb;
    use crate::http::Request;

    fn hosts() -> (Catalog, Vec<HostRoutes>) {
        let c = Catalog::standard(
            (0..HOSTS)
                .map(|i| format!("http://127.0.0.{}:80{i}", 2 + i))
                .collect(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let r = render(&c);
        (c, r)
    }

    fn get(h: &HostRoutes, target: &str) -> Reply {
        h.answer(&Request::get(target))
    }

    #[test]
    fn every_expected_url_is_served() {
        let (c, r) = hosts();
        let e = c.expected();
        let host_of = |u: &url::Url| {
            c.bases
                .iter()
                .position(|b| u.as_str().starts_with(b.as_str()))
        };
        for u in e
            .reports
            .iter()
            .flat_map(|r| r.urls.iter())
            .chain(e.non_reports.iter())
        {
            let Some(i) = host_of(u) else {
                panic!("no host for {u}")
            };
            let target = match u.query() {
                Some(q) => format!("{}?{q}", u.path()),
                None => u.path().to_string(),
            };
            let reply = get(&r[i], &target);
            assert_eq!(reply.status, 200, "{u}");
            assert!(reply.bytes().len() > 500, "{u}");
        }
        for u in &e.missing {
            assert_eq!(get(&r[TRS], u.path()).status, 404);
        }
        let statuses: Vec<u16> = e
            .blocked
            .iter()
            .filter_map(|u| host_of(u).map(|i| get(&r[i], u.path()).status))
            .collect();
        assert_eq!(statuses, vec![412, 521, 302]);
    }

    #[test]
    fn listings_link_every_entry() {
        let (c, r) = hosts();
        let page1 = String::from_utf8_lossy(get(&r[TRS], "/zfxxgk/zfxxgknb/index.html").bytes())
            .into_owned();
        assert!(page1.contains("var countPage = 3;"));
        let all: String = (0..3)
            .map(|p| {
                String::from_utf8_lossy(get(&r[TRS], &catalog::trs_site().listing_path(p)).bytes())
                    .into_owned()
            })
            .collect();
        for e in &c.trs {
            assert!(
                all.contains(&format!("title=\"{}\"", e.title)),
                "{}",
                e.title
            );
        }
        assert_eq!(get(&r[TRS], "/zfxxgk/zfxxgknb/index_3.html").status, 404);
        assert_eq!(get(&r[GBK], "/xxgk/zfxxgknb/index_2.htm").status, 200);
        let gbk_page = get(&r[GBK], "/xxgk/zfxxgknb/index.htm");
        let (text, _, bad) = encoding_rs::GBK.decode(gbk_page.bytes());
        assert!(!bad);
        assert!(text.contains("charset=gb2312"));
        let generic3 =
            String::from_utf8_lossy(get(&r[GENERIC], "/xxgk/gknb/list.html?page=3").bytes())
                .into_owned();
        assert!(generic3.contains("<span class=\"current\">3</span>"));
        assert!(
            String::from_utf8_lossy(get(&r[GENERIC], "/xxgk/gknb/list.html?page=9").bytes())
                .contains("暂无信息")
        );
    }

    #[test]
    fn attachments_and_headers() {
        let (c, r) = hosts();
        let e = c.expected();
        let dl = e
            .reports
            .iter()
            .flat_map(|r| r.urls.iter())
            .find(|u| u.path() == hanweb::DOWNLOAD_PATH)
            .cloned();
        let dl = dl.unwrap_or_else(|| panic!("no downfile.jsp attachment"));
        let reply = get(
            &r[HANWEB],
            &format!("{}?{}", dl.path(), dl.query().unwrap_or("")),
        );
        assert!(reply.bytes().starts_with(b"%PDF-"));
        assert!(reply.validators.is_none());
        let cd = reply
            .headers
            .iter()
            .find(|(n, _)| *n == "Content-Disposition")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let (name, _, bad) = encoding_rs::GBK.decode(&cd);
        assert!(
            !bad && name.contains("临江市人民政府2023年政府信息公开工作年度报告.pdf"),
            "{name}"
        );
        assert!(
            std::str::from_utf8(&cd).is_err(),
            "the header carries GBK bytes"
        );
        assert_eq!(get(&r[HANWEB], "/robots.txt").status, 404);
        let files_robots =
            String::from_utf8_lossy(get(&r[FILES], "/robots.txt").bytes()).into_owned();
        assert!(files_robots.contains("Crawl-delay: 1"));
    }
}
