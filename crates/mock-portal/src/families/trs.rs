//! TRS WCM pages (portals.md §3): `index.html`, `index_1.html`, … listings whose pager is
//! written by JavaScript only (`countPage`, `createPageHTML(N, cur, "index", "html")`), rows in
//! `table.gl_list` or `ul li a + span`, detail pages `./YYYYMM/tYYYYMMDD_NNNNNNN.html` with metas,
//! a 索引号 table, `div.TRS_Editor` (with its own `<style>` block) and `div.list_fj`
//! attachments `./P0….pdf`.
//!
//! The `legacy` variant is an older TRS template (the GBK site): `.htm`, `ul` rows, a bare
//! `createPageHTML(2, 0, "index", "htm")` call without `countPage`, `.trs_editor_view` body.

use super::{Detail, Row};
use crate::util::{esc, Date};

/// A TRS site and its 年报 column.
#[derive(Debug, Clone)]
pub(crate) struct TrsSite {
    /// Site name, e.g. 云溪县人民政府.
    pub(crate) name: String,
    /// Column name.
    pub(crate) column: String,
    /// Column directory, e.g. `/zfxxgk/zfxxgknb/` (leading and trailing slash).
    pub(crate) dir: String,
    /// `html` or `htm`.
    pub(crate) ext: &'static str,
    /// Charset label written in `<meta>` (`utf-8`, `gb2312`).
    pub(crate) charset: &'static str,
    /// Older template (see module doc).
    pub(crate) legacy: bool,
}

impl TrsSite {
    /// Path of listing page `page` (0-based): `index.html`, `index_1.html`, ….
    pub(crate) fn listing_path(&self, page: usize) -> String {
        if page == 0 {
            format!("{}index.{}", self.dir, self.ext)
        } else {
            format!("{}index_{page}.{}", self.dir, self.ext)
        }
    }

    /// The page number of a listing path (inverse of [`TrsSite::listing_path`]).
    pub(crate) fn parse_listing(&self, path: &str) -> Option<usize> {
        let file = path
            .strip_prefix(self.dir.as_str())?
            .strip_suffix(self.ext)?
            .strip_suffix('.')?;
        match file {
            "index" => Some(0),
            f => f.strip_prefix("index_")?.parse().ok().filter(|n| *n > 0),
        }
    }

    /// Path of a detail page: `{dir}YYYYMM/tYYYYMMDD_ID.html`.
    pub(crate) fn detail_path(&self, date: Date, id: u64) -> String {
        format!(
            "{}{}/t{}_{id}.{}",
            self.dir,
            date.yyyymm(),
            date.compact(),
            self.ext
        )
    }

    /// Path of an attachment next to a detail page: `{dir}YYYYMM/P0YYYYMMDD{12 digits}.pdf`.
    pub(crate) fn attachment_path(&self, date: Date, id: u64) -> String {
        format!(
            "{}{}/P0{}{:012}.pdf",
            self.dir,
            date.yyyymm(),
            date.compact(),
            (id * 7_919) % 1_000_000_000_000
        )
    }

    /// `href` for a link from a page in the column directory to `target` (a path on this host
    /// or an absolute URL): `./…` when inside the column, else unchanged.
    pub(crate) fn relative(&self, target: &str) -> String {
        match target.strip_prefix(self.dir.as_str()) {
            Some(rest) => format!("./{rest}"),
            None => target.to_string(),
        }
    }

    fn head(&self, title: &str, extra_meta: &str) -> String {
        format!(
            "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n\
<html xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n\
<meta http-equiv=\"Content-Type\" content=\"text/html; charset={cs}\" />\n\
<meta http-equiv=\"X-UA-Compatible\" content=\"IE=edge\" />\n\
<title>{title}</title>\n<meta name=\"SiteName\" content=\"{site}\" />\n<meta name=\"ColumnName\" content=\"{col}\" />\n{extra_meta}\
<link href=\"/images/common.css\" rel=\"stylesheet\" type=\"text/css\" />\n<script type=\"text/javascript\" src=\"/js/jquery-1.8.3.min.js\"></script>\n</head>\n",
            cs = self.charset,
            title = esc(title),
            site = esc(&self.name),
            col = esc(&self.column),
        )
    }

    fn top(&self) -> String {
        format!(
            "<div class=\"top\"><div class=\"logo\"><a href=\"/\"><img src=\"/images/logo.png\" alt=\"{site}\" /></a></div>\
<div class=\"nav\"><ul><li><a href=\"/\">首页</a></li><li><a href=\"/zwdt/\">政务动态</a></li><li><a href=\"/zfxxgk/\">政府信息公开</a></li><li><a href=\"/zmhd/\">政民互动</a></li><li><a href=\"/bsfw/\">办事服务</a></li></ul></div></div>\n",
            site = esc(&self.name)
        )
    }

