//! `nianbao serve`, `list`, `show`, `search`, `stats`, `runs`: browsing the archive.
//!
//! All of them open the archive read-only. The query commands print aligned tables for people
//! and, with `--json`, JSON for scripts (`list`/`search`: the same object as `/reports.json`;
//! `show`: the SPEC §4 export record; `stats`: as `/index.json`; `runs`: as `/runs.json`).

use std::io::Write;
use std::path::PathBuf;

use super::{load_config, Failure};
use crate::archive::Archive;
use crate::browse::query::{self, CheckStatus, ListFilter, Sort};
use crate::browse::terminal::{self, left, right};
use crate::browse::{figures, AppState};
use crate::config::Overrides;
use crate::model::ParsedReport;

/// `serve` arguments.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (loopback unless told otherwise).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: String,
}

/// Arguments of `stats` and `runs`.
#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    /// Print JSON for scripts.
    #[arg(long)]
    pub json: bool,
}

/// `list` arguments.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only reports for this year.
    #[arg(long)]
    pub year: Option<i64>,
    /// Only agencies whose name contains TEXT.
    #[arg(long, value_name = "TEXT")]
    pub agency: Option<String>,
    /// Only reports with a failing consistency check.
    #[arg(long)]
    pub failing: bool,
    /// Only this check status: pass, fail, unparsed, legacy.
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// Only this format: 2021, 2019, legacy, none.
    #[arg(long)]
    pub format: Option<String>,
    /// Sort: year, agency, title, published, seen, received, refused, failing; `-` for descending.
    #[arg(long, default_value = "-year", allow_hyphen_values = true)]
    pub sort: String,
    /// Reports per page.
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// Page (1-based).
    #[arg(long, default_value_t = 1)]
    pub page: u32,
    /// Print JSON for scripts.
    #[arg(long)]
    pub json: bool,
}

/// `show` arguments.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// Report id (or a unique prefix of at least 6 characters).
    pub id: String,
    /// Also print the report text.
    #[arg(long)]
    pub text: bool,
    /// Print the SPEC §4 JSON record.
    #[arg(long)]
    pub json: bool,
}

/// `search` arguments.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// Text to find (terms of 3+ characters use the full-text index; all terms must match).
    #[arg(required = true, num_args = 1..)]
    pub text: Vec<String>,
    /// Only reports for this year.
    #[arg(long)]
    pub year: Option<i64>,
    /// Most results to print.
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// Print JSON for scripts.
    #[arg(long)]
    pub json: bool,
}

/// Which of the simple queries.
#[derive(Debug, Clone, Copy)]
pub enum Query {
    /// `stats`
    Stats,
    /// `runs`
    Runs,
}

fn open(config: &Option<PathBuf>, db: &Option<PathBuf>) -> Result<Archive, Failure> {
    let config = load_config(config, db, Overrides::default())?;
    Ok(Archive::open_read_only(&config.db_path)?)
}

/// Write to stdout; a closed pipe (`| head`) is not an error.
fn emit(s: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::fatal(e)),
        _ => Ok(()),
    }
}

fn emit_json(v: &impl serde::Serialize) -> Result<(), Failure> {
    let mut s = serde_json::to_string_pretty(v).map_err(Failure::fatal)?;
    s.push('\n');
    emit(&s)
}

/// `nianbao serve`.
pub fn serve(
    config: &Option<PathBuf>,
    db: &Option<PathBuf>,
    args: ServeArgs,
) -> Result<(), Failure> {
    let config = load_config(config, db, Overrides::default())?;
    let state = AppState::open(&config.db_path)?;
    let addr: std::net::SocketAddr = args.bind.parse().map_err(|e| Failure {
        code: super::EXIT_CONFIG,
        message: format!("--bind {}: {e}", args.bind),
    })?;
    let rt = super::runtime()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| Failure::fatal(format!("bind {addr}: {e}")))?;
        let local = listener.local_addr().map_err(Failure::fatal)?;
        if !local.ip().is_loopback() {
            eprintln!("nianbao: warning: serving on {local}, reachable from other machines");
        }
        eprintln!(
            "nianbao: serving {} read-only at http://{local}/ (Ctrl-C to stop)",
            config.db_path.display()
        );
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        crate::browse::serve(listener, state, shutdown)
            .await
            .map_err(Failure::fatal)
    })
}

