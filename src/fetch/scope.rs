//! The crawl's scope: the seeds' hosts plus hosts allowed in the config. Links and redirects
//! to any other host are recorded, never fetched.

use std::collections::HashSet;

use url::Url;

use crate::archive::frontier::host_key;

/// Hosts that may be fetched.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    hosts: HashSet<String>,
}

impl Scope {
    /// A scope of the given seed URLs' hosts plus `allowed` (`host` or `host:port`).
    pub fn new<'a>(seeds: impl IntoIterator<Item = &'a Url>, allowed: &[String]) -> Scope {
        let mut hosts: HashSet<String> = seeds.into_iter().map(host_key).collect();
        hosts.extend(allowed.iter().map(|h| h.to_ascii_lowercase()));
        hosts.remove("");
        Scope { hosts }
    }

    /// Whether `url` may be fetched: http(s) and its `host:port` or bare host is in scope.
    pub fn contains(&self, url: &Url) -> bool {
        if !matches!(url.scheme(), "http" | "https") {
            return false;
        }
        self.hosts.contains(&host_key(url))
            || url.host_str().is_some_and(|h| self.hosts.contains(h))
    }

    /// Number of hosts in scope.
    pub fn len(&self) -> usize {
        self.hosts.len()
    }

    /// True when no host is in scope.
    pub fn is_empty(&self) -> bool {
        self.hosts.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_hosts_and_allowed_hosts_only() {
        let seed = Url::parse("http://127.0.0.2:8080/zfxxgknb/index.html").unwrap();
        let scope = Scope::new([&seed], &["files.example.gov.cn".into()]);
        assert!(scope.contains(&Url::parse("http://127.0.0.2:8080/other/x.html").unwrap()));
        assert!(!scope.contains(&Url::parse("http://127.0.0.2:9090/x.html").unwrap()));
        assert!(scope.contains(&Url::parse("https://files.example.gov.cn/a.pdf").unwrap()));
        assert!(!scope.contains(&Url::parse("http://www.example.com/").unwrap()));
        assert!(!scope.contains(&Url::parse("ftp://127.0.0.2:8080/x").unwrap()));
    }
}
