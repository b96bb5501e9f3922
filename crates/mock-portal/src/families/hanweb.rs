//! Hanweb 大汉 JCMS pages (portals.md §4): the column page `/col/col{C}/index.html` embeds the
//! first group (3 × perPage records) in an inline `<datastore>` plus `var param_{unit}` and
//! `jpage({totalRecord, perPage})`; further groups come from
//! `POST /module/web/jpage/dataproxy.jsp?startrecord=&endrecord=&perpage=` with the form fields
//! and a Referer, answering XML with `<totalrecord>` and one look-ahead record (endrecord + 1,
//! as observed on nhsa.gov.cn). Details are `/art/Y/M/D/art_{C}_{id}.html` with `#zoom`,
//! ContentStart/ContentEnd markers and `信息来源` comments; attachments go through
//! `/module/download/downfile.jsp?classid=0&filename=<32hex>.pdf`.

use super::{Detail, Row};
use crate::http::{Reply, Request};
use crate::util::{esc, Date};

/// Path of the proxy.
pub(crate) const PROXY_PATH: &str = "/module/web/jpage/dataproxy.jsp";
/// Path of the download servlet.
pub(crate) const DOWNLOAD_PATH: &str = "/module/download/downfile.jsp";
/// Records returned by one proxy call at most (bounds the work per request).
const MAX_RECORDS_PER_CALL: usize = 600;

/// A Hanweb site and its 年报 column.
#[derive(Debug, Clone)]
pub(crate) struct HanwebSite {
    /// Site name (`webname`).
    pub(crate) name: String,
    /// Column name.
    pub(crate) column: String,
    /// Column id (`columnid`).
    pub(crate) column_id: u32,
    /// Unit id of the list module (`unitid`, also the container's DOM id).
    pub(crate) unit_id: u32,
    /// `webid`.
    pub(crate) web_id: u32,
    /// Records per page (`perPage`); a group is 3 pages.
    pub(crate) per_page: usize,
}

impl HanwebSite {
    /// `/col/col{C}/index.html`.
    pub(crate) fn column_path(&self) -> String {
        format!("/col/col{}/index.html", self.column_id)
    }

    /// `/art/2024/1/26/art_{C}_{id}.html` (month and day without leading zeros).
    pub(crate) fn detail_path(&self, date: Date, id: u64) -> String {
        format!(
            "/art/{}/{}/{}/art_{}_{id}.html",
            date.y, date.m, date.d, self.column_id
        )
    }

    /// `href` of a downloadable file named by 32 hex digits.
    pub(crate) fn download_href(hex32: &str) -> String {
        format!("{DOWNLOAD_PATH}?classid=0&filename={hex32}.pdf")
    }

    fn webname_encoded(&self) -> String {
        url::form_urlencoded::byte_serialize(self.name.as_bytes()).collect()
    }

    /// One `<record>` row.
    fn record(row: &Row) -> String {
        let (attr, text) = row.link(24);
        format!(
            "<record><![CDATA[<li class=\"clearfix\"><a href=\"{}\"{attr} target=\"_blank\">{text}</a><b>{}</b></li>]]></record>\n",
            esc(&row.href),
            row.date.ymd()
        )
    }

    fn head(&self, title: &str, metas: &str) -> String {
        format!(
            "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n<meta name=\"SiteName\" content=\"{site}\">\n<meta name=\"SiteIDCode\" content=\"3210000001\">\n<meta name=\"ColumnName\" content=\"{col}\">\n<meta name=\"ColumnType\" content=\"{col}\">\n{metas}\
<link rel=\"stylesheet\" href=\"/images/base.css\">\n<script src=\"/module/jslib/jquery/jquery.js\"></script>\n<script src=\"/module/jslib/jquery/jpage/jquery.page.min.js\"></script>\n</head>\n",
            t = esc(title),
            site = esc(&self.name),
            col = esc(&self.column),
        )
    }

    fn header(&self) -> String {
        format!(
            "<div class=\"header\"><div class=\"w1200\"><a class=\"logo\" href=\"/\">{}</a><ul class=\"nav\"><li><a href=\"/\">首页</a></li><li><a href=\"/col/col12300/index.html\">政务公开</a></li><li><a href=\"/col/col12400/index.html\">政务服务</a></li><li><a href=\"/col/col12500/index.html\">互动交流</a></li></ul></div></div>\n",
            esc(&self.name)
        )
    }

