//! A generic CMS (VSB 博达-like): `list.html?page=N` listings with plain "下一页"/"尾页" links,
//! details `/info/1025/{id}.htm` with `div.v_news_content`, and a 年报 column organised in year
//! folders (`/gknb/index.html` → `/gknb/2023/index.html` …) plus a 年报汇总 page listing every
//! year's reports.

use super::{Detail, Row};
use crate::util::esc;

/// A generic site.
#[derive(Debug, Clone)]
pub(crate) struct GenericSite {
    /// Site name.
    pub(crate) name: String,
    /// Name of the `list.html` column.
    pub(crate) column: String,
    /// Directory of `list.html`, e.g. `/xxgk/gknb/`.
    pub(crate) list_dir: String,
}

impl GenericSite {
    /// `{list_dir}list.html`.
    pub(crate) fn list_path(&self) -> String {
        format!("{}list.html", self.list_dir)
    }

    /// `/info/1025/{id}.htm`.
    pub(crate) fn detail_path(id: u64) -> String {
        format!("/info/1025/{id}.htm")
    }

    /// `/gknb/index.html`: the 年报 column with its year folders.
    pub(crate) fn years_path() -> &'static str {
        "/gknb/index.html"
    }

    /// `/gknb/{year}/index.html`.
    pub(crate) fn year_path(year: i32) -> String {
        format!("/gknb/{year}/index.html")
    }

    /// `/gknb/{year}/c_{id}.html`: a report inside a year folder.
    pub(crate) fn year_detail_path(year: i32, id: u64) -> String {
        format!("/gknb/{year}/c_{id}.html")
    }

    /// `/gknb/nbhz.html`: the 年报汇总 page.
    pub(crate) fn summary_path() -> &'static str {
        "/gknb/nbhz.html"
    }

    fn page(&self, title: &str, metas: &str, main: &str) -> String {
        format!(
            "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n{metas}<link rel=\"stylesheet\" href=\"/style/main.css\">\n</head>\n<body>\n\
<div class=\"head\"><a href=\"/\" class=\"logo\">{site}</a><div class=\"menu\"><a href=\"/\">网站首页</a><a href=\"/xxgk/\">信息公开</a><a href=\"/gknb/index.html\">政府信息公开年报</a></div></div>\n\
{main}\
<div class=\"foot\">版权所有：{site}　技术支持：博达软件　<a href=\"/sitemap.html\">网站地图</a></div>\n</body>\n</html>\n",
            t = esc(title),
            site = esc(&self.name),
        )
    }

    fn rows_html(rows: &[Row]) -> String {
        let mut h = String::from("<ul class=\"news-list\">\n");
        for r in rows {
            let (attr, text) = r.link(40);
            h.push_str(&format!(
                "<li><span class=\"time\">{}</span><a href=\"{}\"{attr}>{text}</a></li>\n",
                r.date.ymd(),
                esc(&r.href),
            ));
        }
        h.push_str("</ul>\n");
        h
    }

    /// `list.html?page={page}` (1-based) of `pages`; past the end it shows 暂无信息.
    pub(crate) fn list_page(&self, rows: &[Row], page: usize, pages: usize) -> String {
        let mut main = format!(
            "<div class=\"position\">当前位置：<a href=\"/\">首页</a> » <a href=\"/xxgk/\">信息公开</a> » {}</div>\n<div class=\"list\">\n",
            esc(&self.column)
        );
        if rows.is_empty() {
            main.push_str("<p class=\"empty\">暂无信息</p>\n");
        } else {
            main.push_str(&Self::rows_html(rows));
        }
        main.push_str("<div class=\"pagination\">");
        main.push_str(&format!("<span>共{pages}页</span>"));
        if page > 1 {
            main.push_str("<a href=\"list.html?page=1\">首页</a>");
            main.push_str(&format!(
                "<a href=\"list.html?page={}\">上一页</a>",
                page - 1
            ));
        }
        for p in 1..=pages {
            if p == page {
                main.push_str(&format!("<span class=\"current\">{p}</span>"));
            } else {
                main.push_str(&format!("<a href=\"list.html?page={p}\">{p}</a>"));
            }
        }
        if page < pages {
            main.push_str(&format!(
                "<a href=\"list.html?page={}\">下一页</a>",
                page + 1
            ));
            main.push_str(&format!("<a href=\"list.html?page={pages}\">尾页</a>"));
        }
        main.push_str("</div>\n</div>\n");
        self.page(&format!("{}-{}", self.column, self.name), "", &main)
    }

    /// The 年报 column page linking the year folders (newest first) and the 年报汇总 page.
    pub(crate) fn years_page(&self, years: &[i32]) -> String {
        let mut main = String::from(
            "<div class=\"position\">当前位置：<a href=\"/\">首页</a> » 政府信息公开年报</div>\n<div class=\"nb-years\"><ul>\n",
        );
        for y in years {
            main.push_str(&format!(
                "<li><a href=\"{y}/index.html\">{y}年度</a></li>\n"
            ));
        }
        main.push_str("</ul><p><a href=\"nbhz.html\">年报汇总</a></p></div>\n");
        self.page(&format!("政府信息公开年报-{}", self.name), "", &main)
    }

    /// One year folder's index.
    pub(crate) fn year_page(&self, year: i32, rows: &[Row]) -> String {
        let main = format!(
            "<div class=\"position\">当前位置：<a href=\"/\">首页</a> » <a href=\"../index.html\">政府信息公开年报</a> » {year}年度</div>\n<div class=\"list\">\n{}</div>\n",
            Self::rows_html(rows)
        );
        self.page(
            &format!("{year}年度-政府信息公开年报-{}", self.name),
            "",
            &main,
        )
    }

    /// 年报汇总: every year's rows under a year heading.
    pub(crate) fn summary_page(&self, groups: &[(i32, Vec<Row>)]) -> String {
        let mut main = String::from("<div class=\"position\">当前位置：<a href=\"/\">首页</a> » <a href=\"index.html\">政府信息公开年报</a> » 年报汇总</div>\n");
        for (y, rows) in groups {
            main.push_str(&format!("<h3>{y}年度政府信息公开工作年度报告</h3>\n"));
            main.push_str(&Self::rows_html(rows));
        }
        self.page(&format!("年报汇总-{}", self.name), "", &main)
    }

    /// A detail page.
    pub(crate) fn detail(&self, d: &Detail<'_>) -> String {
        let metas = format!(
            "<meta name=\"ArticleTitle\" content=\"{}\">\n<meta name=\"PubDate\" content=\"{}\">\n<meta name=\"ContentSource\" content=\"{}\">\n",
            esc(d.title),
            d.date.ymd_hm(),
            esc(d.agency)
        );
        let mut main = format!(
            "<div class=\"position\">当前位置：<a href=\"/\">首页</a> » <a href=\"{}\">{}</a> » 正文</div>\n<div class=\"article\"><h2>{}</h2>\n<p class=\"meta\">发布时间：{}　来源：{}　点击数：<script>_showDynClicks(\"wbnews\", 1, 1)</script></p>\n<form name=\"_newscontent_fromname\"><div class=\"v_news_content\" id=\"vsb_content\">\n{}</div>\n",
            esc(&self.list_path()),
            esc(&self.column),
            esc(d.title),
            d.date.ymd_hm(),
            esc(d.agency),
            d.body
        );
        if !d.attachments.is_empty() {
            main.push_str("<ul class=\"attach\" style=\"list-style-type:none;\">");
            for (href, name) in &d.attachments {
                main.push_str(&format!(
                    "<li>附件【<a href=\"{}\" target=\"_blank\">{}</a>】</li>",
                    esc(href),
                    esc(name)
                ));
            }
            main.push_str("</ul>");
        }
        main.push_str("</form></div>\n<div class=\"share\">【<a href=\"javascript:window.print()\">打印</a>】【<a href=\"javascript:window.close()\">关闭</a>】</div>\n");
        self.page(&format!("{}-{}", d.title, self.name), &metas, &main)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::Date;

    fn site() -> GenericSite {
        GenericSite {
            name: "北塘区人民政府".into(),
            column: "政府信息公开年报".into(),
            list_dir: "/xxgk/gknb/".into(),
        }
    }

    #[test]
    fn list_has_plain_pagination() {
        let rows = vec![Row::new(
            "北塘区民政局2023年政府信息公开工作年度报告".into(),
            Date::at(2024, 1, 20, 0, 0),
            "/info/1025/61695.htm".into(),
        )];
        let p1 = site().list_page(&rows, 1, 3);
        assert!(p1.contains("<a href=\"list.html?page=2\">下一页</a>"));
        assert!(p1.contains("<a href=\"list.html?page=3\">尾页</a>"));
        assert!(!p1.contains("上一页"));
        let p3 = site().list_page(&rows, 3, 3);
        assert!(!p3.contains("下一页"));
        assert!(site().list_page(&[], 9, 3).contains("暂无信息"));
    }

    #[test]
    fn year_folders() {
        let s = site();
        let idx = s.years_page(&[2023, 2022]);
        assert!(idx.contains("<a href=\"2023/index.html\">2023年度</a>"));
        assert!(idx.contains("<a href=\"nbhz.html\">年报汇总</a>"));
        assert_eq!(
            GenericSite::year_detail_path(2023, 61701),
            "/gknb/2023/c_61701.html"
        );
        let d = Detail {
            title: "t",
            agency: "a",
            date: Date::at(2024, 1, 1, 0, 0),
            body: "<p>x</p>".into(),
            index_no: String::new(),
            attachments: vec![("/f.pdf".into(), "f.pdf".into())],
        };
        let html = s.detail(&d);
        assert!(html.contains("<div class=\"v_news_content\" id=\"vsb_content\">\n<p>x</p></div>"));
        assert!(html.contains("附件【<a href=\"/f.pdf\""));
    }
}