    fn footer(&self) -> String {
        format!(
            "<div class=\"footer\"><p><a href=\"/wzdt/\">网站地图</a> | <a href=\"/lxwm/\">联系我们</a></p>\
<p>主办单位：{site}办公室　承办单位：{site}大数据中心</p><p>网站标识码：4511230001　<a href=\"http://beian.miit.gov.cn\">桂ICP备05001234号</a>　公安机关备案号 45112302000123</p></div>\n",
            site = esc(&self.name)
        )
    }

    /// Listing page `page` of `pages` (0-based) showing `rows`.
    pub(crate) fn listing(&self, rows: &[Row], page: usize, pages: usize) -> String {
        let title = format!("{}_{}", self.column, self.name);
        let mut h = self.head(
            &title,
            &format!(
                "<meta name=\"ColumnType\" content=\"{}\" />\n",
                esc(&self.column)
            ),
        );
        h.push_str("<body>\n");
        h.push_str(&self.top());
        h.push_str(&format!(
            "<div class=\"position\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"../\">政府信息公开</a> &gt; <span>{}</span></div>\n",
            esc(&self.column)
        ));
        h.push_str("<div class=\"main\"><div class=\"left\"><ul class=\"left_nav\"><li><a href=\"../zfxxgkzn/\">政府信息公开指南</a></li><li><a href=\"../zfxxgkzd/\">政府信息公开制度</a></li><li><a href=\"../fdzdgknr/\">法定主动公开内容</a></li>");
        h.push_str(&format!(
            "<li class=\"on\"><a href=\"./\">{}</a></li></ul></div>\n<div class=\"right\">\n",
            esc(&self.column)
        ));
        if self.legacy {
            h.push_str("<ul class=\"list_ul\">\n");
            for r in rows {
                let (attr, text) = r.link(26);
                h.push_str(&format!(
                    "<li><a href=\"{}\"{attr} target=\"_blank\">{text}</a><span>{}</span></li>\n",
                    esc(&r.href),
                    r.date.ymd()
                ));
            }
            h.push_str("</ul>\n");
        } else {
            h.push_str("<table class=\"gl_list\" width=\"100%\" border=\"0\" cellspacing=\"0\" cellpadding=\"0\">\n");
            for r in rows {
                let (attr, text) = r.link(30);
                h.push_str(&format!(
                    " <tr><td width=\"550\"><a href=\"{}\"{attr} target=\"_blank\">{text}</a></td><td class=\"date\">{}</td></tr>\n",
                    esc(&r.href),
                    r.date.ymd()
                ));
            }
            h.push_str("</table>\n");
        }
        h.push_str("<div class=\"page\">\n");
        h.push_str(&self.pager(page, pages));
        h.push_str("</div>\n</div></div>\n");
        h.push_str(&self.footer());
        h.push_str("</body>\n</html>\n");
        h
    }

    fn pager(&self, page: usize, pages: usize) -> String {
        let ext = self.ext;
        if self.legacy {
            return format!(
                "<script language=\"JavaScript\" src=\"/js/page.js\"></script>\n<script language=\"JavaScript\">\ncreatePageHTML({pages}, {page}, \"index\", \"{ext}\");\n</script>\n"
            );
        }
        format!(
            "<script>\n\
var currentPage = {page};//所在页从0开始\n\
var prevPage = currentPage-1; var nextPage = currentPage+1;\n\
var countPage = {pages};//共多少页\n\
//createPageHTML({pages}, {page}, \"index\", \"{ext}\");\n\
document.write(\"共\"+countPage+\"页 \");\n\
if (currentPage > 0) document.write(\"<a href=\\\"index.{ext}\\\">首页</a>\");\n\
if (currentPage == 1) document.write(\"<a href=\\\"index.{ext}\\\">上一页</a>\");\n\
if (currentPage > 1) document.write(\"<a href=\\\"index_\"+prevPage+\".{ext}\\\">上一页</a>\");\n\
if (currentPage+1 < countPage) document.write(\"<a href=\\\"index_\"+nextPage+\".{ext}\\\">下一页</a>\");\n\
if (countPage > 1) document.write(\"<a href=\\\"index_\"+(countPage-1)+\".{ext}\\\">尾页</a>\");\n\
</script>\n"
        )
    }

