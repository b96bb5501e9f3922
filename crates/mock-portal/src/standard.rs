//! Loads the Standard layout's content from `data/standard.toml`: which reports and companion
//! pages each 年报 column lists, in which order, and where each quirk sits. The data file
//! says what is published; this file turns it into a [`Catalog`], applying each host's URL
//! shapes (TRS month folders, Hanweb `art_…`, gkmlpt `post_…`, generic `content_…`) to the
//! article ids the documents get.

use std::collections::HashMap;

use serde::Deserialize;

use super::catalog::{gbk_site, hanweb_site, trs_site, Catalog, Docs, FILES, MIRROR};
use super::families::generic::GenericSite;
use super::families::gkmlpt::GkmlptSite;
use super::families::hanweb::HanwebSite;
use super::quirks::{Challenge, Trap};
use super::report::{self, Companion};
use super::seeds::{self, RealReport};
use super::site::{Entry, Link, PageQuirk};
use super::util::{fnv1a, Date};

/// The Standard layout's content.
const STANDARD: &str = include_str!("../data/standard.toml");

/// `data/standard.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Layout {
    trs: Column,
    hanweb: Column,
    gbk: Column,
    generic: Column,
    gkmlpt: Column,
}

/// One host's 年报 column.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Column {
    /// The portal named in generated reports.
    site: String,
    /// Telephone area code of generated reports.
    area: u16,
    entry: Vec<EntrySpec>,
    /// Year folders (generic host only).
    #[serde(default)]
    year: Vec<YearFolder>,
}

/// `[[generic.year]]`: one year folder and its entries, listed as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFolder {
    year: i32,
    entry: Vec<EntrySpec>,
}

/// One listing row; see the comments at the top of the data file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntrySpec {
    date: String,
    title: Option<String>,
    /// Names the entry's document for later entries (`doc = "name"`).
    name: Option<String>,
    // The document (at most one).
    report: Option<GeneratedSpec>,
    companion: Option<CompanionSpec>,
    template: Option<TemplateSpec>,
    seed: Option<Seed>,
    doc: Option<String>,
    // The link (a detail page on this host unless one of these is given).
    #[serde(default)]
    quirk: PageQuirk,
    #[serde(default)]
    attachment: bool,
    challenge: Option<ChallengeSpec>,
    missing: Option<u64>,
    disallowed: Option<String>,
    offscope: Option<String>,
    mirror: Option<String>,
    file: Option<String>,
    trap: Option<TrapSpec>,
}

/// `report = { agency, year [, contact] [, title] }`: a generated 2021-format report.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GeneratedSpec {
    agency: String,
    year: i32,
    contact: Option<String>,
    title: Option<String>,
}

/// `companion = { kind, title, agency, year }`: a page that is not a report.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CompanionSpec {
    kind: Companion,
    title: String,
    agency: String,
    year: i32,
}

/// `template = { title, agency, year }`: the blank 格式 template.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateSpec {
    title: String,
    agency: String,
    year: i32,
}

/// `seed = "…"`: a body from a real document in `data/`.
#[derive(Debug, Clone, Copy, Deserialize)]
enum Seed {
    #[serde(rename = "xixia_2024")]
    Xixia2024,
    #[serde(rename = "jiangyang_2023")]
    Jiangyang2023,
    #[serde(rename = "hongsibu_2014")]
    Hongsibu2014,
    #[serde(rename = "shanghai_2019")]
    Shanghai2019,
}

/// `challenge = { kind, id }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChallengeSpec {
    kind: Challenge,
    id: u64,
}

/// `trap = { kind, path }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrapSpec {
    kind: Trap,
    path: String,
}

/// Which host's URL shapes a column's entries take.
#[derive(Debug, Clone, Copy)]
enum Host {
    Trs,
    Hanweb,
    Gbk,
    Generic,
    /// The generic host's folder for one year.
    GenericYear(i32),
    Gkmlpt,
}

impl Host {
    /// The detail page of article `id` published at `date`.
    fn detail_path(self, date: Date, id: u64) -> String {
        match self {
            Host::Trs => trs_site().detail_path(date, id),
            Host::Hanweb => hanweb_site().detail_path(date, id),
            Host::Gbk => gbk_site().detail_path(date, id),
            Host::Generic => GenericSite::detail_path(id),
            Host::GenericYear(year) => GenericSite::year_detail_path(year, id),
            Host::Gkmlpt => GkmlptSite::detail_path(id),
        }
    }

    /// The attached PDF of article `id`, on hosts whose detail pages have attachments.
    fn attachment_path(self, date: Date, id: u64) -> Option<String> {
        match self {
            Host::Trs => Some(trs_site().attachment_path(date, id)),
            Host::Hanweb => Some(HanwebSite::download_href(&format!(
                "{:032x}",
                u128::from(fnv1a(&id.to_le_bytes())) << 64 | u128::from(id)
            ))),
            Host::Gkmlpt => Some(GkmlptSite::attachment_path(id + 4_300_000)),
            Host::Gbk | Host::Generic | Host::GenericYear(_) => None,
        }
    }
}

