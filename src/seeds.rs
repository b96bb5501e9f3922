//! Seed list files (`seeds/*.toml`): portals with their name, region and 年报 listing URLs.
//!
//! ```toml
//! [[portal]]
//! name = "北京市通州区人民政府"          # shown in the archive and UI
//! region = "北京市/通州区"               # province/city/county, free text with "/"
//! urls = ["https://www.bjtzh.gov.cn/bjtz/zwgk/zcwj67/zfxxgknb/index.shtml"]
//! ```

use std::path::Path;

use serde::Deserialize;

use crate::crawl::Seed;

/// A seed file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedFile {
    /// The portals.
    #[serde(default)]
    pub portal: Vec<Portal>,
}

/// One portal of a seed file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Portal {
    /// Portal or agency name.
    pub name: String,
    /// Region, e.g. `江苏省/淮安市`.
    #[serde(default)]
    pub region: Option<String>,
    /// 年报 listing pages of this portal.
    pub urls: Vec<String>,
}

/// A seed file could not be used.
#[derive(Debug, thiserror::Error)]
#[error("seed file {path}: {message}")]
pub struct SeedFileError {
    /// The file.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// Read a seed file into seeds.
pub fn load(path: &Path) -> Result<Vec<Seed>, SeedFileError> {
    let err = |message: String| SeedFileError {
        path: path.display().to_string(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
    let file: SeedFile = toml::from_str(&text).map_err(|e| err(e.to_string()))?;
    let mut seeds = Vec::new();
    for p in file.portal {
        for url in p.urls {
            if url::Url::parse(&url)
                .map(|u| !matches!(u.scheme(), "http" | "https"))
                .unwrap_or(true)
            {
                return Err(err(format!(
                    "portal {:?}: {url:?} is not an http(s) URL",
                    p.name
                )));
            }
            seeds.push(Seed {
                url,
                portal: Some(p.name.clone()),
                region: p.region.clone(),
            });
        }
    }
    Ok(seeds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_seed_files_load() {
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                let seeds = load(&path).unwrap();
                assert!(!seeds.is_empty(), "{path:?}");
            }
        }
    }

    #[test]
    fn rejects_non_http_urls() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.toml");
        std::fs::write(&p, "[[portal]]\nname = \"x\"\nurls = [\"ftp://a/b\"]\n").unwrap();
        assert!(load(&p).is_err());
    }
}
