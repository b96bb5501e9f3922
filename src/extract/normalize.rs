//! The normalised report text and the content id (SPEC §4 `id`): NFKC, page furniture lines
//! removed ("扫一扫在手机上查看当前页面", "字号：大 中 小", breadcrumbs, share widgets, login
//! bars, "- 1 -" page footers …), then every whitespace and punctuation character dropped, then
//! SHA-256 in hex. One report found at many URLs, with different page furniture, gets one id.
//!
//! What is kept: every letter, CJK character and digit, plus the few marks that change a
//! number's meaning (a decimal point between digits, a sign before a digit, `%`), so reports
//! that differ in any figure or name get different ids.

use std::sync::LazyLock;

use regex::Regex;
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

/// Compiles a constant pattern (literals covered by the tests; never input-dependent).
fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("constant regex")
}

/// Whole lines that are page furniture (matched after NFKC and with whitespace removed).
static FURNITURE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"^(?:",
        r"扫一扫.{0,20}|.{0,6}(?:手机|移动端)(?:浏览|查看|扫码).{0,12}",
        r"|[【\[]?(?:字号|字体)[:：]?.{0,16}",
        r"|(?:[【\[]?(?:打印本页|打印此页|打印|关闭窗口|关闭本页|关闭|收藏|返回顶部|顶部|返回|纠错|我要纠错)[】\]]?)+",
        r"|(?:您|你)?(?:当前|现在)(?:的)?(?:位置|所在位置)[:：].*",
        r"|.{0,20}(?:账号|帐号).{0,10}登录.*注册.{0,10}|(?:登录|注册|退出|用户中心|忘记密码)+",
        r"|(?:账号|帐号|手机|手机号|用户名|邮箱|验证码)\+?(?:密码|验证码)?登录|还没有(?:账号|帐号).{0,6}|(?:立即|免费|马上)注册",
        r"|用?(?:微信|手机)?(?:扫描|扫一扫|扫码)(?:二维码)?.{0,16}|.{0,8}二维码",
        r"|(?:文件下载|关联文件|附件下载|相关附件|附件)[:：]?(?:(?:文件下载|关联文件)[:：]?)?",
        r"|分享(?:到|至)[:：]?.{0,40}|分享[:：].{0,40}",
        r"|[-—–_]+\d{1,3}[-—–_]+|第\d{1,3}页(?:共\d{1,3}页)?|\d{1,3}/\d{1,3}",
        r"|(?:浏览次数|浏览量|访问量|阅读次数|阅读量|点击数|点击量|访问次数)[:：]?\d*.{0,30}",
        r"|(?:发布日期|发布时间|时间|日期|来源|信息来源|作者|编辑|责任编辑)[:：].{0,60}",
        r"|上一篇[:：]?.*|下一篇[:：]?.*|相关(?:链接|文章|阅读|新闻)[:：]?",
        r"|(?:主办单位|承办单位|主办|承办|技术支持|网站标识码|网站标识|备案号)[:：].*|版权所有.{0,80}|(?i:copyright).{0,80}",
        r"|[京沪津渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]ICP备.*|.{0,10}公网安备.*",
        r"|大中小|【大中小】|\[大中小\]",
        r")$"
    ))
});

/// Furniture fragments that never occur in report text, removed wherever they appear.
const FURNITURE_INLINE: &[&str] = &[
    "扫一扫在手机上查看当前页面",
    "扫一扫在手机打开当前页",
    "【打印本页】",
    "【关闭窗口】",
    "[打印本页]",
    "[关闭窗口]",
    "打印本页",
    "关闭窗口",
    "【字体:大中小】",
    "【字号:大中小】",
    "字号:大中小",
    "字体:大中小",
    "文件下载:关联文件:",
];

/// Punctuation and symbols, hand-classified over the blocks Chinese pages use (ASCII, Latin-1,
/// General Punctuation, CJK Symbols, full-width forms, box drawing): the std library has no
/// Unicode category test and one predicate does not justify a dependency.
fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c as u32,
            0x00A1..=0x00BF | 0x00D7 | 0x00F7
            | 0x2010..=0x206F | 0x2190..=0x21FF | 0x2200..=0x22FF | 0x2500..=0x25FF | 0x2600..=0x27BF
            | 0x3000..=0x303F | 0x30FB | 0xFE10..=0xFE1F | 0xFE30..=0xFE6F | 0xFF01..=0xFF0F
            | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65 | 0xFFE0..=0xFFEE)
}

