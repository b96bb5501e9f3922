//! Configuration: `config.toml` and command-line overrides, validated once into [`Config`].
//!
//! Two stages, as in ripgrep's `LowArgs`/`HiArgs`: [`FileConfig`] is the TOML file as written
//! (every field optional, plain numbers), [`Config`] is the validated result with units in types
//! (`Duration`, byte counts) that the rest of the program reads. Nothing else reads the
//! environment or the file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

/// A configuration problem: unreadable file, bad TOML, or a value out of range.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML for this schema.
    #[error("invalid config {path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The TOML error.
        message: String,
    },
    /// A value is out of range.
    #[error("invalid setting {key}: {message}")]
    Invalid {
        /// The setting, e.g. `crawl.rate`.
        key: &'static str,
        /// Why.
        message: String,
    },
}

/// `config.toml` as written. See the commented `config.toml` at the top of the repository.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// `[archive]`
    #[serde(default)]
    pub archive: ArchiveSection,
    /// `[crawl]`
    #[serde(default)]
    pub crawl: CrawlSection,
}

/// `[archive]` section.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArchiveSection {
    /// Archive path.
    pub path: Option<PathBuf>,
    /// Write WARC files too.
    pub warc: Option<bool>,
    /// Where WARC files go (default: `warc/` beside the archive).
    pub warc_dir: Option<PathBuf>,
    /// Size at which a WARC file is closed and the next one begun, in MB.
    pub warc_max_mb: Option<f64>,
    /// Hidden, for tests only (not in `config.toml`): the archive may grow to this many
    /// SQLite pages (`PRAGMA max_page_count` on the crawl's writer), so a test meets a real
    /// "database or disk is full" without a small file system.
    pub test_max_page_count: Option<u64>,
}

/// `[crawl]` section; see `config.toml` for meanings and defaults.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CrawlSection {
    pub rate: Option<f64>,
    pub concurrency: Option<usize>,
    pub per_host_concurrency: Option<usize>,
    pub max_pages: Option<u64>,
    pub max_depth: Option<u32>,
    pub user_agent: Option<String>,
    pub allowed_hosts: Option<Vec<String>>,
    pub connect_timeout_secs: Option<f64>,
    pub read_timeout_secs: Option<f64>,
    pub request_timeout_secs: Option<f64>,
    pub retries: Option<u32>,
    pub backoff_base_secs: Option<f64>,
    pub backoff_max_secs: Option<f64>,
    pub max_redirects: Option<usize>,
    pub max_body_mb: Option<f64>,
    pub revisit_listings_hours: Option<f64>,
    pub revisit_reports_days: Option<f64>,
    pub max_blocks_per_host: Option<u32>,
    pub max_retry_after_secs: Option<f64>,
    pub max_crawl_delay_secs: Option<f64>,
    pub barren_listings_per_seed: Option<u32>,
    pub fetch_only: Option<bool>,
}

/// The per-host request rate (`crawl.rate`, `--rate`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rate {
    /// At most this many requests per second to one host (finite, > 0; fractions allowed).
    PerSecond(f64),
    /// No limit: benchmarks on local portals only (`rate = 0`).
    Unlimited,
}

impl Rate {
    /// `per_second` requests per second; 0 (or anything not finite and positive) is unlimited.
    pub fn per_second(per_second: f64) -> Rate {
        if per_second.is_finite() && per_second > 0.0 {
            Rate::PerSecond(per_second)
        } else {
            Rate::Unlimited
        }
    }

    /// The time between two request starts to one host; `None` when unlimited.
    pub fn spacing(self) -> Option<Duration> {
        match self {
            Rate::PerSecond(r) => Duration::try_from_secs_f64(1.0 / r).ok(),
            Rate::Unlimited => None,
        }
    }
}

