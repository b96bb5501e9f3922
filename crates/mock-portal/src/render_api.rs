//! Rendering of the Standard hosts whose columns are read through an API (Hanweb's
//! `dataproxy.jsp`, gkmlpt's JSON feed), the attachment host and the off-scope mirror.

use std::collections::HashMap;

use super::catalog::{self, GKMLPT};
use super::families::gkmlpt::Article;
use super::families::hanweb;
use super::families::Row;
use super::http::Reply;
use super::render::{gbk, newest, page, robots, Renderer};
use super::site::{Entry, HostRoutes, Link, PageQuirk, Route};
use super::util::{esc, Date};

impl Renderer<'_> {
    pub(crate) fn hanweb(&self) -> HostRoutes {
        let site = catalog::hanweb_site();
        let entries = &self.c.hanweb;
        let mut h = HostRoutes::new(Reply::not_found().with_header("Server", "nginx"));
        // No robots.txt at all: 404 means "allow everything".
        let rows: Vec<Row> = entries.iter().map(Entry::row).collect();
        let modified = newest(entries);
        let column = page(
            site.column_page(&rows).into_bytes(),
            "text/html; charset=utf-8",
            "nginx",
            modified,
        );
        h.routes
            .insert(site.column_path(), Route::Static(column.clone()));
        h.routes.insert(
            format!("/col/col{}/", site.column_id),
            Route::Static(column),
        );
        h.routes
            .insert(hanweb::PROXY_PATH.into(), Route::HanwebProxy);
        let mut downloads = HashMap::new();
        for e in entries {
            match &e.link {
                Link::Detail {
                    doc,
                    path,
                    attachment,
                    ..
                } => {
                    let Some((d, body)) = self.doc(*doc) else {
                        continue;
                    };
                    let name = format!("{}.pdf", d.title);
                    let attachments: Vec<(String, String)> = attachment
                        .iter()
                        .map(|a| (a.clone(), name.clone()))
                        .collect();
                    let html = site.detail(
                        &self.detail(d, body, e.date, "014000000", attachments),
                        d.id,
                    );
                    h.routes.insert(
                        path.clone(),
                        Route::Static(page(
                            html.into_bytes(),
                            "text/html; charset=utf-8",
                            "nginx",
                            e.date,
                        )),
                    );
                    if let Some(a) = attachment {
                        let filename = a.rsplit("filename=").next().unwrap_or_default().to_string();
                        let mut disposition = b"attachment; filename=\"".to_vec();
                        disposition.extend(gbk(&name));
                        disposition.push(b'"');
                        let reply = Reply::new(200, "application/octet-stream", d.pdf())
                            .with_header("Server", "Apache-Coyote/1.1")
                            .with_header("Content-Disposition", disposition);
                        downloads.insert(filename, reply);
                    }
                }
                Link::Challenge { path, kind } => {
                    h.routes.insert(path.clone(), Route::Challenge(*kind));
                }
                _ => {}
            }
        }
        let missing = Reply::html(
            200,
            "<script>alert('文件不存在！');history.back();</script>".into(),
        );
        h.routes.insert(
            hanweb::DOWNLOAD_PATH.into(),
            Route::Query {
                param: "filename",
                replies: downloads,
                fallback: missing,
            },
        );
        h.hanweb = Some((site, rows));
        h
    }

    pub(crate) fn gkmlpt(&self) -> HostRoutes {
        let site = catalog::gkmlpt_site();
        let base = self.base(GKMLPT);
        let mut h = HostRoutes::new(Reply::not_found().with_header("Server", "nginx"));
        h.routes.insert(
            "/robots.txt".into(),
            robots("User-agent: *\nDisallow: /gkmlpt/search\n"),
        );
        let modified = newest(&self.c.gkmlpt);
        h.routes.insert(
            "/gkmlpt/index".into(),
            Route::Static(page(
                site.index_page().into_bytes(),
                "text/html; charset=utf-8",
                "nginx",
                modified,
            )),
        );
        h.routes.insert(site.api_path(), Route::GkmlptApi);
        let mut articles = Vec::new();
        for e in &self.c.gkmlpt {
            let Link::Detail {
                doc,
                path,
                quirk,
                attachment,
            } = &e.link
            else {
                continue;
            };
            let Some((d, body)) = self.doc(*doc) else {
                continue;
            };
            let name = format!("{}.pdf", d.title);
            let attachments: Vec<(String, String)> = attachment
                .iter()
                .map(|a| (a.clone(), name.clone()))
                .collect();
            let detail = self.detail(d, body, e.date, "007000000", attachments);
            let mut reply = page(
                site.detail(&detail, d.id).into_bytes(),
                "text/html; charset=utf-8",
                "nginx",
                e.date,
            );
            reply.retry_after_once = *quirk == PageQuirk::RetryOnce;
            h.routes.insert(path.clone(), Route::Static(reply));
            if let Some(a) = attachment {
                h.routes
                    .insert(a.clone(), Route::Static(self.pdf(d, "nginx", e.date)));
            }
            articles.push(Article {
                id: d.id,
                title: e.title.clone(),
                publisher: d.agency.clone(),
                identifier: detail.index_no.clone(),
                date: e.date,
                url: format!("{base}{path}"),
                attachments: attachment
                    .iter()
                    .map(|a| (name.clone(), format!("{base}{a}")))
                    .collect(),
            });
        }
        h.gkmlpt = Some((site, articles));
        h
    }

    pub(crate) fn files(&self) -> HostRoutes {
        let mut h = HostRoutes::new(Reply::not_found().with_header("Server", "nginx"));
        h.routes.insert(
            "/robots.txt".into(),
            robots("User-agent: *\nCrawl-delay: 1\n"),
        );
        for (path, doc) in &self.c.files {
            if let Some(d) = self.c.docs.get(*doc) {
                h.routes.insert(
                    path.clone(),
                    Route::Static(self.pdf(d, "nginx", Date::at(2024, 1, 29, 9, 30))),
                );
            }
        }
        h
    }

    pub(crate) fn mirror(&self) -> HostRoutes {
        let mut h = HostRoutes::new(Reply::not_found());
        h.routes
            .insert("/robots.txt".into(), robots("User-agent: *\nDisallow:\n"));
        for (path, doc) in &self.c.mirror {
            let Some((d, body)) = self.doc(*doc) else {
                continue;
            };
            let html = format!(
                "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{t}-政策资讯网</title></head><body>\
<div class=\"ad\"><a href=\"/\">政策资讯网</a> 热门推荐：<a href=\"/tag/1.html\">最新政策</a></div>\
<h1>{t}</h1><div class=\"content\">{body}</div><div class=\"ad\">本文转载自网络，如有侵权请联系删除。</div></body></html>",
                t = esc(&d.title)
            );
            h.routes.insert(
                path.clone(),
                Route::Static(page(
                    html.into_bytes(),
                    "text/html; charset=utf-8",
                    "nginx",
                    Date::at(2024, 1, 30, 0, 0),
                )),
            );
        }
        h
    }
}
