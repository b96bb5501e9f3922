//! A temporary archive with a fast test config, and the built binary run against it.

use std::path::PathBuf;
use std::process::Output;

use nianbao::archive::Archive;

/// The built `nianbao` binary.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_nianbao")
}

/// A temporary directory holding an archive path and a config file.
pub struct Workdir {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub config: PathBuf,
}

/// Fast settings for local portals: quick retries, short timeouts, revisit everything.
pub fn workdir(rate: f64, extra_hosts: &[String], extra: &str) -> Workdir {
    workdir_in(
        tempfile::tempdir().expect("tempdir"),
        rate,
        extra_hosts,
        extra,
    )
}

/// As [`workdir`], in the temporary directory `dir`.
pub fn workdir_in(
    dir: tempfile::TempDir,
    rate: f64,
    extra_hosts: &[String],
    extra: &str,
) -> Workdir {
    let db = dir.path().join("archive.db");
    let config = dir.path().join("config.toml");
    let hosts: Vec<String> = extra_hosts.iter().map(|h| format!("{h:?}")).collect();
    let text = format!(
        "[crawl]\nrate = {rate}\nconcurrency = 16\nper_host_concurrency = 2\nretries = 3\n\
         backoff_base_secs = 0.05\nbackoff_max_secs = 0.5\nconnect_timeout_secs = 2.0\n\
         read_timeout_secs = 2.0\nrequest_timeout_secs = 5.0\nmax_body_mb = 5.0\n\
         revisit_reports_days = 0.0\nmax_retry_after_secs = 5.0\nallowed_hosts = [{}]\n{extra}\n",
        hosts.join(", ")
    );
    std::fs::write(&config, text).expect("write config");
    Workdir { dir, db, config }
}

/// A workdir whose config file is exactly `config` (TOML).
pub fn workdir_with(config: &str) -> Workdir {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("archive.db");
    let path = dir.path().join("config.toml");
    std::fs::write(&path, config).expect("write config");
    Workdir {
        dir,
        db,
        config: path,
    }
}

impl Workdir {
    /// Arguments that point the binary at this workdir.
    pub fn base_args(&self) -> Vec<String> {
        vec![
            "--config".into(),
            self.config.display().to_string(),
            "--db".into(),
            self.db.display().to_string(),
        ]
    }

    /// `nianbao crawl --seed …` and wait for it.
    pub async fn crawl(&self, seeds: &[url::Url], extra: &[&str]) -> Output {
        let mut cmd = tokio::process::Command::new(bin());
        cmd.args(self.base_args()).arg("crawl");
        for s in seeds {
            cmd.arg("--seed").arg(s.as_str());
        }
        cmd.args(extra);
        cmd.kill_on_drop(true).output().await.expect("run nianbao")
    }

    /// `nianbao crawl --seed …`, killed and failed if it has not ended after `limit`.
    pub async fn crawl_within(
        &self,
        limit: std::time::Duration,
        seeds: &[url::Url],
        extra: &[&str],
    ) -> Output {
        match tokio::time::timeout(limit, self.crawl(seeds, extra)).await {
            Ok(out) => out,
            Err(_) => panic!("the crawl did not end within {limit:?}"),
        }
    }

    /// The status and the JSON summary of the archive's last run.
    pub fn last_run(&self) -> (String, serde_json::Value) {
        let a = self.archive();
        let (status, summary): (String, Option<String>) = a
            .conn()
            .query_row(
                "SELECT status, summary FROM runs ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("a run");
        let summary = summary
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or(serde_json::Value::Null);
        (status, summary)
    }

    /// `nianbao export --format jsonl`, parsed.
    pub fn export(&self) -> Vec<serde_json::Value> {
        let out = std::process::Command::new(bin())
            .args(self.base_args())
            .args(["export", "--format", "jsonl"])
            .output()
            .expect("run export");
        assert!(
            out.status.success(),
            "export failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect()
    }

    /// Open the archive read-only.
    pub fn archive(&self) -> Archive {
        Archive::open_read_only(&self.db).expect("open archive")
    }
}

/// Assert a command succeeded, showing its stderr otherwise.
pub fn assert_ok(out: &Output) {
    assert!(
        out.status.success(),
        "nianbao failed ({:?}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}
