//! Guangdong gkmlpt pages (portals.md §5): `/gkmlpt/index` with `window._CONFIG = { SID: '…',
//! TREE: [{id: 368, name: '政府信息公开年报', …}] }`, the JSON list API
//! `/gkmlpt/api/all/{cat}?page=N&sid=S` (`total`, `articles` with absolute `url`s), and detail
//! pages `/gkmlpt/content/{id/1e6}/{id/1e3}/post_{id}.html` with `div.article-content` and the
//! same body JSON-escaped in `_CONFIG.DETAIL`.
//!
//! Like the real feeds, the category claims more items (`total`) than it serves: the oldest
//! ones are hidden, and pages past the served slice return an empty `articles` list.

use serde_json::json;

use super::Detail;
use crate::http::{Reply, Request};
use crate::util::{esc, Date};

/// One article of the feed.
#[derive(Debug, Clone)]
pub(crate) struct Article {
    /// Post id.
    pub(crate) id: u64,
    /// Title.
    pub(crate) title: String,
    /// 发布机构.
    pub(crate) publisher: String,
    /// 索引号.
    pub(crate) identifier: String,
    /// Publication time.
    pub(crate) date: Date,
    /// Absolute URL of the detail page (or of a blocked/missing page).
    pub(crate) url: String,
    /// Attachments as (file name, absolute URL).
    pub(crate) attachments: Vec<(String, String)>,
}

/// A gkmlpt site.
#[derive(Debug, Clone)]
pub(crate) struct GkmlptSite {
    /// Site name.
    pub(crate) name: String,
    /// `SID`.
    pub(crate) sid: String,
    /// Category id of the 年报 column in `TREE`.
    pub(crate) category: u32,
    /// Articles per API page.
    pub(crate) page_size: usize,
    /// Items the feed claims beyond those it serves (hidden old items).
    pub(crate) hidden: usize,
}

impl GkmlptSite {
    /// `/gkmlpt/content/4/4942/post_4942475.html`.
    pub(crate) fn detail_path(id: u64) -> String {
        format!(
            "/gkmlpt/content/{}/{}/post_{id}.html",
            id / 1_000_000,
            id / 1000
        )
    }

    /// `/gkmlpt/api/all/{cat}`.
    pub(crate) fn api_path(&self) -> String {
        format!("/gkmlpt/api/all/{}", self.category)
    }

    /// `/attachment/{a}/{b}/{c}/{id}.pdf`.
    pub(crate) fn attachment_path(id: u64) -> String {
        let c = id / 3 + 1_000_000;
        format!("/attachment/{}/{}/{c}/{id}.pdf", c / 1_000_000, c / 1000)
    }

    fn head(&self, title: &str, metas: &str) -> String {
        format!(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n{metas}<link rel=\"stylesheet\" href=\"/gkmlpt/static/css/gkmlpt.css\">\n</head>\n",
            esc(title)
        )
    }

    /// The SPA shell with `window._CONFIG`.
    pub(crate) fn index_page(&self) -> String {
        let mut h = self.head(&format!("政府信息公开_{}", self.name), "");
        h.push_str("<body>\n<div id=\"app\"><div class=\"loading\">加载中…</div></div>\n");
        h.push_str(&format!(
            "<script>window._CONFIG = {{ SID: '{sid}', TREE: [{{id: 367, name: '政府信息公开指南', children: []}}, {{id: {cat}, name: '政府信息公开年报', children: []}}, {{id: 369, name: '政策文件', children: [{{id: 370, name: '规范性文件', children: []}}]}}], DETAIL: null, SITE_NAME: '{name}' }};</script>\n",
            sid = self.sid,
            cat = self.category,
            name = self.name,
        ));
        h.push_str("<script src=\"/gkmlpt/static/js/manifest.js\"></script>\n<script src=\"/gkmlpt/static/js/app.js\"></script>\n</body>\n</html>\n");
        h
    }

    /// Answer `GET /gkmlpt/api/all/{cat}?page=N&sid=S` over `articles` (newest first).
    pub(crate) fn api(&self, articles: &[Article], req: &Request) -> Reply {
        if !req.is_get() {
            return Reply::method_not_allowed();
        }
        let sid_ok = req.query_param("sid").is_some_and(|s| s == self.sid);
        let page = req
            .query_param("page")
            .and_then(|p| p.parse::<usize>().ok())
            .unwrap_or(1)
            .max(1);
        let (total, slice) = if sid_ok {
            let start = (page - 1).saturating_mul(self.page_size);
            let end = start.saturating_add(self.page_size).min(articles.len());
            (
                articles.len() + self.hidden,
                articles.get(start..end).unwrap_or(&[]),
            )
        } else {
            (0, &[][..])
        };
        let items: Vec<serde_json::Value> = slice
            .iter()
            .map(|a| {
                json!({
                    "id": a.id,
                    "title": a.title,
                    "identifier": a.identifier,
                    "publisher": a.publisher,
                    "document_number": "",
                    "created_at": format!("{}:00", a.date.ymd_hm()),
                    "display_publish_time": a.date.unix(),
                    "url": a.url,
                    "attachment": a.attachments.iter().map(|(n, u)| json!({"name": n, "url": u})).collect::<Vec<_>>(),
                })
            })
            .collect();
        let body = json!({"total": total, "classify": {"post_count": total}, "articles": items});
        Reply::new(
            200,
            "application/json;charset=UTF-8",
            body.to_string().into_bytes(),
        )
        .with_header("Server", "nginx")
    }

