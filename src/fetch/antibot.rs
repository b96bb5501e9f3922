//! Anti-bot challenge pages (瑞数 412 `$_ts`, wzws, 加速乐 521 `__jsl_clearance`, Aliyun WAF,
//! EdgeOne, JS-only shells): recognised by status and markers, never stored as content.
//!
//! Legitimate tiny pages are not challenges: meta-refresh or script redirects to a real URL,
//! short real pages, robots.txt files, XML and JSON responses.

use reqwest::header::{HeaderMap, CONTENT_TYPE, LOCATION, SET_COOKIE};

/// A recognised challenge page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Family: `ruishu`, `wzws`, `jsl`, `aliyun_waf`, `edgeone`, `js_shell`.
    pub kind: &'static str,
    /// What gave it away, e.g. `412 + $_ts`.
    pub evidence: String,
}

/// Challenge signatures sit in the first few KB.
const SCAN: usize = 16 * 1024;
/// A JS shell has at most this much visible text.
const SHELL_TEXT: usize = 1024;

fn block(kind: &'static str, evidence: impl Into<String>) -> Option<Block> {
    Some(Block {
        kind,
        evidence: evidence.into(),
    })
}

fn header_values<'a>(
    headers: &'a HeaderMap,
    name: reqwest::header::HeaderName,
) -> impl Iterator<Item = String> + 'a {
    headers
        .get_all(name)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// Names of the cookies a response sets.
fn cookie_names(headers: &HeaderMap) -> Vec<String> {
    header_values(headers, SET_COOKIE)
        .filter_map(|c| c.split('=').next().map(|n| n.trim().to_string()))
        .collect()
}

/// Visible text of an HTML body: tags, scripts, styles and comments removed (a rough count
/// is all that is needed, so no HTML parser).
fn visible_text_len(body: &str) -> usize {
    let lower = body.to_ascii_lowercase();
    let mut out = 0usize;
    let mut i = 0usize;
    let bytes = lower.as_bytes();
    while i < bytes.len() {
        if bytes[i] == b'<' {
            let rest = &lower[i..];
            let skip_to = if rest.starts_with("<script") {
                rest.find("</script>").map(|e| e + 9)
            } else if rest.starts_with("<style") {
                rest.find("</style>").map(|e| e + 8)
            } else if rest.starts_with("<!--") {
                rest.find("-->").map(|e| e + 3)
            } else {
                rest.find('>').map(|e| e + 1)
            };
            i += skip_to.unwrap_or(rest.len());
        } else {
            if !bytes[i].is_ascii_whitespace() {
                out += 1;
            }
            i += 1;
        }
    }
    out
}

/// Classify a response by status, headers (`Location`, `Set-Cookie`) and the first bytes of
/// its body. `None` for an ordinary page.
pub fn detect(status: u16, headers: &HeaderMap, body: &[u8]) -> Option<Block> {
    let head = String::from_utf8_lossy(body.get(..SCAN.min(body.len())).unwrap_or(body));
    let lower = head.to_ascii_lowercase();
    let cookies = cookie_names(headers);
    let has_cookie = |prefix: &str| cookies.iter().any(|c| c.starts_with(prefix));
    let location = header_values(headers, LOCATION).next().unwrap_or_default();
    let content_type = header_values(headers, CONTENT_TYPE)
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();

    // 瑞数 Ruishu: `$_ts` bootstrap, usually with status 412.
    if head.contains("$_ts")
        && (head.contains("$_ts.cd") || head.contains("window['$_ts']") || status == 412)
    {
        return block("ruishu", format!("{status} + $_ts"));
    }
    // wzws: challenge markers, a redirect into /WZWSREL, or its cookies on a non-page.
    if let Some(m) = [
        "wzwschallenge",
        "wzwstemplate",
        "WZWS_CONFIRM_PREFIX_LABEL",
        "wzwsquestion",
    ]
    .iter()
    .find(|m| head.contains(*m))
    {
        return block("wzws", format!("{status} + {m}"));
    }
    if location.contains("WZWSREL") || location.contains("wzwschallenge") {
        return block("wzws", format!("{status} + Location {location}"));
    }
    // 加速乐 jsl: 521 and a cookie-building script.
    // The cookie name is often assembled from one-character strings: ('_')+('_')+('j')+…
    let unquoted: String = head
        .chars()
        .filter(|c| !matches!(c, '\'' | '"' | '(' | ')' | '+' | '[' | ']' | ' '))
        .collect();
    if unquoted.contains("__jsl_clearance") {
        return block("jsl", format!("{status} + __jsl_clearance"));
    }
    if status == 521 {
        return block("jsl", "521");
    }
    // Aliyun WAF.
    if head.contains("acw_sc__v2") {
        return block("aliyun_waf", format!("{status} + acw_sc__v2"));
    }
    if head.contains("arg1=") && lower.contains("<script") && lower.contains("document.cookie") {
        return block("aliyun_waf", format!("{status} + arg1="));
    }
    // Tencent EdgeOne.
    if let Some(m) = ["__tst_status", "EO_Bot_Ssid"]
        .iter()
        .find(|m| head.contains(*m) || has_cookie(m))
    {
        return block("edgeone", format!("{status} + {m}"));
    }
    if status == 412 {
        return block("ruishu", "412");
    }
    shell(
        status,
        &head,
        &lower,
        &content_type,
        body.len(),
        &has_cookie,
    )
}

