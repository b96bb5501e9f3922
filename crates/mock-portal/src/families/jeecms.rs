//! A JEECMS-like CMS (Java, `.jhtml` pages, common on county portals): channel listings
//! `{dir}index.jhtml`, `{dir}index_2.jhtml`, … with plain "下一页"/"尾页" links, articles
//! `{dir}{id}.jhtml` without `ArticleTitle`/`PubDate` metas (title in `<title>` and an `<h2>`,
//! date and source in an info line), the body in `div.content` (no container the crawler knows
//! by name), and uploads under `/u/cms/www/YYYYMM/DDHHMMSSxxxx.pdf`.

use super::{Detail, Row};
use crate::util::{esc, Date};

/// A JEECMS-like site and its 年报 channel.
#[derive(Debug, Clone)]
pub(crate) struct JeecmsSite {
    /// Site name.
    pub(crate) name: String,
    /// Channel name.
    pub(crate) channel: String,
    /// Channel directory, e.g. `/xxgk/gknb/` (leading and trailing slash).
    pub(crate) dir: String,
}

impl JeecmsSite {
    /// Listing page `page` (1-based): `index.jhtml`, `index_2.jhtml`, ….
    pub(crate) fn listing_path(&self, page: usize) -> String {
        if page <= 1 {
            format!("{}index.jhtml", self.dir)
        } else {
            format!("{}index_{page}.jhtml", self.dir)
        }
    }

    /// `{dir}{id}.jhtml`.
    pub(crate) fn detail_path(&self, id: u64) -> String {
        format!("{}{id}.jhtml", self.dir)
    }

    /// `/u/cms/www/YYYYMM/DDHHMMSS{4 hex}.pdf`.
    pub(crate) fn upload_path(date: Date, n: u64) -> String {
        format!(
            "/u/cms/www/{}/{:02}{:02}{:02}{:02}{:04x}.pdf",
            date.yyyymm(),
            date.d,
            date.hh,
            date.mm,
            n % 60,
            (n * 2_654_435_761) % 0x1_0000
        )
    }

    fn page(&self, title: &str, main: &str) -> String {
        format!(
            "<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n<title>{t}</title>\n<link href=\"/r/cms/www/red/css/style.css\" rel=\"stylesheet\">\n</head>\n<body>\n\
<div class=\"top\"><div class=\"site\">{site}</div><ul class=\"menu\"><li><a href=\"/\">首页</a></li><li><a href=\"/xxgk/index.jhtml\">信息公开</a></li><li><a href=\"/bsfw/index.jhtml\">办事服务</a></li></ul></div>\n\
{main}<div class=\"bottom\"><p>主办：{site}办公室　技术支持：JEECMS</p><p>备案号：湘ICP备12000000号</p></div>\n</body>\n</html>\n",
            t = esc(title),
            site = esc(&self.name),
        )
    }

    /// Listing page `page` (1-based) of `pages`.
    pub(crate) fn listing(&self, rows: &[Row], page: usize, pages: usize) -> String {
        let mut main = format!(
            "<div class=\"location\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"/xxgk/index.jhtml\">信息公开</a> &gt; {}</div>\n<div class=\"list-box\"><ul class=\"list-ul\">\n",
            esc(&self.channel)
        );
        for r in rows {
            let (attr, text) = r.link(28);
            main.push_str(&format!(
                "<li><a href=\"{}\"{attr} target=\"_blank\">{text}</a><span class=\"date\">{}</span></li>\n",
                esc(&r.href),
                r.date.ymd()
            ));
        }
        main.push_str("</ul>\n<div class=\"pagination\">");
        main.push_str(&format!("共{pages}页 当前第{page}页 "));
        if page > 1 {
            main.push_str(&format!(
                "<a href=\"{}\">首页</a> <a href=\"{}\">上一页</a> ",
                self.listing_path(1),
                self.listing_path(page - 1)
            ));
        }
        if page < pages {
            main.push_str(&format!(
                "<a href=\"{}\">下一页</a> <a href=\"{}\">尾页</a>",
                self.listing_path(page + 1),
                self.listing_path(pages)
            ));
        }
        main.push_str("</div></div>\n");
        self.page(&format!("{}-{}", self.channel, self.name), &main)
    }

    /// An article page.
    pub(crate) fn detail(&self, d: &Detail<'_>) -> String {
        let mut main = format!(
            "<div class=\"location\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"{}\">{}</a> &gt; 正文</div>\n<div class=\"article\"><h2 class=\"art-title\">{}</h2>\n<div class=\"info\">发布时间：{}　来源：{}　浏览次数：<span id=\"views\"></span></div>\n<div class=\"content\">\n{}</div>\n",
            esc(&self.listing_path(1)),
            esc(&self.channel),
            esc(d.title),
            d.date.ymd_hm(),
            esc(d.agency),
            d.body
        );
        if !d.attachments.is_empty() {
            main.push_str("<div class=\"attach\"><p>附件下载：</p><ul>");
            for (href, name) in &d.attachments {
                main.push_str(&format!(
                    "<li><a href=\"{}\" target=\"_blank\">{}</a></li>",
                    esc(href),
                    esc(name)
                ));
            }
            main.push_str("</ul></div>\n");
        }
        main.push_str("<div class=\"tools\"><a href=\"javascript:window.print();\">打印</a> <a href=\"javascript:window.close();\">关闭</a></div></div>\n");
        self.page(&format!("{}-{}", d.title, self.name), &main)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> JeecmsSite {
        JeecmsSite {
            name: "青石县人民政府".into(),
            channel: "政府信息公开年报".into(),
            dir: "/xxgk/gknb/".into(),
        }
    }

    #[test]
    fn paths_and_pages() {
        let s = site();
        assert_eq!(s.listing_path(1), "/xxgk/gknb/index.jhtml");
        assert_eq!(s.listing_path(3), "/xxgk/gknb/index_3.jhtml");
        assert_eq!(s.detail_path(123), "/xxgk/gknb/123.jhtml");
        let up = JeecmsSite::upload_path(Date::at(2024, 1, 26, 9, 30), 7);
        assert!(up.starts_with("/u/cms/www/202401/260930"), "{up}");
        let rows = vec![Row::new(
            "青石县民政局2023年政府信息公开工作年度报告".into(),
            Date::at(2024, 1, 26, 0, 0),
            "/xxgk/gknb/1.jhtml".into(),
        )];
        let p = s.listing(&rows, 1, 2);
        assert!(p.contains("<a href=\"/xxgk/gknb/index_2.jhtml\">下一页</a>"));
        assert!(p.contains("title=\"青石县民政局2023年政府信息公开工作年度报告\""));
    }
}