    /// A detail page.
    pub(crate) fn detail(&self, d: &Detail<'_>) -> String {
        let metas = format!(
            "<meta name=\"ArticleTitle\" content=\"{t}\" />\n<meta name=\"PubDate\" content=\"{date}\" />\n<meta name=\"ContentSource\" content=\"{src}\" />\n<meta name=\"Keywords\" content=\"政府信息公开,年度报告\" />\n<meta name=\"Description\" content=\"{t}\" />\n",
            t = esc(d.title),
            date = d.date.ymd_hm(),
            src = esc(d.agency),
        );
        let mut h = self.head(&format!("{}_{}", d.title, self.name), &metas);
        h.push_str("<body>\n");
        h.push_str(&self.top());
        h.push_str(&format!(
            "<div class=\"position\">您当前的位置：<a href=\"/\">首页</a> &gt; <a href=\"../../\">政府信息公开</a> &gt; <a href=\"../\">{}</a></div>\n",
            esc(&self.column)
        ));
        h.push_str(&format!(
            "<table class=\"xxgk_table\" width=\"100%\"><tr><td class=\"t\">索&nbsp;引&nbsp;号：</td><td>{idx}</td><td class=\"t\">主题分类：</td><td>综合政务\\政务公开</td></tr>\
<tr><td class=\"t\">发布机构：</td><td>{src}</td><td class=\"t\">生成日期：</td><td>{date}</td></tr>\
<tr><td class=\"t\">文&nbsp;&nbsp;&nbsp;&nbsp;号：</td><td></td><td class=\"t\">有&nbsp;效&nbsp;性：</td><td>有效</td></tr>\
<tr><td class=\"t\">名&nbsp;&nbsp;&nbsp;&nbsp;称：</td><td colspan=\"3\">{t}</td></tr></table>\n",
            idx = esc(&d.index_no),
            src = esc(d.agency),
            date = d.date.ymd(),
            t = esc(d.title),
        ));
        h.push_str(&format!(
            "<div class=\"article\"><h1 class=\"title\">{t}</h1>\n<div class=\"info\"><span>发布时间：{date}</span><span>来源：{src}</span><span class=\"font\">字号：[<a href=\"javascript:doZoom(18)\">大</a> <a href=\"javascript:doZoom(16)\">中</a> <a href=\"javascript:doZoom(14)\">小</a>]</span></div>\n",
            t = esc(d.title),
            date = d.date.ymd_hm(),
            src = esc(d.agency),
        ));
        if self.legacy {
            h.push_str("<div class=\"trs_editor_view TRS_UEDITOR trs_paper_default trs_web\">\n");
        } else {
            h.push_str("<div class=\"TRS_Editor\"><style type=\"text/css\">\n.TRS_Editor P{margin-top:0px;margin-bottom:12px;line-height:1.8;font-family:宋体;font-size:12pt;}.TRS_Editor DIV{margin-top:0px;margin-bottom:12px;line-height:1.8;font-family:宋体;font-size:12pt;}.TRS_Editor TD{font-size:10.5pt;}\n</style>\n");
        }
        h.push_str(&d.body);
        h.push_str("</div>\n");
        if !d.attachments.is_empty() {
            h.push_str("<!-- 附件列表 -->\n<div class=\"list_fj\"><ul>");
            for (href, name) in &d.attachments {
                h.push_str(&format!(
                    "<li>附件：<a href=\"{}\" target=\"_blank\">{}</a></li>",
                    esc(href),
                    esc(name)
                ));
            }
            h.push_str("</ul></div>\n");
        }
        h.push_str(
            "<div class=\"share\">分享到：<a class=\"wx\" href=\"javascript:void(0)\">微信</a><a class=\"wb\" href=\"javascript:void(0)\">微博</a><a class=\"qq\" href=\"javascript:void(0)\">QQ空间</a></div>\n\
<div class=\"ewm\"><img src=\"/images/ewm.png\" alt=\"\" /><p>扫一扫在手机上查看当前页面</p></div>\n\
<div class=\"btns\"><a href=\"javascript:window.print()\">【打印本页】</a><a href=\"javascript:window.close()\">【关闭窗口】</a></div>\n</div>\n",
        );
        h.push_str(&self.footer());
        h.push_str("</body>\n</html>\n");
        h
    }