/// A script-only HTML shell or challenge page (what is left once the vendors' own markers in
/// [`detect`] did not match); data and robots files are never shells.
fn shell(
    status: u16,
    head: &str,
    lower: &str,
    content_type: &str,
    body_len: usize,
    has_cookie: &dyn Fn(&str) -> bool,
) -> Option<Block> {
    let trimmed = head.trim_start_matches('\u{feff}').trim_start();
    let data_type = [
        "json",
        "xml",
        "text/plain",
        "javascript",
        "pdf",
        "octet-stream",
        "image/",
    ]
    .iter()
    .any(|t| content_type.contains(t));
    if data_type || !trimmed.starts_with('<') || trimmed.starts_with("<?xml") {
        return None;
    }
    if (has_cookie("wzws_cid") || has_cookie("wzwsconfirm") || has_cookie("wzwsvtime"))
        && (300..400).contains(&status)
    {
        return block("wzws", format!("{status} + wzws cookie"));
    }
    let text = visible_text_len(head);
    if body_len > SCAN || text > SHELL_TEXT {
        return None;
    }
    let scripted = lower.contains("<script");
    let sets_cookie = lower.contains("document.cookie");
    let reloads = [
        "location.reload",
        "location.href=location",
        "location.href = location",
        "location.replace(location",
        "location=location",
        "window.location.href=window.location",
    ]
    .iter()
    .any(|m| lower.replace(' ', "").contains(&m.replace(' ', "")));
    if scripted && sets_cookie && (reloads || lower.contains("location")) {
        return block("js_shell", format!("{status} + document.cookie + reload"));
    }
    if scripted && reloads && text < 100 {
        return block("js_shell", format!("{status} + script reload"));
    }
    let phrases = [
        "please enable javascript",
        "请开启javascript",
        "请启用javascript",
        "just a moment",
        "安全验证",
        "访问异常",
        "请稍候",
        "浏览器安全检查",
    ];
    if let Some(p) = phrases.iter().find(|p| lower.contains(*p)) {
        if text < 300 || status == 403 {
            return block("js_shell", format!("{status} + \"{p}\""));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            if let (Ok(k), Ok(v)) = (
                k.parse::<reqwest::header::HeaderName>(),
                HeaderValue::from_str(v),
            ) {
                h.append(k, v);
            }
        }
        h
    }

    const RUISHU: &str = r#"<html><head><meta id="aB3xZ" content="qL8v" r='m'>
<script type="text/javascript" r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.cd="qrAXrr";</script>
<script type="text/javascript" src="/c8Fq/Xk2a.js" r='m'></script></head><body></body></html>"#;
    const JSL: &str = "<script>document.cookie=('_')+('_')+('j')+('s')+('l')+('_')+('c')+('l')+('e')+('a')+('r')+('a')+('n')+('c')+('e')+('=')+(+new Date()/1000|0)+'.123|0|abc';location.href=location.pathname+location.search</script>";

    #[test]
    fn challenges() {
        let none = HeaderMap::new();
        assert_eq!(
            detect(412, &none, RUISHU.as_bytes()).map(|b| b.kind),
            Some("ruishu")
        );
        assert_eq!(
            detect(200, &none, RUISHU.as_bytes()).map(|b| b.kind),
            Some("ruishu")
        );
        assert_eq!(
            detect(521, &none, JSL.as_bytes()).map(|b| b.kind),
            Some("jsl")
        );
        let wz = headers(&[
            (
                "location",
                "/WZWSREL2NvbC9jb2w=?wzwschallenge=V1pXU19DT05GSVJN",
            ),
            ("set-cookie", "wzws_cid=abc; path=/"),
        ]);
        assert_eq!(detect(302, &wz, b"").map(|b| b.kind), Some("wzws"));
        let wz_body = "<script>var wzwschallenge=\"x\";var dynamicurl=\"/WZWSREL\";</script>";
        assert_eq!(
            detect(200, &none, wz_body.as_bytes()).map(|b| b.kind),
            Some("wzws")
        );
        let ali = "<html><script>var arg1='3F2A';document.cookie='acw_sc__v2='+x;location.reload();</script></html>";
        assert_eq!(
            detect(200, &none, ali.as_bytes()).map(|b| b.kind),
            Some("aliyun_waf")
        );
        let eo = headers(&[("set-cookie", "EO_Bot_Ssid=123; path=/")]);
        assert_eq!(
            detect(200, &eo, b"<html><script>x()</script></html>").map(|b| b.kind),
            Some("edgeone")
        );
        let shell = "<html><head><script>document.cookie='t=1';window.location.reload();</script></head><body></body></html>";
        assert_eq!(
            detect(200, &none, shell.as_bytes()).map(|b| b.kind),
            Some("js_shell")
        );
        let enable = "<html><body><noscript>请开启JavaScript并刷新该页</noscript><script src='/a.js'></script></body></html>";
        assert_eq!(
            detect(200, &none, enable.as_bytes()).map(|b| b.kind),
            Some("js_shell")
        );
        let b = detect(412, &none, RUISHU.as_bytes());
        assert_eq!(b.map(|b| b.evidence), Some("412 + $_ts".to_string()));
    }

    #[test]
    fn ordinary_pages() {
        let none = HeaderMap::new();
        let refresh = r#"<html><head><meta http-equiv="refresh" content="0;url=/col/col123/index.html"></head></html>"#;
        assert_eq!(detect(200, &none, refresh.as_bytes()), None);
        let js_redirect = "<script>window.location.href='/zfxxgk/index.html';</script>";
        assert_eq!(detect(200, &none, js_redirect.as_bytes()), None);
        let short = "<html><head><title>年报</title></head><body><p>某县2023年政府信息公开工作年度报告</p><a href='a.pdf'>下载</a></body></html>";
        assert_eq!(detect(200, &none, short.as_bytes()), None);
        assert_eq!(detect(200, &none, b"User-agent: *\nDisallow: /\n"), None);
        let json = headers(&[("content-type", "application/json")]);
        assert_eq!(detect(200, &json, br#"{"total":0,"articles":[]}"#), None);
        let xml = headers(&[("content-type", "text/xml;charset=UTF-8")]);
        assert_eq!(
            detect(
                200,
                &xml,
                b"<?xml version=\"1.0\"?><datastore><recordset></recordset></datastore>"
            ),
            None
        );
        // A normal page with a <noscript> hint and plenty of text.
        let long = format!(
            "<html><body><noscript>请开启JavaScript</noscript><p>{}</p></body></html>",
            "政府信息公开".repeat(100)
        );
        assert_eq!(detect(200, &none, long.as_bytes()), None);
        // jsl's tracking cookie on a real page is not a block.
        let jsluid = headers(&[("set-cookie", "__jsluid_h=abc; path=/")]);
        assert_eq!(detect(200, &jsluid, short.as_bytes()), None);
    }
}