impl Catalog {
    /// The Standard site for hosts at `bases` (one per host index), from `data/standard.toml`.
    pub(crate) fn standard(bases: Vec<String>) -> Result<Catalog, String> {
        let layout: Layout =
            toml::from_str(STANDARD).map_err(|e| format!("data/standard.toml: {e}"))?;
        let mut l = Loader {
            docs: Docs(Vec::new()),
            names: HashMap::new(),
            bases,
            files: Vec::new(),
            mirror: Vec::new(),
        };
        for (name, column) in [
            ("trs", &layout.trs),
            ("hanweb", &layout.hanweb),
            ("gbk", &layout.gbk),
            ("gkmlpt", &layout.gkmlpt),
        ] {
            if !column.year.is_empty() {
                return Err(format!(
                    "[{name}]: year folders are for the generic host only"
                ));
            }
        }
        let trs = l.column(Host::Trs, &layout.trs, &layout.trs.entry)?;
        let hanweb = l.column(Host::Hanweb, &layout.hanweb, &layout.hanweb.entry)?;
        let gbk = l.column(Host::Gbk, &layout.gbk, &layout.gbk.entry)?;
        let generic = l.column(Host::Generic, &layout.generic, &layout.generic.entry)?;
        let mut generic_years = Vec::new();
        for folder in &layout.generic.year {
            let host = Host::GenericYear(folder.year);
            let entries = l.entries(host, &layout.generic, &folder.entry)?;
            generic_years.push((folder.year, entries));
        }
        let gkmlpt = l.column(Host::Gkmlpt, &layout.gkmlpt, &layout.gkmlpt.entry)?;
        Ok(Catalog {
            bases: l.bases,
            docs: l.docs.0,
            trs,
            hanweb,
            gbk,
            generic,
            generic_years,
            gkmlpt,
            files: l.files,
            mirror: l.mirror,
            published: 0,
        })
    }
}

/// Builds the catalog entry by entry, creating documents as they first appear.
struct Loader {
    docs: Docs,
    /// Named documents (`name = …`).
    names: HashMap<String, usize>,
    bases: Vec<String>,
    /// Documents on the attachment host: (path, doc).
    files: Vec<(String, usize)>,
    /// Documents on the mirror host: (path, doc).
    mirror: Vec<(String, usize)>,
}

impl Loader {
    /// A column's entries, newest first (stable: equal dates keep the file's order).
    fn column(
        &mut self,
        host: Host,
        column: &Column,
        specs: &[EntrySpec],
    ) -> Result<Vec<Entry>, String> {
        let mut entries = self.entries(host, column, specs)?;
        entries.sort_by_key(|e| std::cmp::Reverse(e.date));
        Ok(entries)
    }

    /// Entries in file order.
    fn entries(
        &mut self,
        host: Host,
        column: &Column,
        specs: &[EntrySpec],
    ) -> Result<Vec<Entry>, String> {
        specs
            .iter()
            .map(|spec| {
                self.entry(host, column, spec)
                    .map_err(|e| format!("{host:?} entry of {}: {e}", spec.date))
            })
            .collect()
    }

    fn entry(&mut self, host: Host, column: &Column, spec: &EntrySpec) -> Result<Entry, String> {
        let date = parse_date(&spec.date)?;
        let doc = self.doc(column, spec)?;
        if let (Some(name), Some(doc)) = (&spec.name, doc) {
            if self.names.insert(name.clone(), doc).is_some() {
                return Err(format!("two documents named {name:?}"));
            }
        }
        let link = self.link(host, spec, date, doc)?;
        let title = match (&spec.title, doc.and_then(|d| self.docs.get(d))) {
            (Some(title), _) => title.clone(),
            (None, Some(d)) => d.title.clone(),
            (None, None) => return Err("no title and no document".into()),
        };
        Ok(Entry { title, date, link })
    }

    /// The entry's document, created here unless it refers to an earlier one.
    fn doc(&mut self, column: &Column, spec: &EntrySpec) -> Result<Option<usize>, String> {
        let sources = [
            spec.report.is_some(),
            spec.companion.is_some(),
            spec.template.is_some(),
            spec.seed.is_some(),
            spec.doc.is_some(),
        ];
        if sources.iter().filter(|s| **s).count() > 1 {
            return Err("more than one of report, companion, template, seed, doc".into());
        }
        let docs = &mut self.docs;
        Ok(Some(if let Some(r) = &spec.report {
            docs.generated(
                &r.agency,
                r.year,
                &column.site,
                column.area,
                r.contact.as_deref(),
                r.title.clone(),
            )
        } else if let Some(c) = &spec.companion {
            docs.companion(c.kind, &c.title, &c.agency, c.year)
        } else if let Some(p) = &spec.template {
            docs.push(p.title.clone(), &p.agency, p.year, report::template(), None)
        } else if let Some(seed) = spec.seed {
            docs.real(seed.report())
        } else if let Some(name) = &spec.doc {
            *self
                .names
                .get(name)
                .ok_or_else(|| format!("no earlier document named {name:?}"))?
        } else {
            return Ok(None);
        }))
    }