/// The validated configuration every stage reads.
#[derive(Debug, Clone)]
pub struct Config {
    /// SQLite archive file.
    pub db_path: PathBuf,
    /// Requests per second per host.
    pub rate: Rate,
    /// Global limit on requests in flight.
    pub concurrency: usize,
    /// Limit on requests in flight to one host.
    pub per_host_concurrency: usize,
    /// Stop after this many fetches in one run (`None` = until done).
    pub max_pages: Option<u64>,
    /// Links further than this many hops from a seed are not followed; every hop counts,
    /// listing to listing (pagination, year folders) included.
    pub max_depth: u32,
    /// A seed's paging stops for the run after this many of its listing pages in a row
    /// added no new report link (crawler traps); `None` = never.
    pub barren_listings_per_seed: Option<u32>,
    /// User-Agent sent with every request; names the tool and a contact URL.
    pub user_agent: String,
    /// Hosts (`host` or `host:port`) in scope besides the seeds' hosts.
    pub allowed_hosts: Vec<String>,
    /// TCP/TLS connect timeout.
    pub connect_timeout: Duration,
    /// Longest pause between two reads of one response.
    pub read_timeout: Duration,
    /// Longest a whole request may take.
    pub request_timeout: Duration,
    /// Retries after the first attempt for timeouts, resets and 5xx.
    pub retries: u32,
    /// First retry delay; doubles each attempt, with jitter.
    pub backoff_base: Duration,
    /// Cap on the retry delay.
    pub backoff_max: Duration,
    /// Redirects followed per request (within scope only).
    pub max_redirects: usize,
    /// Responses larger than this are cut and recorded as failed.
    pub max_body_bytes: u64,
    /// Listing pages fetched longer ago than this are revisited by a new run.
    pub revisit_listings: Duration,
    /// Report pages fetched longer ago than this are revisited (conditionally) by a new run.
    pub revisit_reports: Duration,
    /// After this many anti-bot pages in a row a host is left alone until the next run.
    pub max_blocks_per_host: u32,
    /// A `Retry-After` longer than this stops the host for this run instead of waiting.
    pub max_retry_after: Duration,
    /// A robots.txt `Crawl-delay` longer than this defers the host to the next run.
    pub max_crawl_delay: Duration,
    /// Test-only size limit of the archive in SQLite pages (see
    /// [`ArchiveSection::test_max_page_count`]).
    pub test_max_page_count: Option<u64>,
    /// WARC output, when on.
    pub warc: Option<WarcConfig>,
    /// Fetch and archive only: detail pages and attachments are queued for `nianbao analyse`
    /// instead of being extracted, parsed and checked during the crawl.
    pub fetch_only: bool,
}

/// Where and how WARC files are written (`[archive] warc = true` or `crawl --warc DIR`).
#[derive(Debug, Clone)]
pub struct WarcConfig {
    /// Directory of the `.warc.gz` files.
    pub dir: PathBuf,
    /// A file is closed once it reaches this size and the next one begun.
    pub max_bytes: u64,
}

/// Command-line values that override the file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--db`
    pub db_path: Option<PathBuf>,
    /// `crawl --warc DIR`: write WARC files into DIR.
    pub warc_dir: Option<PathBuf>,
    /// `--rate`
    pub rate: Option<f64>,
    /// `--concurrency`
    pub concurrency: Option<usize>,
    /// `--max-pages`
    pub max_pages: Option<u64>,
    /// `crawl --fetch-only`
    pub fetch_only: bool,
}

/// Default User-Agent: names the tool and where to read about it.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "nianbao/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/nianbao/nianbao; annual-report archiver)"
);