    fn footer(&self) -> String {
        format!(
            "<div class=\"footer\"><p>主办：{site}办公室　地址：临江市行政中心　邮编：223001</p><p>网站标识码：3208000001　<a href=\"https://beian.miit.gov.cn/\">苏ICP备05012345号-1</a></p><p><a href=\"https://bszs.conac.cn/\"><img src=\"/images/dzjg.png\"></a></p></div>\n",
            site = esc(&self.name)
        )
    }

    /// The column page: inline first group of `3 × per_page` records out of `rows`.
    pub(crate) fn column_page(&self, rows: &[Row]) -> String {
        self.column_page_with(rows.len(), rows)
    }

    /// The column page of a column of `total` records whose first ones are `rows`.
    pub(crate) fn column_page_with(&self, total: usize, rows: &[Row]) -> String {
        let mut h = self.head(&format!("{}_{}", self.column, self.name), "");
        h.push_str("<body>\n");
        h.push_str(&self.header());
        h.push_str(&format!(
            "<div class=\"bt-position\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"/col/col12300/index.html\">政务公开</a> &gt; <a href=\"{}\">{}</a></div>\n",
            self.column_path(),
            esc(&self.column)
        ));
        h.push_str(&format!("<div class=\"list-main\"><div class=\"default_pgContainer\" id=\"{}\"><script type=\"text/xml\"><datastore>\n", self.unit_id));
        h.push_str(&format!(
            "<nextgroup><![CDATA[<a href=\"{PROXY_PATH}?page=1&appid=1&webid={}&path=/&columnid={}&unitid={}&webname={}&permissiontype=0\"></a>]]></nextgroup>\n<recordset>\n",
            self.web_id,
            self.column_id,
            self.unit_id,
            self.webname_encoded()
        ));
        for row in rows.iter().take(3 * self.per_page) {
            h.push_str(&Self::record(row));
        }
        h.push_str("</recordset></datastore></script></div></div>\n");
        h.push_str(&format!(
            "<script>var param_{u} = {{col:1,appid:1,webid:{w},path:'/',columnid:{c},sourceContentType:1,unitid:'{u}',webname:'{n}',permissiontype:0}};\n$('#{u}').jpage({{totalRecord:{t}, perPage:{p}}});</script>\n",
            u = self.unit_id,
            w = self.web_id,
            c = self.column_id,
            n = self.name,
            t = total,
            p = self.per_page,
        ));
        h.push_str(&self.footer());
        h.push_str("</body>\n</html>\n");
        h
    }

    /// The form a browser posts to the proxy (for tests and documentation).
    #[cfg(test)]
    pub(crate) fn proxy_form(&self) -> String {
        format!(
            "col=1&appid=1&webid={}&path=%2F&columnid={}&sourceContentType=1&unitid={}&webname={}&permissiontype=0",
            self.web_id,
            self.column_id,
            self.unit_id,
            self.webname_encoded()
        )
    }