/// Marks kept because they change what a number says.
fn keep_mark(prev: Option<char>, c: char, next: Option<char>) -> bool {
    let digit = |x: Option<char>| x.is_some_and(|x| x.is_ascii_digit());
    match c {
        '.' => digit(prev) && digit(next),
        '-' | '+' | '−' => digit(next) && !digit(prev),
        '%' => digit(prev),
        _ => false,
    }
}

/// True when a whole line of page text is furniture (breadcrumb, 字号, share bar, login bar,
/// page footer "- 1 -", 浏览次数, 发布日期/来源 lines, ICP numbers …).
pub fn is_furniture_line(line: &str) -> bool {
    let compact: String = line.nfkc().filter(|c| !c.is_whitespace()).collect();
    !compact.is_empty()
        && (FURNITURE_LINE.is_match(&compact) || FURNITURE_INLINE.iter().any(|f| compact == *f))
}

/// Normalise report text for hashing.
pub fn normalize(text: &str) -> String {
    let nfkc: String = text.nfkc().collect();
    let mut out = String::with_capacity(nfkc.len());
    for line in nfkc.lines() {
        let mut compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() || FURNITURE_LINE.is_match(&compact) {
            continue;
        }
        for f in FURNITURE_INLINE {
            if compact.contains(f) {
                compact = compact.replace(f, "");
            }
        }
        let chars: Vec<char> = compact.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
            let next = chars.get(i + 1).copied();
            if c == '|' || c == '\u{FFFD}' || (is_punct(c) && !keep_mark(prev, c, next)) {
                continue;
            }
            out.push(c);
        }
    }
    out
}

/// The content id of a report text: hex SHA-256 of [`normalize`]d text.
pub fn content_id(text: &str) -> String {
    hex::encode(Sha256::digest(normalize(text).as_bytes()))
}

/// The id of a report file whose text could not be read: hex SHA-256 of its bytes.
pub fn bytes_id(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "某县统计局2023年政府信息公开工作年度报告\n一、总体情况\n2023年，本局主动公开政府信息120条。\n行政事业性收费 | 43.788 |\n本年增/减 | -3 |\n";

    #[test]
    fn furniture_does_not_change_the_id() {
        let a = format!(
            "您当前的位置：首页 > 政务公开 > 年报\n字号：大 中 小\n{REPORT}扫一扫在手机上查看当前页面\n分享到：微信 微博 QQ空间\n【打印本页】【关闭窗口】\n- 1 -\n"
        );
        let b = format!(
            "当前位置：网站首页>>信息公开\n账号+密码登录 手机号+验证码登录 立即注册\n{REPORT}\n文件下载: 关联文件:\n浏览次数：123\n主办单位：某县人民政府办公室\n京ICP备05060933号\n"
        );
        let c = REPORT.replace('，', ",").replace("\n", "\r\n  ");
        assert_eq!(content_id(&a), content_id(&b));
        assert_eq!(content_id(&a), content_id(REPORT));
        assert_eq!(content_id(&c), content_id(REPORT));
        assert_eq!(content_id("１２０"), content_id("120"), "NFKC");
    }

    #[test]
    fn figures_and_names_matter() {
        assert_ne!(
            content_id(REPORT),
            content_id(&REPORT.replace("120", "121"))
        );
        assert_ne!(
            content_id(REPORT),
            content_id(&REPORT.replace("统计局", "民政局"))
        );
        assert_ne!(
            content_id(REPORT),
            content_id(&REPORT.replace("43.788", "43788"))
        );
        assert_ne!(content_id(REPORT), content_id(&REPORT.replace("-3", "3")));
        let n = normalize(REPORT);
        assert!(
            n.contains("43.788") && n.contains("-3") && !n.contains('|') && !n.contains(' '),
            "{n}"
        );
    }

    #[test]
    fn report_sentences_survive() {
        // A content line that merely mentions 来源 or 打印 is not furniture.
        let body =
            "本机关通过政府网站、政务新媒体等渠道公开信息来源清晰的文件共12件，打印文件3份。";
        assert_eq!(
            normalize(body)
                .chars()
                .filter(|c| c.is_ascii_digit())
                .count(),
            3
        );
        assert!(normalize(body).contains("信息来源清晰"));
        for line in [
            "主办了政务公开日活动3次。",
            "分享交流工作经验",
            "承办人大代表建议12件",
        ] {
            assert!(!is_furniture_line(line), "{line}");
        }
        for line in [
            "分享至好友和朋友圈",
            "主办单位：某县人民政府",
            "版权所有 © 某县人民政府",
            "第 2 页 共 5 页",
            "- 3 -",
        ] {
            assert!(is_furniture_line(line), "{line}");
        }
    }
}