/// The snippet starting a few characters before the first term, so the term shows in a
/// narrow column.
fn around(snippet: &str, terms: &[String]) -> String {
    let Some(at) = terms.iter().filter_map(|t| snippet.find(t.as_str())).min() else {
        return snippet.to_string();
    };
    let before: Vec<char> = snippet[..at].chars().collect();
    let start: String = before[before.len().saturating_sub(8)..].iter().collect();
    format!("{start}{}", &snippet[at..])
}

fn list_rows(page: &query::ListPage, terms: Option<&[String]>) -> String {
    let with_snippet = terms.is_some();
    let mut cols = vec![
        left("ID", 12),
        right("Year"),
        left("Agency", 28),
        left("Title", 44),
        left("Format", 6),
        right("Received"),
        right("Refused"),
        left("Checks", 12),
    ];
    if with_snippet {
        cols.push(left("Context", 50));
    }
    let rows: Vec<Vec<String>> = page
        .reports
        .iter()
        .map(|r| {
            let mut row = vec![
                r.id.get(..12).unwrap_or(&r.id).to_string(),
                r.year.map(|y| y.to_string()).unwrap_or_default(),
                r.agency.clone().unwrap_or_default(),
                r.title.clone().unwrap_or_default(),
                r.format.clone().unwrap_or_else(|| "–".into()),
                r.received.map(|n| n.to_string()).unwrap_or_default(),
                r.refused.map(|n| n.to_string()).unwrap_or_default(),
                match r.check_status {
                    CheckStatus::Fail => format!("fail {}/{}", r.failing, r.checks),
                    s => s.as_str().to_string(),
                },
            ];
            if let Some(terms) = terms {
                row.push(around(r.snippet.as_deref().unwrap_or(""), terms));
            }
            row
        })
        .collect();
    let mut out = terminal::table(&cols, &rows);
    out.push_str(&format!(
        "{} reports; page {} of {}\n",
        page.total,
        page.page,
        page.pages.max(1)
    ));
    out
}

fn list_json(f: &ListFilter, page: &query::ListPage) -> serde_json::Value {
    let filter: serde_json::Map<String, serde_json::Value> = f
        .to_params()
        .into_iter()
        .filter(|(k, _)| *k != "page" && *k != "sort")
        .map(|(k, v)| (k.to_string(), v.into()))
        .collect();
    let mut v = serde_json::to_value(page).unwrap_or_default();
    if let Some(obj) = v.as_object_mut() {
        obj.insert("filter".into(), filter.into());
        obj.insert("sort".into(), f.sort.as_param().into());
    }
    v
}

/// `nianbao list`.
pub fn list(config: &Option<PathBuf>, db: &Option<PathBuf>, args: ListArgs) -> Result<(), Failure> {
    let usage = |m: String| Failure {
        code: super::EXIT_CONFIG,
        message: m,
    };
    let status = match (&args.status, args.failing) {
        (_, true) => Some(CheckStatus::Fail),
        (Some(s), false) => Some(CheckStatus::parse(s).ok_or_else(|| {
            usage(format!(
                "--status {s}: expected pass, fail, unparsed or legacy"
            ))
        })?),
        (None, false) => None,
    };
    let sort = Sort::parse(&args.sort)
        .ok_or_else(|| usage(format!("--sort {}: unknown key", args.sort)))?;
    let f = ListFilter {
        year: args.year,
        agency_like: args.agency.clone(),
        format: args.format.clone(),
        status,
        sort,
        page: args.page.max(1),
        ..ListFilter::default()
    };
    let a = open(config, db)?;
    let page = query::list(&a, &f, args.limit.clamp(1, 10_000))?;
    if args.json {
        return emit_json(&list_json(&f, &page));
    }
    emit(&list_rows(&page, None))
}

