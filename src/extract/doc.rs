//! Legacy OLE attachments (.doc, and Kingsoft .wps, which is Word-compatible OLE) → the same
//! [`DocxContent`] as DOCX files: running text plus tables as grids.
//!
//! No maintained Rust crate reads Word 97 binaries, so this converts with an external tool,
//! in a subprocess under the limits of `extract::pdf::tool`:
//!
//! 1. LibreOffice (`soffice --headless --convert-to docx`, Debian `libreoffice-writer-nogui`),
//!    then [`super::docx::extract`]: tables come out as grids with merged cells intact. About
//!    1.5 s per file; each run gets its own temporary directory and profile so runs never
//!    share LibreOffice's lock.
//! 2. Without LibreOffice, `catdoc` (Debian `catdoc`): text only, table rows as
//!    tab-separated lines. Fast, but on complex merged tables it can lose rows (the Shanghai
//!    2019 table 三 comes out as garbage), and `antiword` loses them too, so it is the fallback.
//! 3. With neither, [`DocError::Unsupported`]: the crawler records the report as
//!    `unparsed: doc`.
//!
//! [`extract`] blocks for the conversion: call it from `tokio::task::spawn_blocking`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::docx::{self, DocxContent};
use super::pdf::tool::{self, Limits, RunError};
use super::sniff::DocKind;