    /// The site's home page: a link to the 年报 column.
    pub(crate) fn home(&self) -> String {
        let mut h = self.head(&self.name, "");
        h.push_str("<body>\n");
        h.push_str(&self.top());
        h.push_str(&format!(
            "<div class=\"main\"><a href=\"{}index.{}\">{}</a></div>\n",
            esc(&self.dir),
            self.ext,
            esc(&self.column)
        ));
        h.push_str(&self.footer());
        h.push_str("</body>\n</html>\n");
        h
    }

    /// The soft-404 page some TRS sites answer with status 200.
    pub(crate) fn soft_404(&self) -> String {
        let mut h = self.head("页面不存在", "");
        h.push_str("<body><div class=\"error\"><h2>对不起，您访问的页面不存在或已被删除！</h2><p><a href=\"/\">返回首页</a></p></div></body>\n</html>\n");
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(legacy: bool) -> TrsSite {
        TrsSite {
            name: "云溪县人民政府".into(),
            column: "政府信息公开年报".into(),
            dir: "/zfxxgk/zfxxgknb/".into(),
            ext: if legacy { "htm" } else { "html" },
            charset: if legacy { "gb2312" } else { "utf-8" },
            legacy,
        }
    }

    #[test]
    fn paths_and_relative_links() {
        let s = site(false);
        let d = Date::at(2024, 1, 26, 10, 18);
        assert_eq!(s.listing_path(0), "/zfxxgk/zfxxgknb/index.html");
        assert_eq!(s.listing_path(2), "/zfxxgk/zfxxgknb/index_2.html");
        assert_eq!(s.parse_listing("/zfxxgk/zfxxgknb/index_2.html"), Some(2));
        assert_eq!(s.parse_listing("/zfxxgk/zfxxgknb/index.html"), Some(0));
        assert_eq!(s.parse_listing("/zfxxgk/zfxxgknb/index_0.html"), None);
        assert_eq!(s.parse_listing("/zfxxgk/zfxxgknb/index_x.html"), None);
        assert_eq!(s.parse_listing("/other/index.html"), None);
        assert_eq!(
            s.detail_path(d, 3_456_789),
            "/zfxxgk/zfxxgknb/202401/t20240126_3456789.html"
        );
        assert_eq!(
            s.relative(&s.detail_path(d, 1)),
            "./202401/t20240126_1.html"
        );
        assert_eq!(
            s.relative("http://www.example.com/a"),
            "http://www.example.com/a"
        );
        assert!(s
            .attachment_path(d, 5)
            .starts_with("/zfxxgk/zfxxgknb/202401/P020240126"));
        assert_eq!(
            s.attachment_path(d, 5).len(),
            "/zfxxgk/zfxxgknb/202401/P020240126000000039595.pdf".len()
        );
    }

    #[test]
    fn listing_has_js_pager_and_rows() {
        let rows = vec![Row::new(
            "云溪县民政局2023年政府信息公开工作年度报告".into(),
            Date::at(2024, 1, 26, 0, 0),
            "./202401/t20240126_1.html".into(),
        )];
        let html = site(false).listing(&rows, 0, 3);
        assert!(html.contains("var countPage = 3;//共多少页"));
        assert!(html.contains("//createPageHTML(3, 0, \"index\", \"html\");"));
        assert!(html.contains("<table class=\"gl_list\""));
        assert!(html.contains("title=\"云溪县民政局2023年政府信息公开工作年度报告\""));
        assert!(
            !html.contains("href=\"index_1.html\""),
            "pager links must only exist in JS"
        );
        let old = site(true).listing(&rows, 1, 2);
        assert!(old.contains("createPageHTML(2, 1, \"index\", \"htm\");"));
        assert!(!old.contains("countPage"));
        assert!(old.contains("<ul class=\"list_ul\">"));
    }

    #[test]
    fn detail_has_furniture() {
        let d = Detail {
            title: "某报告",
            agency: "云溪县民政局",
            date: Date::at(2024, 1, 26, 10, 18),
            body: "<p>一、总体情况</p>".into(),
            index_no: "X/2024-00001".into(),
            attachments: vec![("./P0.pdf".into(), "某报告.pdf".into())],
        };
        let html = site(false).detail(&d);
        for needle in [
            "<meta name=\"ArticleTitle\" content=\"某报告\"",
            "<meta name=\"PubDate\" content=\"2024-01-26 10:18\"",
            "<div class=\"TRS_Editor\"><style",
            "<div class=\"list_fj\">",
            "扫一扫在手机上查看当前页面",
            "索&nbsp;引&nbsp;号",
            "您当前的位置",
        ] {
            assert!(html.contains(needle), "{needle}");
        }
        assert!(site(true).detail(&d).contains("trs_editor_view"));
    }
}