/// `nianbao search`.
pub fn search(
    config: &Option<PathBuf>,
    db: &Option<PathBuf>,
    args: SearchArgs,
) -> Result<(), Failure> {
    let f = ListFilter {
        q: Some(args.text.join(" ")),
        year: args.year,
        page: 1,
        ..ListFilter::default()
    };
    let a = open(config, db)?;
    let page = query::list(&a, &f, args.limit.clamp(1, 10_000))?;
    if args.json {
        return emit_json(&list_json(&f, &page));
    }
    let terms = crate::browse::search::terms(f.q.as_deref().unwrap_or(""));
    emit(&list_rows(&page, Some(&terms)))
}

/// Find a report by id or unique id prefix.
fn resolve(a: &Archive, id: &str) -> Result<String, Failure> {
    if id.len() < 6 || !id.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(Failure::fatal(format!(
            "{id}: not a report id (hex, at least 6 characters)"
        )));
    }
    let mut st = a
        .conn()
        .prepare("SELECT id FROM reports WHERE id >= ?1 AND id < ?1 || 'g' ORDER BY id LIMIT 2")
        .map_err(Failure::fatal)?;
    let ids: Vec<String> = st
        .query_map([id.to_ascii_lowercase()], |r| r.get(0))
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(Failure::fatal)?;
    match ids.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(Failure::fatal(format!("no report {id}"))),
        _ => Err(Failure::fatal(format!(
            "{id}: more than one report has this prefix"
        ))),
    }
}