/// Why a DOC/WPS file gave no text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DocError {
    /// No converter is installed (Debian `libreoffice-writer-nogui` or `catdoc`).
    #[error("no converter for {0} files: install libreoffice-writer-nogui or catdoc")]
    Unsupported(&'static str),
    /// The converter could not read the file.
    #[error("unreadable {kind} file: {message}")]
    Malformed {
        /// `doc` or `wps`.
        kind: &'static str,
        /// What the converter said.
        message: String,
    },
    /// The file is over the size limit.
    #[error("{0} file too large")]
    TooLarge(&'static str),
    /// The converter ran past its time and was killed.
    #[error("converting the {0} file timed out")]
    Timeout(&'static str),
    /// Setting up or running the converter failed.
    #[error("running the converter failed: {0}")]
    Io(#[from] std::io::Error),
}

/// First bytes of an OLE compound file (.doc, .wps, .xls).
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// Largest file converted.
const MAX_INPUT: usize = 64 << 20;
const SOFFICE: &str = "soffice";
const CATDOC: &str = "catdoc";

/// Limits for LibreOffice: it maps far more address space than it uses.
const SOFFICE_LIMITS: Limits = Limits {
    timeout: Duration::from_secs(120),
    max_memory: 8 << 30,
    max_output: 1 << 20,
};
const CATDOC_LIMITS: Limits = Limits {
    timeout: Duration::from_secs(30),
    max_memory: 1 << 30,
    max_output: 32 << 20,
};

/// Extract a .doc or .wps file (`kind` is [`DocKind::Doc`] or [`DocKind::Wps`]; it only names
/// the format in errors, both are read alike).
pub fn extract(bytes: &[u8], kind: DocKind) -> Result<DocxContent, DocError> {
    let name = kind.as_str();
    if bytes.len() > MAX_INPUT {
        return Err(DocError::TooLarge(name));
    }
    // LibreOffice imports anything as plain text, so check it is OLE first.
    if !bytes.starts_with(&OLE_MAGIC) {
        return Err(DocError::Malformed {
            kind: name,
            message: "not an OLE compound file".into(),
        });
    }
    match via_libreoffice(bytes, name) {
        Err(DocError::Unsupported(_)) => via_catdoc(bytes, name),
        other => other,
    }
}

/// Convert to DOCX with LibreOffice in a private temporary directory.
fn via_libreoffice(bytes: &[u8], kind: &'static str) -> Result<DocxContent, DocError> {
    let dir = TempDir::new()?;
    let input = dir.path().join("in.doc");
    std::fs::write(&input, bytes)?;
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.path().join("profile").display()
    );
    let out_dir = dir.path().join("out");
    let args = [
        profile.as_str(),
        "--headless",
        "--norestore",
        "--convert-to",
        "docx",
        "--outdir",
        &out_dir.to_string_lossy(),
        &input.to_string_lossy(),
    ];
    let out = tool::run(SOFFICE, &args, b"", &SOFFICE_LIMITS).map_err(|e| run_error(e, kind))?;
    let docx_path = out_dir.join("in.docx");
    let converted = match std::fs::read(&docx_path) {
        Ok(b) => b,
        Err(_) => {
            return Err(DocError::Malformed {
                kind,
                message: format!(
                    "LibreOffice wrote no DOCX (status {:?}): {}",
                    out.status.code(),
                    String::from_utf8_lossy(&out.stderr)
                        .lines()
                        .last()
                        .unwrap_or_default()
                ),
            })
        }
    };
    docx::extract(&converted).map_err(|e| DocError::Malformed {
        kind,
        message: e.to_string(),
    })
}

/// Text with `catdoc`: paragraphs as lines, table rows as tab-separated lines.
fn via_catdoc(bytes: &[u8], kind: &'static str) -> Result<DocxContent, DocError> {
    let out = tool::run(CATDOC, &["-d", "utf-8", "-w"], bytes, &CATDOC_LIMITS)
        .map_err(|e| run_error(e, kind))?;
    let text = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    if !out.status.success() || text.trim().is_empty() {
        return Err(DocError::Malformed {
            kind,
            message: String::from_utf8_lossy(&out.stderr)
                .trim()
                .chars()
                .take(200)
                .collect(),
        });
    }
    Ok(DocxContent {
        text,
        grids: Vec::new(),
    })
}

fn run_error(e: RunError, kind: &'static str) -> DocError {
    match e {
        RunError::Missing => DocError::Unsupported(kind),
        RunError::Timeout => DocError::Timeout(kind),
        RunError::OutputTooLarge => DocError::TooLarge(kind),
        RunError::Io(e) => DocError::Io(e),
    }
}

/// A directory of our own under the system temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> std::io::Result<TempDir> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("nianbao-doc-{}-{n}-{nanos}", std::process::id()));
        std::fs::create_dir(&path)?;
        Ok(TempDir(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_ole_is_refused_before_converting() {
        for bytes in [
            &b"{\\rtf1 hello}"[..],
            b"<html>",
            b"\xD0\xCF\x11\xE0 not OLE",
            b"",
        ] {
            let r = extract(bytes, DocKind::Wps);
            assert!(
                matches!(r, Err(DocError::Malformed { kind: "wps", .. })),
                "{r:?}"
            );
        }
    }

    #[test]
    fn catdoc_fallback_gives_tab_separated_rows() {
        let doc = include_bytes!("../../tests/fixtures/attachments/shanghai-2019-libreoffice.doc");
        let d = via_catdoc(doc, "doc").map_err(|e| e.to_string());
        let d = d.unwrap_or_else(|e| panic!("needs catdoc: {e}"));
        assert!(d.grids.is_empty());
        assert!(
            d.text.lines().any(|l| l == "规章\t13\t13\t524"),
            "{}",
            d.text
        );
    }

    #[test]
    fn too_large_is_refused() {
        let mut big = vec![0u8; MAX_INPUT + 1];
        big[..8].copy_from_slice(&OLE_MAGIC);
        assert!(matches!(
            extract(&big, DocKind::Doc),
            Err(DocError::TooLarge("doc"))
        ));
    }

    #[test]
    fn temp_dirs_are_private_and_removed() {
        let a = TempDir::new().map_err(|e| e.to_string());
        let b = TempDir::new().map_err(|e| e.to_string());
        let (a, b) = (
            a.unwrap_or_else(|e| panic!("{e}")),
            b.unwrap_or_else(|e| panic!("{e}")),
        );
        assert_ne!(a.path(), b.path());
        let p = a.path().to_path_buf();
        assert!(p.is_dir());
        drop(a);
        assert!(!p.exists());
    }
}
