//! DOCX → PDF with real LibreOffice (`soffice --headless --convert-to pdf`), many files per
//! run (its start-up is most of the cost), each result cached under the target directory by
//! the SHA-256 of the DOCX bytes, so a second test run converts nothing.

use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::process::Command;

/// Where converted PDFs are kept between runs.
fn cache_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("variations-pdf")
}

fn key(docx: &[u8]) -> String {
    hex::encode(Sha256::digest(docx))
}

/// The PDF of every DOCX in `docs`, in order; converts the ones not cached in one LibreOffice
/// run. Panics (the test fails) when LibreOffice is missing or a file does not convert.
pub fn pdfs(docs: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let cache = cache_dir();
    std::fs::create_dir_all(&cache).expect("cache dir");
    let keys: Vec<String> = docs.iter().map(|d| key(d)).collect();
    let missing: Vec<usize> = (0..docs.len())
        .filter(|&i| !cache.join(format!("{}.pdf", keys[i])).exists())
        .collect();
    if !missing.is_empty() {
        convert(docs, &keys, &missing, &cache);
    }
    keys.iter()
        .map(|k| {
            let p = cache.join(format!("{k}.pdf"));
            std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        })
        .collect()
}

fn convert(docs: &[Vec<u8>], keys: &[String], which: &[usize], cache: &std::path::Path) {
    let work = tempfile::tempdir().expect("tempdir");
    let input = work.path().join("in");
    let output = work.path().join("out");
    std::fs::create_dir_all(&input).expect("in dir");
    let mut files = Vec::new();
    for &i in which {
        let p = input.join(format!("{}.docx", keys[i]));
        std::fs::write(&p, &docs[i]).expect("write docx");
        files.push(p);
    }
    // A profile of its own: never share LibreOffice's lock with another run.
    let profile = format!(
        "-env:UserInstallation=file://{}",
        work.path().join("profile").display()
    );
    let out = Command::new("soffice")
        .arg(&profile)
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(&output)
        .args(&files)
        .output()
        .unwrap_or_else(|e| panic!("soffice (Debian libreoffice-writer-nogui) not runnable: {e}"));
    for &i in which {
        let made = output.join(format!("{}.pdf", keys[i]));
        let bytes = std::fs::read(&made).unwrap_or_else(|e| {
            panic!(
                "LibreOffice did not convert {}: {e}\n{}",
                made.display(),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        // Write then rename: a run killed midway never leaves half a file in the cache.
        let tmp = cache.join(format!("{}.pdf.part", keys[i]));
        std::fs::write(&tmp, bytes).expect("cache write");
        std::fs::rename(&tmp, cache.join(format!("{}.pdf", keys[i]))).expect("cache rename");
    }
}
