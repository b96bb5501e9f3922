//! Writing WARC files: [`WarcWriter`] appends records to the current `.warc.gz.open` file,
//! rotates at the size limit, and at start cuts a file a killed run left back to its last
//! complete record ([`recover`]).

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Seek, Write};
use std::path::{Path, PathBuf};

use chrono::Utc;

use super::*;
use crate::config::WarcConfig;

/// Appends records to the current `.warc.gz` file, rotating at the size limit.
#[derive(Debug)]
pub struct WarcWriter {
    dir: PathBuf,
    max_bytes: u64,
    user_agent: String,
    serial: u32,
    pub(super) current: Option<OpenFile>,
    /// Records written by this writer.
    pub records: u64,
    /// Files closed by this writer.
    pub files: Vec<PathBuf>,
}

/// The file being written.
#[derive(Debug)]
pub(super) struct OpenFile {
    /// The name while writing (`….warc.gz.open`).
    pub(super) open_path: PathBuf,
    /// The name once closed.
    path: PathBuf,
    file: File,
    size: u64,
}

impl WarcWriter {
    /// Create the directory and close any `.open` file a killed run left behind.
    pub fn open(config: &WarcConfig, user_agent: &str) -> io::Result<WarcWriter> {
        std::fs::create_dir_all(&config.dir)?;
        for (path, cut) in recover(&config.dir)? {
            tracing::warn!(
                "WARC file {} was left open by an interrupted run; closed it{}",
                path.display(),
                if cut > 0 {
                    format!(" after cutting {cut} bytes of an incomplete record")
                } else {
                    String::new()
                }
            );
        }
        Ok(WarcWriter {
            dir: config.dir.clone(),
            max_bytes: config.max_bytes,
            user_agent: user_agent.to_string(),
            serial: 0,
            current: None,
            records: 0,
            files: Vec::new(),
        })
    }

    /// Append the records of one fetch (from [`exchange_records`]).
    pub fn write(&mut self, records: &Records) -> io::Result<()> {
        if self
            .current
            .as_ref()
            .is_some_and(|f| f.size > 0 && f.size + records.bytes.len() as u64 > self.max_bytes)
        {
            self.close_current()?;
        }
        if self.current.is_none() {
            self.start_file()?;
        }
        let Some(f) = self.current.as_mut() else {
            return Ok(());
        };
        f.file.write_all(&records.bytes)?;
        f.size += records.bytes.len() as u64;
        self.records += u64::from(records.count);
        Ok(())
    }

    /// Close the current file (flushed to disk and renamed without `.open`).
    pub fn close(&mut self) -> io::Result<()> {
        self.close_current()
    }

    fn start_file(&mut self) -> io::Result<()> {
        let now = Utc::now();
        let name = format!(
            "nianbao-{}-{:05}-{}.warc.gz",
            now.format("%Y%m%d%H%M%S%3f"),
            self.serial,
            std::process::id()
        );
        self.serial += 1;
        let path = self.dir.join(&name);
        let open_path = self.dir.join(format!("{name}.open"));
        let mut file = OpenOptions::new()
            .create_new(true)
            .write(true)
            .open(&open_path)?;
        let info = format!(
            "software: nianbao/{}\r\nformat: WARC File Format 1.1\r\n\
             conformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n\
             robots: obey\r\nhttp-header-user-agent: {}\r\n",
            env!("CARGO_PKG_VERSION"),
            self.user_agent
        );
        let mut bytes = Vec::new();
        write_record(
            &mut bytes,
            &[
                ("WARC-Type", "warcinfo".into()),
                ("WARC-Record-ID", record_id()),
                ("WARC-Date", warc_date(&now)),
                ("WARC-Filename", name),
                ("Content-Type", "application/warc-fields".into()),
            ],
            info.as_bytes(),
        );
        file.write_all(&bytes)?;
        self.records += 1;
        self.current = Some(OpenFile {
            open_path,
            path,
            file,
            size: bytes.len() as u64,
        });
        Ok(())
    }

    fn close_current(&mut self) -> io::Result<()> {
        if let Some(f) = self.current.take() {
            f.file.sync_all()?;
            std::fs::rename(&f.open_path, &f.path)?;
            self.files.push(f.path);
        }
        Ok(())
    }
}

impl Drop for WarcWriter {
    fn drop(&mut self) {
        if let Err(e) = self.close_current() {
            tracing::error!("closing the WARC file: {e}");
        }
    }
}

/// Close every `*.warc.gz.open` file in `dir`: keep its complete gzip members, cut the rest,
/// rename it without `.open` (delete it if nothing complete is left). Returns each file closed
/// and how many bytes were cut.
pub fn recover(dir: &Path) -> io::Result<Vec<(PathBuf, u64)>> {
    let mut done = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let open_path = entry?.path();
        let Some(name) = open_path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".open"))
        else {
            continue;
        };
        if !name.ends_with(".warc.gz") {
            continue;
        }
        let path = dir.join(name);
        let (good, total) = complete_members_len(&open_path)?;
        if good == 0 {
            std::fs::remove_file(&open_path)?;
        } else {
            let file = OpenOptions::new().write(true).open(&open_path)?;
            file.set_len(good)?;
            file.sync_all()?;
            std::fs::rename(&open_path, &path)?;
        }
        done.push((path, total - good));
    }
    Ok(done)
}

/// Bytes of `path` taken by complete gzip members from the start, and the file size.
fn complete_members_len(path: &Path) -> io::Result<(u64, u64)> {
    let total = std::fs::metadata(path)?.len();
    let mut reader = BufReader::new(File::open(path)?);
    let mut good = 0u64;
    loop {
        if reader.fill_buf()?.is_empty() {
            break;
        }
        // bufread::GzDecoder consumes exactly one member from the buffered reader, so the
        // reader's position afterwards is the member's end.
        let mut member = flate2::bufread::GzDecoder::new(&mut reader);
        if io::copy(&mut member, &mut io::sink()).is_err() {
            break;
        }
        good = reader.stream_position()?;
    }
    Ok((good, total))
}