impl Config {
    /// Load `path` (or `config.toml` in the working directory if it exists, or built-in
    /// defaults), then apply `overrides`.
    pub fn load(path: Option<&Path>, overrides: &Overrides) -> Result<Config, ConfigError> {
        let file = match path {
            Some(p) => Some(p.to_path_buf()),
            None => Some(PathBuf::from("config.toml")).filter(|p| p.is_file()),
        };
        let parsed = match &file {
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|source| ConfigError::Read {
                    path: p.clone(),
                    source,
                })?;
                toml::from_str::<FileConfig>(&text).map_err(|e| ConfigError::Parse {
                    path: p.clone(),
                    message: e.to_string(),
                })?
            }
            None => FileConfig::default(),
        };
        Config::from_file(parsed, overrides)
    }

    /// Validate a parsed file plus overrides.
    pub fn from_file(file: FileConfig, o: &Overrides) -> Result<Config, ConfigError> {
        let c = file.crawl;
        let rate = o.rate.or(c.rate).unwrap_or(1.0);
        if !rate.is_finite() || rate < 0.0 {
            return Err(invalid(
                "crawl.rate",
                "must be a number ≥ 0 (0 = unlimited)",
            ));
        }
        let concurrency = o.concurrency.or(c.concurrency).unwrap_or(16);
        if concurrency == 0 {
            return Err(invalid("crawl.concurrency", "must be ≥ 1"));
        }
        let per_host_concurrency = c.per_host_concurrency.unwrap_or(2);
        if per_host_concurrency == 0 {
            return Err(invalid("crawl.per_host_concurrency", "must be ≥ 1"));
        }
        let user_agent = c
            .user_agent
            .unwrap_or_else(|| DEFAULT_USER_AGENT.to_string());
        if user_agent.trim().is_empty()
            || reqwest::header::HeaderValue::from_str(&user_agent).is_err()
        {
            return Err(invalid(
                "crawl.user_agent",
                "must be a non-empty ASCII header value",
            ));
        }
        let db_path = o
            .db_path
            .clone()
            .or(file.archive.path)
            .unwrap_or_else(|| PathBuf::from("data/archive.db"));
        let warc_mb = file.archive.warc_max_mb.unwrap_or(1000.0);
        if !warc_mb.is_finite() || warc_mb <= 0.0 {
            return Err(invalid("archive.warc_max_mb", "must be a number > 0"));
        }
        let warc = match (&o.warc_dir, file.archive.warc.unwrap_or(false)) {
            (Some(dir), _) => Some(dir.clone()),
            (None, true) => Some(file.archive.warc_dir.clone().unwrap_or_else(|| {
                db_path
                    .parent()
                    .unwrap_or_else(|| Path::new("."))
                    .join("warc")
            })),
            (None, false) => None,
        }
        .map(|dir| WarcConfig {
            dir,
            max_bytes: (warc_mb * 1024.0 * 1024.0) as u64,
        });
        Ok(Config {
            db_path,
            rate: Rate::per_second(rate),
            concurrency,
            per_host_concurrency,
            max_pages: o.max_pages.or(c.max_pages).filter(|n| *n > 0),
            max_depth: c.max_depth.unwrap_or(300),
            barren_listings_per_seed: c
                .barren_listings_per_seed
                .map_or(Some(50), |n| Some(n).filter(|n| *n > 0)),
            user_agent,
            allowed_hosts: c.allowed_hosts.unwrap_or_default(),
            connect_timeout: secs("crawl.connect_timeout_secs", c.connect_timeout_secs, 10.0)?,
            read_timeout: secs("crawl.read_timeout_secs", c.read_timeout_secs, 30.0)?,
            request_timeout: secs("crawl.request_timeout_secs", c.request_timeout_secs, 120.0)?,
            retries: c.retries.unwrap_or(4),
            backoff_base: secs("crawl.backoff_base_secs", c.backoff_base_secs, 1.0)?,
            backoff_max: secs("crawl.backoff_max_secs", c.backoff_max_secs, 60.0)?,
            max_redirects: c.max_redirects.unwrap_or(5),
            max_body_bytes: (c.max_body_mb.unwrap_or(50.0).max(0.001) * 1024.0 * 1024.0) as u64,
            revisit_listings: secs(
                "crawl.revisit_listings_hours",
                c.revisit_listings_hours.map(|h| h * 3600.0),
                0.0,
            )?,
            revisit_reports: secs(
                "crawl.revisit_reports_days",
                c.revisit_reports_days.map(|d| d * 86400.0),
                30.0 * 86400.0,
            )?,
            max_blocks_per_host: c.max_blocks_per_host.unwrap_or(3).max(1),
            max_retry_after: secs("crawl.max_retry_after_secs", c.max_retry_after_secs, 300.0)?,
            max_crawl_delay: secs("crawl.max_crawl_delay_secs", c.max_crawl_delay_secs, 60.0)?,
            test_max_page_count: file.archive.test_max_page_count,
            warc,
            fetch_only: o.fetch_only || c.fetch_only.unwrap_or(false),
        })
    }
}

fn invalid(key: &'static str, message: &str) -> ConfigError {
    ConfigError::Invalid {
        key,
        message: message.to_string(),
    }
}

