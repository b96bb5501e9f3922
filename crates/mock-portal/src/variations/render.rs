//! Lays one Variations site out in its family's URL shapes and templates: listing pages (TRS
//! JS pager, Hanweb inline group + proxy, gkmlpt JSON feed, JEECMS and generic pagers), detail
//! pages, attached PDFs (Hanweb's through `downfile.jsp` with a GBK `Content-Disposition`),
//! redirect pages and raw HTML pages.

use std::collections::HashMap;

use super::listed::{Listed, Page};
use super::Family;
use crate::families::generic::GenericSite;
use crate::families::gkmlpt::{Article, GkmlptSite};
use crate::families::hanweb::{self, HanwebSite};
use crate::families::jeecms::JeecmsSite;
use crate::families::trs::TrsSite;
use crate::families::{index_no, Detail, Row};
use crate::http::Reply;
use crate::render::{gbk, page};
use crate::site::{HostRoutes, Route};
use crate::util::Date;

/// Rows per listing page.
const PER_PAGE: usize = 6;

/// A site's family with its templates and URL shapes.
#[derive(Debug, Clone)]
pub(crate) struct Shape {
    family: Family,
    trs: TrsSite,
    hanweb: HanwebSite,
    gkmlpt: GkmlptSite,
    jeecms: JeecmsSite,
    generic: GenericSite,
}

impl Shape {
    /// The shape of site `i` of `family` in `county`.
    pub(crate) fn new(family: Family, i: usize, county: &str) -> Shape {
        let name = format!("{county}人民政府");
        Shape {
            family,
            trs: TrsSite {
                name: name.clone(),
                column: "政府信息公开年报".into(),
                dir: "/zfxxgk/zfxxgknb/".into(),
                ext: "html",
                charset: "utf-8",
                legacy: false,
            },
            hanweb: HanwebSite {
                name: name.clone(),
                column: "政府信息公开年报".into(),
                column_id: 13_000 + i as u32,
                unit_id: 5_000_000 + i as u32,
                web_id: 31,
                per_page: PER_PAGE,
            },
            gkmlpt: GkmlptSite {
                name: name.clone(),
                sid: format!("{}", 760_001 + i),
                category: 368,
                page_size: PER_PAGE,
                hidden: 0,
            },
            jeecms: JeecmsSite {
                name: name.clone(),
                channel: "政府信息公开年报".into(),
                dir: "/xxgk/gknb/".into(),
            },
            generic: GenericSite {
                name,
                column: "政府信息公开年报".into(),
                list_dir: "/xxgk/nb/".into(),
            },
        }
    }

    /// The listing a user would seed.
    pub(crate) fn seed_path(&self) -> String {
        match self.family {
            Family::Trs => self.trs.listing_path(0),
            Family::Hanweb => self.hanweb.column_path(),
            Family::Gkmlpt => "/gkmlpt/index".into(),
            Family::Jeecms => self.jeecms.listing_path(1),
            Family::Generic => self.generic.list_path(),
        }
    }

    /// A detail page.
    pub(crate) fn detail_path(&self, date: Date, id: u64) -> String {
        match self.family {
            Family::Trs => self.trs.detail_path(date, id),
            Family::Hanweb => self.hanweb.detail_path(date, id),
            Family::Gkmlpt => GkmlptSite::detail_path(id),
            Family::Jeecms => self.jeecms.detail_path(id),
            Family::Generic => GenericSite::detail_path(id),
        }
    }

    /// File `k` attached to article `id`.
    pub(crate) fn file_path(&self, date: Date, id: u64, k: usize) -> String {
        let n = id + k as u64;
        match self.family {
            Family::Trs => self.trs.attachment_path(date, n),
            Family::Hanweb => HanwebSite::download_href(&format!(
                "{:032x}",
                u128::from(n) * 0x9E37_79B9_7F4A_7C15
            )),
            Family::Gkmlpt => GkmlptSite::attachment_path(n),
            Family::Jeecms => JeecmsSite::upload_path(date, n),
            Family::Generic => format!("/uploadfile/{}/{n}.pdf", date.yyyymm()),
        }
    }