    /// A detail page for post `id`.
    pub(crate) fn detail(&self, d: &Detail<'_>, id: u64) -> String {
        let metas = format!(
            "<meta name=\"ArticleTitle\" content=\"{t}\">\n<meta name=\"PubDate\" content=\"{date}\">\n<meta name=\"ContentSource\" content=\"{src}\">\n",
            t = esc(d.title),
            date = d.date.ymd_hm(),
            src = esc(d.agency)
        );
        let mut h = self.head(d.title, &metas);
        h.push_str(&format!(
            "<body>\n<div class=\"header\"><a href=\"/\">{}</a> <a href=\"/gkmlpt/index\">政府信息公开</a></div>\n",
            esc(&self.name)
        ));
        h.push_str(&format!(
            "<div class=\"classify\"><table><tr><td class=\"label\">索引号：</td><td>{idx}</td><td class=\"label\">分类：</td><td>政府信息公开年报</td></tr>\
<tr><td class=\"label\">发布机构：</td><td>{src}</td><td class=\"label\">成文日期：</td><td>{day}</td></tr>\
<tr><td class=\"label\">名称：</td><td colspan=\"3\">{t}</td></tr>\
<tr><td class=\"label\">文号：</td><td></td><td class=\"label\">发布日期：</td><td>{day}</td></tr></table></div>\n",
            idx = esc(&d.index_no),
            src = esc(d.agency),
            day = d.date.ymd(),
            t = esc(d.title),
        ));
        h.push_str(&format!(
            "<div class=\"content\"><h1 class=\"content-title\">{}</h1>\n<div class=\"article-content\">\n{}</div>\n",
            esc(d.title),
            d.body
        ));
        if !d.attachments.is_empty() {
            h.push_str("<div class=\"attachment\"><span>附件：</span><ul>");
            for (href, name) in &d.attachments {
                h.push_str(&format!(
                    "<li><a href=\"{}\">{}</a></li>",
                    esc(href),
                    esc(name)
                ));
            }
            h.push_str("</ul></div>\n");
        }
        h.push_str("</div>\n");
        // The page also carries the article as JSON, with '<' and '>' escaped the way gkmlpt does.
        let detail = json!({"id": id, "title": d.title, "publisher": d.agency, "content": d.body})
            .to_string();
        let detail = detail.replace('<', "\\u003C").replace('>', "\\u003E");
        h.push_str(&format!(
            "<script>window._CONFIG = {{ SID: '{}', DETAIL: {detail} }};</script>\n",
            self.sid
        ));
        h.push_str("<div class=\"footer\">网站标识码：4413020001　粤ICP备05000000号</div>\n</body>\n</html>\n");
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> GkmlptSite {
        GkmlptSite {
            name: "东湖区人民政府".into(),
            sid: "752001".into(),
            category: 368,
            page_size: 5,
            hidden: 2,
        }
    }

    fn articles(n: u64) -> Vec<Article> {
        (0..n)
            .map(|i| Article {
                id: 4_942_475 + i,
                title: format!("报告{i}"),
                publisher: "东湖区统计局".into(),
                identifier: "x".into(),
                date: Date::at(2024, 1, 26, 9, 30),
                url: format!("http://h{}", GkmlptSite::detail_path(4_942_475 + i)),
                attachments: vec![],
            })
            .collect()
    }

    #[test]
    fn api_pages_claim_hidden_items() {
        let s = site();
        let a = articles(12);
        let page = |q: &str| -> serde_json::Value {
            let r = s.api(&a, &Request::get(&format!("/gkmlpt/api/all/368?{q}")));
            serde_json::from_slice(r.bytes()).unwrap_or_default()
        };
        let p1 = page("page=1&sid=752001");
        assert_eq!(p1["total"], 14);
        assert_eq!(p1["articles"].as_array().map(Vec::len), Some(5));
        assert_eq!(
            p1["articles"][0]["url"],
            "http://h/gkmlpt/content/4/4942/post_4942475.html"
        );
        assert_eq!(
            page("page=3&sid=752001")["articles"]
                .as_array()
                .map(Vec::len),
            Some(2)
        );
        assert_eq!(
            page("page=4&sid=752001")["articles"]
                .as_array()
                .map(Vec::len),
            Some(0)
        );
        assert_eq!(page("page=1&sid=1")["total"], 0);
    }

    #[test]
    fn index_and_detail_shapes() {
        let s = site();
        let idx = s.index_page();
        assert!(idx.contains("window._CONFIG = { SID: '752001', TREE: [{id: 367"));
        assert!(idx.contains("{id: 368, name: '政府信息公开年报'"));
        let d = Detail {
            title: "报告",
            agency: "东湖区统计局",
            date: Date::at(2024, 1, 26, 9, 30),
            body: "<p>一、总体情况</p>".into(),
            index_no: "i".into(),
            attachments: vec![],
        };
        let html = s.detail(&d, 4_942_475);
        assert!(html.contains("<div class=\"article-content\">\n<p>一、总体情况</p></div>"));
        assert!(html.contains("\\u003Cp\\u003E一、总体情况"));
        assert_eq!(
            GkmlptSite::attachment_path(7_756_059),
            "/attachment/3/3585/3585353/7756059.pdf"
        );
    }
}
