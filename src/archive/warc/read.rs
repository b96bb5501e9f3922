//! Reading WARC records back: for tests and checks of this module's own output, not a general
//! WARC reader.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// One record as read back by [`read_records`].
#[derive(Debug, Clone)]
pub struct ReadRecord {
    /// Header fields in order.
    pub fields: Vec<(String, String)>,
    /// The block.
    pub block: Vec<u8>,
}

impl ReadRecord {
    /// A header field's value.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Read every record of a `.warc.gz` file. For tests and checks; not a general WARC reader
/// (it expects this module's output).
pub fn read_records(path: &Path) -> io::Result<Vec<ReadRecord>> {
    let mut data = Vec::new();
    flate2::read::MultiGzDecoder::new(File::open(path)?).read_to_end(&mut data)?;
    let mut out = Vec::new();
    let mut rest = &data[..];
    while !rest.is_empty() {
        let end = find(rest, b"\r\n\r\n")
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "record head not ended"))?;
        let head = String::from_utf8_lossy(&rest[..end]).into_owned();
        let mut lines = head.split("\r\n");
        if lines.next() != Some("WARC/1.1") {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "not WARC/1.1"));
        }
        let fields: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(": "))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let len: usize = fields
            .iter()
            .find(|(k, _)| k == "Content-Length")
            .and_then(|(_, v)| v.parse().ok())
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "no Content-Length"))?;
        let start = end + 4;
        let block = rest
            .get(start..start + len)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "block cut short"))?;
        out.push(ReadRecord {
            fields,
            block: block.to_vec(),
        });
        rest = rest.get(start + len + 4..).unwrap_or(&[]);
    }
    Ok(out)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