    /// What the entry links to.
    fn link(
        &mut self,
        host: Host,
        spec: &EntrySpec,
        date: Date,
        doc: Option<usize>,
    ) -> Result<Link, String> {
        let links = [
            spec.challenge.is_some(),
            spec.missing.is_some(),
            spec.disallowed.is_some(),
            spec.offscope.is_some(),
            spec.mirror.is_some(),
            spec.file.is_some(),
            spec.trap.is_some(),
        ];
        if links.iter().filter(|l| **l).count() > 1 {
            return Err("more than one link".into());
        }
        let needs_doc = || doc.ok_or_else(|| "this link needs a document".to_string());
        if let Some(c) = &spec.challenge {
            return Ok(Link::Challenge {
                path: host.detail_path(date, c.id),
                kind: c.kind,
            });
        }
        if let Some(id) = spec.missing {
            return Ok(Link::Missing {
                path: host.detail_path(date, id),
            });
        }
        if let Some(path) = &spec.disallowed {
            let doc = needs_doc()?;
            return Ok(Link::Disallowed {
                doc,
                path: path.clone(),
            });
        }
        if let Some(url) = &spec.offscope {
            return Ok(Link::OffScope { url: url.clone() });
        }
        if let Some(path) = &spec.mirror {
            self.mirror.push((path.clone(), needs_doc()?));
            return Ok(Link::OffScope {
                url: format!("{}{path}", self.base(MIRROR)),
            });
        }
        if let Some(path) = &spec.file {
            let doc = needs_doc()?;
            self.files.push((path.clone(), doc));
            return Ok(Link::File {
                doc,
                url: format!("{}{path}", self.base(FILES)),
            });
        }
        if let Some(t) = &spec.trap {
            return Ok(Link::Trap {
                path: t.path.clone(),
                kind: t.kind,
            });
        }
        let doc = needs_doc()?;
        let id = self.docs.get(doc).map_or(0, |d| d.id);
        let attachment = match (spec.attachment, host.attachment_path(date, id)) {
            (false, _) => None,
            (true, Some(path)) => Some(path),
            (true, None) => return Err(format!("{host:?} pages have no attachments")),
        };
        Ok(Link::Detail {
            doc,
            path: host.detail_path(date, id),
            quirk: spec.quirk,
            attachment,
        })
    }

    fn base(&self, host: usize) -> &str {
        self.bases.get(host).map_or("", String::as_str)
    }
}

/// `2024-03-20` (at 09:30, when reports go up) or `2024-01-29 03:30`.
fn parse_date(s: &str) -> Result<Date, String> {
    let (day, time) = s.split_once(' ').unwrap_or((s, "09:30"));
    let numbers = |text: &str, sep: char| -> Option<Vec<u32>> {
        text.split(sep).map(|p| p.parse().ok()).collect()
    };
    match (numbers(day, '-').as_deref(), numbers(time, ':').as_deref()) {
        (Some(&[y, m, d]), Some(&[hh, mm]))
            if (1..=12).contains(&m) && (1..=31).contains(&d) && hh < 24 && mm < 60 =>
        {
            let y = i32::try_from(y).map_err(|e| format!("bad year in {s:?}: {e}"))?;
            Ok(Date::at(y, m, d, hh, mm))
        }
        _ => Err(format!(
            "bad date {s:?} (want YYYY-MM-DD or YYYY-MM-DD HH:MM)"
        )),
    }
}

impl Seed {
    fn report(self) -> RealReport {
        match self {
            Seed::Xixia2024 => seeds::xixia_2024(),
            Seed::Jiangyang2023 => seeds::jiangyang_2023(),
            Seed::Hongsibu2014 => seeds::hongsibu_2014(),
            Seed::Shanghai2019 => seeds::shanghai_2019(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_default_to_half_past_nine() {
        assert_eq!(parse_date("2024-03-20"), Ok(Date::at(2024, 3, 20, 9, 30)));
        assert_eq!(
            parse_date("2024-01-29 03:30"),
            Ok(Date::at(2024, 1, 29, 3, 30))
        );
        assert!(parse_date("2024-13-01").is_err());
        assert!(parse_date("2024-01").is_err());
        assert!(parse_date("20240101").is_err());
    }

    #[test]
    fn the_data_file_loads() {
        let c = Catalog::standard(Vec::new());
        let c = c.unwrap_or_else(|e| panic!("{e}"));
        assert!(c.docs.len() > 60);
        assert_eq!(c.files.len(), 1);
        assert_eq!(c.mirror.len(), 1);
        assert_eq!(c.generic_years.len(), 3);
    }
}