    /// A listing-shaped URL (a year folder's index) for the listing reached as a detail page.
    pub(crate) fn listing_like_path(&self, year: i32) -> String {
        match self.family {
            Family::Trs => format!("{}{year}/index.html", self.trs.dir),
            Family::Hanweb => format!("/col/col{}/index.html", self.hanweb.column_id + 1),
            Family::Gkmlpt => format!("/gkmlpt/index/{year}"),
            Family::Jeecms => format!("{}{year}/index.jhtml", self.jeecms.dir),
            Family::Generic => GenericSite::year_path(year),
        }
    }

    /// The detail page of `l` in the family's template.
    fn detail_html(
        &self,
        l: &Listed,
        title: &str,
        agency: &str,
        body: &str,
        files: Vec<(String, String)>,
    ) -> String {
        let d = Detail {
            title,
            agency,
            date: l.row.date,
            body: body.to_string(),
            index_no: index_no("11451000MB0000000X", l.row.date.y, l.id),
            attachments: files,
        };
        match self.family {
            Family::Trs => self.trs.detail(&d),
            Family::Hanweb => self.hanweb.detail(&d, l.id),
            Family::Gkmlpt => self.gkmlpt.detail(&d, l.id),
            Family::Jeecms => self.jeecms.detail(&d),
            Family::Generic => self.generic.detail(&d),
        }
    }

    /// `href` of `target` as the family's pages write it.
    fn href(&self, target: &str) -> String {
        match self.family {
            Family::Trs => self.trs.relative(target),
            _ => target.to_string(),
        }
    }
}

/// A redirect page (跳转中).
fn redirect_page() -> String {
    "<html><head><meta http-equiv=\"refresh\" content=\"0;url=../index.html\"><title>跳转中</title></head><body>跳转中</body></html>".into()
}

fn html(body: String, modified: Date) -> Reply {
    page(
        body.into_bytes(),
        "text/html; charset=utf-8",
        "nginx",
        modified,
    )
}

/// The route table of one site.
pub(crate) fn render(shape: &Shape, base: &str, listed: &[Listed]) -> HostRoutes {
    let mut h = HostRoutes::new(Reply::not_found().with_header("Server", "nginx"));
    let mut downloads: HashMap<String, Reply> = HashMap::new();
    for l in listed {
        let date = l.row.date;
        match &l.page {
            Page::Detail {
                title,
                agency,
                body,
                files,
            } => {
                let links: Vec<(String, String)> = files
                    .iter()
                    .map(|f| {
                        let href = match shape.family {
                            // TRS attachments sit next to the article: `./P0….pdf`.
                            Family::Trs => sibling(&l.path, &f.path),
                            _ => f.path.clone(),
                        };
                        (href, f.name.clone())
                    })
                    .collect();
                let page_html = shape.detail_html(l, title, agency, body, links);
                h.routes
                    .insert(l.path.clone(), Route::Static(html(page_html, date)));
                for f in files {
                    file_route(
                        &mut h,
                        &mut downloads,
                        &f.path,
                        &f.name,
                        f.pdf.clone(),
                        date,
                    );
                }
            }
            Page::Redirect => {
                h.routes
                    .insert(l.path.clone(), Route::Static(html(redirect_page(), date)));
            }
            Page::Html(text) => {
                let reply = html(text.clone(), date);
                if l.path.starts_with(hanweb::DOWNLOAD_PATH) {
                    downloads.insert(filename_of(&l.path), reply);
                } else {
                    h.routes.insert(l.path.clone(), Route::Static(reply));
                }
            }
        }
    }
    if shape.family == Family::Hanweb {
        h.routes.insert(
            hanweb::DOWNLOAD_PATH.into(),
            Route::Query {
                param: "filename",
                replies: downloads,
                fallback: Reply::html(
                    200,
                    "<script>alert('文件不存在！');history.back();</script>".into(),
                ),
            },
        );
    }
    listings(&mut h, shape, base, listed);
    h
}

/// `./name` when `to` is in `from`'s directory, else `to`.
fn sibling(from: &str, to: &str) -> String {
    let dir = |p: &str| p.rfind('/').map_or(0, |i| i + 1);
    if from[..dir(from)] == to[..dir(to)] {
        format!("./{}", &to[dir(to)..])
    } else {
        to.to_string()
    }
}