/// `nianbao show`.
pub fn show(config: &Option<PathBuf>, db: &Option<PathBuf>, args: ShowArgs) -> Result<(), Failure> {
    let a = open(config, db)?;
    let id = resolve(&a, &args.id)?;
    let record = crate::export::record(&a, &id)?;
    if args.json {
        return emit_json(&record);
    }
    let s = |k: &str| record.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let parsed = ParsedReport {
        title: s("title"),
        agency: s("agency"),
        year: record
            .get("year")
            .and_then(|v| v.as_i64())
            .map(|y| y as i32),
        format: s("format").as_deref().and_then(crate::model::Format::parse),
        tables: a.load_tables(&id)?,
        warnings: record
            .get("warnings")
            .and_then(|w| w.as_array())
            .map(|w| {
                w.iter()
                    .filter_map(|m| m.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
    };
    let checks = a.load_checks(&id)?;
    let mut out = format!(
        "id: {id}\nsource: {}   status: {}\n",
        s("source").unwrap_or_default(),
        s("status").unwrap_or_default()
    );
    for url in record
        .get("urls")
        .and_then(|u| u.as_array())
        .into_iter()
        .flatten()
    {
        out.push_str(&format!(
            "url: {}\n",
            terminal::fit(url.as_str().unwrap_or(""), 400)
        ));
    }
    out.push_str(&crate::parse::render::terminal(&parsed, &checks));
    if args.text {
        let text: String = a
            .conn()
            .query_row("SELECT text FROM reports WHERE id = ?1", [&id], |r| {
                r.get(0)
            })
            .map_err(Failure::fatal)?;
        out.push_str("\n---- text ----\n");
        out.push_str(
            &text
                .chars()
                .map(|c| {
                    if c.is_control() && c != '\n' && c != '\t' {
                        ' '
                    } else {
                        c
                    }
                })
                .collect::<String>(),
        );
        out.push('\n');
    }
    emit(&out)
}

/// `nianbao stats` and `nianbao runs`.
pub fn query(
    config: &Option<PathBuf>,
    db: &Option<PathBuf>,
    q: Query,
    args: QueryArgs,
) -> Result<(), Failure> {
    let a = open(config, db)?;
    match q {
        Query::Stats => {
            let o = figures::overview(&a)?;
            if args.json {
                return emit_json(&o);
            }
            emit(&stats_text(&o))
        }
        Query::Runs => {
            let runs = crate::browse::runs::load(&a, 50).map_err(Failure::fatal)?;
            if args.json {
                return emit_json(&runs);
            }
            let rows: Vec<Vec<String>> = runs
                .runs
                .iter()
                .map(|r| {
                    let c = &r.row.counts;
                    let failures: Vec<String> =
                        r.failures.iter().map(|(k, n)| format!("{k} {n}")).collect();
                    vec![
                        r.row.id.to_string(),
                        r.row.started_at.clone(),
                        r.row.status.clone(),
                        c.fetched.to_string(),
                        c.not_modified.to_string(),
                        c.reports_new.to_string(),
                        c.reports_seen.to_string(),
                        c.failed.to_string(),
                        c.blocked.to_string(),
                        failures.join(", "),
                    ]
                })
                .collect();
            let cols = [
                right("Run"),
                left("Started", 20),
                left("Status", 11),
                right("Fetched"),
                right("304"),
                right("New"),
                right("Known"),
                right("Failed"),
                right("Blocked"),
                left("Failures", 60),
            ];
            let mut out = terminal::table(&cols, &rows);
            let problems: Vec<Vec<String>> = runs
                .hosts
                .iter()
                .filter(|h| h.status != "ok")
                .map(|h| {
                    vec![
                        h.host.clone(),
                        h.status.clone(),
                        h.last_error.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            if !problems.is_empty() {
                out.push_str("\nhosts with problems\n");
                out.push_str(&terminal::table(
                    &[left("Host", 40), left("Status", 18), left("Last error", 60)],
                    &problems,
                ));
            }
            emit(&out)
        }
    }
}

fn stats_text(o: &figures::Overview) -> String {
    let t = &o.totals;
    let mut out = format!(
        "reports {}  agencies {}  documents {}  pages {}  runs {}\n",
        t.reports, t.agencies, t.documents, t.pages, t.runs
    );
    let statuses: Vec<String> = CheckStatus::ALL
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                s.label(),
                o.by_status.get(s.as_str()).copied().unwrap_or(0)
            )
        })
        .collect();
    out.push_str(&format!("checks: {}\n", statuses.join(", ")));
    let sources: Vec<String> = o
        .by_source
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    out.push_str(&format!("sources: {}\n\n", sources.join(", ")));
    let fig = |y: &figures::YearStats, k: &str| {
        y.figures.get(k).map(|n| n.to_string()).unwrap_or_default()
    };
    let rows: Vec<Vec<String>> = o
        .years
        .iter()
        .map(|y| {
            vec![
                y.year.to_string(),
                y.formats.values().sum::<i64>().to_string(),
                y.formats.get("2021").copied().unwrap_or(0).to_string(),
                y.formats.get("2019").copied().unwrap_or(0).to_string(),
                y.formats.get("legacy").copied().unwrap_or(0).to_string(),
                y.parsed.to_string(),
                y.failing.to_string(),
                fig(y, "received"),
                fig(y, "granted"),
                fig(y, "refused"),
                fig(y, "review"),
            ]
        })
        .collect();
    let cols = [
        right("Year"),
        right("Reports"),
        right("2021"),
        right("2019"),
        right("Legacy"),
        right("Parsed"),
        right("Failing"),
        right("Received"),
        right("Granted"),
        right("Refused"),
        right("Review"),
    ];
    out.push_str(&terminal::table(&cols, &rows));
    if o.unknown_year > 0 {
        out.push_str(&format!(
            "{} reports without a known year\n",
            o.unknown_year
        ));
    }
    if !o.most_refused.is_empty() {
        out.push_str("\nmost requests refused\n");
        let rows: Vec<Vec<String>> = o
            .most_refused
            .iter()
            .map(|n| {
                vec![
                    n.value.to_string(),
                    n.year.map(|y| y.to_string()).unwrap_or_default(),
                    n.agency.clone().unwrap_or_default(),
                    n.id.get(..12).unwrap_or(&n.id).to_string(),
                ]
            })
            .collect();
        out.push_str(&terminal::table(
            &[
                right("Refused"),
                right("Year"),
                left("Agency", 40),
                left("ID", 12),
            ],
            &rows,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::around;

    #[test]
    fn context_starts_near_the_term() {
        let s = "一二三四五六七八九十甲乙丙丁依申请公开工作";
        assert_eq!(
            around(s, &["依申请公开".to_string()]),
            "七八九十甲乙丙丁依申请公开工作"
        );
        assert_eq!(around("短文依申请", &["依申请".to_string()]), "短文依申请");
        assert_eq!(around("没有", &["依申请".to_string()]), "没有");
    }
}