    /// Answer a proxy request over a column of `total` records (newest first);
    /// `rows(a, b)` gives the records with 0-based indices `a..b`.
    pub(crate) fn proxy(
        &self,
        total: usize,
        rows: impl Fn(usize, usize) -> Vec<Row>,
        req: &Request,
    ) -> Reply {
        if req.method != "POST" {
            return Reply::method_not_allowed();
        }
        let referer_ok = req
            .header("referer")
            .is_some_and(|r| r.contains(&format!("/col/col{}/", self.column_id)));
        if !referer_ok {
            return Reply::html(
                403,
                "<html><body><h3>非法请求，来源不正确！</h3></body></html>".into(),
            )
            .with_header("Server", "Apache-Coyote/1.1");
        }
        let form = req.form();
        let field = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        let required = [
            "col",
            "appid",
            "webid",
            "path",
            "columnid",
            "unitid",
            "webname",
            "permissiontype",
        ];
        let form_ok = required.iter().all(|k| field(k).is_some())
            && field("columnid") == Some(self.column_id.to_string().as_str())
            && field("unitid") == Some(self.unit_id.to_string().as_str());
        let total = if form_ok { total } else { 0 };
        let per_page = req
            .query_param("perpage")
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|p| *p > 0)
            .unwrap_or(self.per_page);
        let start = req
            .query_param("startrecord")
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(1)
            .max(1);
        let end = req
            .query_param("endrecord")
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(start + 3 * per_page - 1);
        // One look-ahead record past `endrecord`, clipped to the column.
        let last = end
            .saturating_add(1)
            .min(total)
            .min(start.saturating_add(MAX_RECORDS_PER_CALL));
        let mut x = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<datastore><totalrecord>{total}</totalrecord><totalpage>{}</totalpage><recordset>\n",
            total.div_ceil(per_page)
        );
        if form_ok && start <= last {
            for row in rows(start - 1, last) {
                x.push_str(&Self::record(&row));
            }
        }
        x.push_str("</recordset></datastore>\n");
        Reply::new(200, "text/xml;charset=UTF-8", x.into_bytes())
            .with_header("Server", "Apache-Coyote/1.1")
    }

    /// A detail page; `article_id` feeds the `i_articleid` meta.
    pub(crate) fn detail(&self, d: &Detail<'_>, article_id: u64) -> String {
        let metas = format!(
            "<meta name=\"ArticleTitle\" content=\"{t}\">\n<meta name=\"PubDate\" content=\"{date}\">\n<meta name=\"ContentSource\" content=\"{src}\">\n<meta name=\"Keywords\" content=\"\">\n<meta name=\"Description\" content=\"\">\n<meta name=\"Maketime\" content=\"{date}:00\">\n<meta name=\"i_columnid\" content=\"{c}\">\n<meta name=\"i_articleid\" content=\"{article_id}\">\n",
            t = esc(d.title),
            date = d.date.ymd_hm(),
            src = esc(d.agency),
            c = self.column_id,
        );
        let mut h = self.head(
            &format!("{}_{}_{}", d.title, self.column, self.name),
            &metas,
        );
        h.push_str("<body>\n");
        h.push_str(&self.header());
        h.push_str(&format!(
            "<div class=\"bt-position\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"{}\">{}</a> &gt; 正文</div>\n",
            self.column_path(),
            esc(&self.column)
        ));
        h.push_str(&format!(
            "<div class=\"article\"><h1 class=\"title\">{t}</h1>\n<div class=\"sub\"><span>发布日期：{date}</span><span>信息来源：<!--<$[信息来源]>begin-->{src}<!--<$[信息来源]>end--></span><span>浏览次数：<script language=\"javascript\" src=\"/module/visitcount/articlehits.jsp?colid={c}&artid={article_id}\"></script></span><span>字体：[<a href=\"javascript:doZoom(20)\">大</a> <a href=\"javascript:doZoom(16)\">中</a> <a href=\"javascript:doZoom(12)\">小</a>]</span></div>\n",
            t = esc(d.title),
            date = d.date.ymd(),
            src = esc(d.agency),
            c = self.column_id,
        ));
        h.push_str("<div id=\"zoom\"><!--<$[信息内容]>begin--><!--ZJEG_RSS.content.begin--><meta name=\"ContentStart\">\n");
        h.push_str(&d.body);
        for (href, name) in &d.attachments {
            h.push_str(&format!(
                "<p>附件：<a href=\"{}\">{}</a></p>\n",
                esc(href),
                esc(name)
            ));
        }
        h.push_str("<meta name=\"ContentEnd\"><!--ZJEG_RSS.content.end--><!--<$[信息内容]>end--></div>\n</div>\n");
        h.push_str(
            "<div class=\"share\"><span>分享：</span><a href=\"javascript:void(0)\" class=\"bds_weixin\">微信</a><a href=\"javascript:void(0)\" class=\"bds_tsina\">微博</a></div>\n\
<div class=\"article-ewm\"><img src=\"/images/ewm.jpg\"><p>扫一扫在手机打开当前页</p></div>\n\
<div class=\"print\"><a href=\"javascript:window.print()\">[打印本页]</a> <a href=\"javascript:window.close()\">[关闭窗口]</a></div>\n",
        );
        h.push_str(&self.footer());
        h.push_str("</body>\n</html>\n");
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> HanwebSite {
        HanwebSite {
            name: "临江市人民政府".into(),
            column: "政府信息公开年报".into(),
            column_id: 12377,
            unit_id: 4021671,
            web_id: 27,
            per_page: 4,
        }
    }

    fn rows(n: usize) -> Vec<Row> {
        (0..n)
            .map(|i| {
                Row::new(
                    format!("报告{i}"),
                    Date::at(2024, 1, 26, 0, 0),
                    format!("/art/2024/1/26/art_12377_{i}.html"),
                )
            })
            .collect()
    }

    fn post(query: &str, referer: Option<&str>, form: &str) -> Request {
        let mut r = Request::get(&format!("{PROXY_PATH}?{query}"));
        r.method = "POST".into();
        if let Some(rf) = referer {
            r.headers.push(("referer".into(), rf.into()));
        }
        r.body = form.as_bytes().to_vec();
        r
    }

    #[test]
    fn column_page_inlines_first_group() {
        let s = site();
        let html = s.column_page(&rows(26));
        assert_eq!(html.matches("<record>").count(), 12);
        assert!(html.contains("$('#4021671').jpage({totalRecord:26, perPage:4});"));
        assert!(
            html.contains("var param_4021671 = {col:1,appid:1,webid:27,path:'/',columnid:12377")
        );
        assert!(html.contains(
            "<nextgroup><![CDATA[<a href=\"/module/web/jpage/dataproxy.jsp?page=1&appid=1"
        ));
        assert_eq!(
            s.detail_path(Date::at(2024, 1, 6, 0, 0), 5),
            "/art/2024/1/6/art_12377_5.html"
        );
    }

    #[test]
    fn proxy_needs_referer_and_form_and_overlaps() {
        let s = site();
        let all = rows(26);
        let slice = |a: usize, b: usize| all.get(a..b).map(<[Row]>::to_vec).unwrap_or_default();
        let q = "startrecord=13&endrecord=24&perpage=4";
        assert_eq!(
            s.proxy(all.len(), slice, &post(q, None, &s.proxy_form()))
                .status,
            403
        );
        let ok = s.proxy(
            all.len(),
            slice,
            &post(q, Some("http://h/col/col12377/index.html"), &s.proxy_form()),
        );
        let xml = String::from_utf8_lossy(ok.bytes()).into_owned();
        assert!(xml.contains("<totalrecord>26</totalrecord>"));
        assert_eq!(xml.matches("<record>").count(), 13, "12 + one look-ahead");
        assert!(xml.contains("art_12377_12.html") && xml.contains("art_12377_24.html"));
        assert!(ok.validators.is_none());
        let last = s.proxy(
            all.len(),
            slice,
            &post(
                "startrecord=25&endrecord=36&perpage=4",
                Some("http://h/col/col12377/index.html"),
                &s.proxy_form(),
            ),
        );
        assert_eq!(
            String::from_utf8_lossy(last.bytes())
                .matches("<record>")
                .count(),
            2
        );
        let empty = s.proxy(
            all.len(),
            slice,
            &post(q, Some("http://h/col/col12377/index.html"), "col=1"),
        );
        assert!(String::from_utf8_lossy(empty.bytes()).contains("<totalrecord>0</totalrecord>"));
        let mut get = post(q, Some("x"), "");
        get.method = "GET".into();
        assert_eq!(s.proxy(all.len(), slice, &get).status, 405);
    }

    #[test]
    fn detail_has_markers() {
        let d = Detail {
            title: "报告",
            agency: "临江市统计局",
            date: Date::at(2024, 1, 26, 9, 0),
            body: "<p>一、总体情况</p>".into(),
            index_no: String::new(),
            attachments: vec![(
                HanwebSite::download_href("3f2a9c0d4b6e4f1a8c7d2e5b9a0c1d2e"),
                "报告.pdf".into(),
            )],
        };
        let html = site().detail(&d, 1_486_865);
        for n in [
            "<meta name=\"ContentStart\">",
            "<meta name=\"ContentEnd\">",
            "信息来源：<!--<$[信息来源]>begin-->临江市统计局<!--<$[信息来源]>end-->",
            "<title>报告_政府信息公开年报_临江市人民政府</title>",
            "downfile.jsp?classid=0&amp;filename=3f2a9c0d4b6e4f1a8c7d2e5b9a0c1d2e.pdf",
            "<meta name=\"i_articleid\" content=\"1486865\">",
        ] {
            assert!(html.contains(n), "{n}");
        }
    }
}