/// The `filename=` of a `downfile.jsp` href.
fn filename_of(href: &str) -> String {
    href.rsplit("filename=")
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Serve a PDF at `path` (Hanweb: through `downfile.jsp`, octet-stream, GBK file name).
fn file_route(
    h: &mut HostRoutes,
    downloads: &mut HashMap<String, Reply>,
    path: &str,
    name: &str,
    pdf: Vec<u8>,
    date: Date,
) {
    if path.starts_with(hanweb::DOWNLOAD_PATH) {
        let mut disposition = b"attachment; filename=\"".to_vec();
        let shown = if name.to_ascii_lowercase().ends_with(".pdf") {
            name.to_string()
        } else {
            format!("{name}.pdf")
        };
        disposition.extend(gbk(&shown));
        disposition.push(b'"');
        let reply = Reply::new(200, "application/octet-stream", pdf)
            .with_header("Server", "Apache-Coyote/1.1")
            .with_header("Content-Disposition", disposition);
        downloads.insert(filename_of(path), reply);
    } else {
        h.routes.insert(
            path.into(),
            Route::Static(page(pdf, "application/pdf", "nginx", date)),
        );
    }
}

/// The listing pages of the site (newest first, as listed).
fn listings(h: &mut HostRoutes, shape: &Shape, base: &str, listed: &[Listed]) {
    let rows: Vec<Row> = listed
        .iter()
        .map(|l| {
            let mut r = l.row.clone();
            r.href = shape.href(&l.path);
            r
        })
        .collect();
    let modified = rows
        .iter()
        .map(|r| r.date)
        .max()
        .unwrap_or(Date::at(2024, 1, 1, 0, 0));
    let pages = rows.len().div_ceil(PER_PAGE).max(1);
    let chunk = |p: usize| {
        rows.get(p * PER_PAGE..((p + 1) * PER_PAGE).min(rows.len()))
            .unwrap_or(&[])
    };
    match shape.family {
        Family::Trs => {
            for p in 0..pages {
                let reply = html(shape.trs.listing(chunk(p), p, pages), modified);
                if p == 0 {
                    h.routes
                        .insert(shape.trs.dir.clone(), Route::Static(reply.clone()));
                }
                h.routes
                    .insert(shape.trs.listing_path(p), Route::Static(reply));
            }
        }
        Family::Jeecms => {
            for p in 1..=pages {
                let reply = html(shape.jeecms.listing(chunk(p - 1), p, pages), modified);
                h.routes
                    .insert(shape.jeecms.listing_path(p), Route::Static(reply));
            }
        }
        Family::Generic => {
            let mut replies = HashMap::new();
            for p in 1..=pages {
                replies.insert(
                    p.to_string(),
                    html(shape.generic.list_page(chunk(p - 1), p, pages), modified),
                );
            }
            let fallback = replies.get("1").cloned().unwrap_or_else(Reply::not_found);
            h.routes.insert(
                shape.generic.list_path(),
                Route::Query {
                    param: "page",
                    replies,
                    fallback,
                },
            );
        }
        Family::Hanweb => {
            let column = html(shape.hanweb.column_page(&rows), modified);
            h.routes
                .insert(shape.hanweb.column_path(), Route::Static(column));
            h.routes
                .insert(hanweb::PROXY_PATH.into(), Route::HanwebProxy);
            h.hanweb = Some((shape.hanweb.clone(), rows));
        }
        Family::Gkmlpt => {
            h.routes.insert(
                "/gkmlpt/index".into(),
                Route::Static(html(shape.gkmlpt.index_page(), modified)),
            );
            h.routes.insert(shape.gkmlpt.api_path(), Route::GkmlptApi);
            let articles = listed
                .iter()
                .map(|l| Article {
                    id: l.id,
                    title: l.row.title.clone(),
                    publisher: match &l.page {
                        Page::Detail { agency, .. } => agency.clone(),
                        _ => String::new(),
                    },
                    identifier: index_no("007000000", l.row.date.y, l.id),
                    date: l.row.date,
                    url: format!("{base}{}", l.path),
                    attachments: Vec::new(),
                })
                .collect();
            h.gkmlpt = Some((shape.gkmlpt.clone(), articles));
        }
    }
}