fn secs(key: &'static str, value: Option<f64>, default: f64) -> Result<Duration, ConfigError> {
    let v = value.unwrap_or(default);
    Duration::try_from_secs_f64(v).map_err(|_| invalid(key, "must be a number of seconds ≥ 0"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_without_file() {
        let c = Config::from_file(FileConfig::default(), &Overrides::default()).unwrap();
        assert_eq!(c.db_path, PathBuf::from("data/archive.db"));
        assert_eq!(c.rate, Rate::PerSecond(1.0));
        assert_eq!(c.rate.spacing(), Some(Duration::from_secs(1)));
        assert!(c.user_agent.starts_with("nianbao/"));
    }

    #[test]
    fn overrides_win_and_zero_rate_means_unlimited() {
        let file: FileConfig = toml::from_str("[crawl]\nrate = 0.5\nconcurrency = 4\n").unwrap();
        let o = Overrides {
            rate: Some(0.0),
            ..Default::default()
        };
        let c = Config::from_file(file, &o).unwrap();
        assert_eq!(c.rate, Rate::Unlimited);
        assert_eq!(c.rate.spacing(), None);
        assert_eq!(c.concurrency, 4);
    }

    #[test]
    fn fetch_only_comes_from_the_file_or_the_flag() {
        let defaults = Config::from_file(FileConfig::default(), &Overrides::default()).unwrap();
        assert!(!defaults.fetch_only);
        let file: FileConfig = toml::from_str("[crawl]\nfetch_only = true\n").unwrap();
        assert!(
            Config::from_file(file, &Overrides::default())
                .unwrap()
                .fetch_only
        );
        let flag = Overrides {
            fetch_only: true,
            ..Default::default()
        };
        assert!(
            Config::from_file(FileConfig::default(), &flag)
                .unwrap()
                .fetch_only
        );
    }

    #[test]
    fn rejects_unknown_keys_and_bad_values() {
        assert!(toml::from_str::<FileConfig>("[crawl]\nrat = 1\n").is_err());
        let file: FileConfig = toml::from_str("[crawl]\nrate = -1\n").unwrap();
        assert!(Config::from_file(file, &Overrides::default()).is_err());
    }

    #[test]
    fn warc_is_off_by_default_and_on_by_file_or_flag() {
        let c = Config::from_file(FileConfig::default(), &Overrides::default()).unwrap();
        assert!(c.warc.is_none());
        let file: FileConfig =
            toml::from_str("[archive]\npath = \"x/a.db\"\nwarc = true\nwarc_max_mb = 2\n").unwrap();
        let w = Config::from_file(file, &Overrides::default())
            .unwrap()
            .warc
            .unwrap();
        assert_eq!(w.dir, PathBuf::from("x/warc"));
        assert_eq!(w.max_bytes, 2 * 1024 * 1024);
        let o = Overrides {
            warc_dir: Some("/tmp/w".into()),
            ..Default::default()
        };
        let w = Config::from_file(FileConfig::default(), &o)
            .unwrap()
            .warc
            .unwrap();
        assert_eq!(w.dir, PathBuf::from("/tmp/w"));
        let file: FileConfig = toml::from_str("[archive]\nwarc_max_mb = 0\n").unwrap();
        assert!(Config::from_file(file, &Overrides::default()).is_err());
    }

    #[test]
    fn trap_and_wait_limits_default_and_parse() {
        let d = Config::from_file(FileConfig::default(), &Overrides::default()).unwrap();
        assert_eq!(d.max_depth, 300);
        assert_eq!(d.barren_listings_per_seed, Some(50));
        assert_eq!(d.max_crawl_delay, Duration::from_secs(60));
        assert_eq!(d.test_max_page_count, None);
        let file: FileConfig = toml::from_str(
            "[archive]\ntest_max_page_count = 700\n[crawl]\nbarren_listings_per_seed = 0\nmax_crawl_delay_secs = 5\n",
        )
        .unwrap();
        let c = Config::from_file(file, &Overrides::default()).unwrap();
        assert_eq!(c.barren_listings_per_seed, None, "0 = never stop paging");
        assert_eq!(c.max_crawl_delay, Duration::from_secs(5));
        assert_eq!(c.test_max_page_count, Some(700));
        let file: FileConfig = toml::from_str("[crawl]\nmax_crawl_delay_secs = -1\n").unwrap();
        assert!(Config::from_file(file, &Overrides::default()).is_err());
        // The shipped file says what the defaults are.
        let shipped: FileConfig = toml::from_str(include_str!("../config.toml")).unwrap();
        let shipped = Config::from_file(shipped, &Overrides::default()).unwrap();
        assert_eq!(shipped.max_depth, d.max_depth);
        assert_eq!(shipped.barren_listings_per_seed, d.barren_listings_per_seed);
        assert_eq!(shipped.max_crawl_delay, d.max_crawl_delay);
    }

    #[test]
    fn shipped_config_toml_parses() {
        let text = include_str!("../config.toml");
        let file: FileConfig = toml::from_str(text).unwrap();
        Config::from_file(file, &Overrides::default()).unwrap();
    }
}
