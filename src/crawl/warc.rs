//! The crawl's side of the WARC output: after each fetch, before its page is stored, look up
//! whether the payload was archived before, build the records off the async threads and
//! append them (the format and files are [`crate::archive::warc`]).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::{Ctx, WarcSummary};
use crate::archive::warc::{self, Exchange, Original, WarcWriter};
use crate::fetch::client::Response;

/// The run's WARC writer and its counters.
#[derive(Debug)]
pub struct Output {
    writer: Mutex<WarcWriter>,
    revisits: AtomicU64,
    error: Mutex<Option<String>>,
}

impl Output {
    /// Wrap an opened writer.
    pub fn new(writer: WarcWriter) -> Output {
        Output {
            writer: Mutex::new(writer),
            revisits: AtomicU64::new(0),
            error: Mutex::new(None),
        }
    }

    /// Close the current file and say what was written.
    pub fn finish(&self) -> WarcSummary {
        let mut error = self.error.lock().map(|e| e.clone()).unwrap_or_default();
        let (records, files) = match self.writer.lock() {
            Ok(mut w) => {
                if let Err(e) = w.close() {
                    error.get_or_insert_with(|| format!("closing the WARC file: {e}"));
                }
                (w.records, w.files.clone())
            }
            Err(_) => (0, Vec::new()),
        };
        WarcSummary {
            records,
            revisits: self.revisits.load(Ordering::Relaxed),
            files,
            error,
        }
    }
}

/// Write the exchange behind `resp` (fetched for `url`) to the WARC files, if they are on.
/// Payloads of successful responses are looked up by digest first so that repeats become
/// revisit records. Returns false when the write failed: the response must then not be
/// stored (its request stays queued for the next run), and the crawl stops — a WARC with
/// holes is worse than a stopped run, which the next run resumes.
pub async fn record(ctx: &Arc<Ctx>, url: &str, resp: &Response) -> bool {
    let (Some(output), Some(capture)) = (&ctx.warc, &resp.capture) else {
        return true;
    };
    let payload = capture.payload(resp).to_vec();
    let digest = (resp.status == 200 && !payload.is_empty()).then(|| warc::digest(&payload));
    let response_id = warc::record_id();
    let (url, status) = (url.to_string(), resp.status);
    let original = match digest.clone() {
        Some(d) => {
            let capture = Original {
                record_id: response_id.clone(),
                target_uri: url.clone(),
                date: warc::warc_date(&capture.date),
            };
            match ctx.writer.call(move |a| a.warc_claim(&d, &capture)).await {
                Ok(original) => original,
                Err(e) => {
                    tracing::error!("WARC: {e}");
                    None
                }
            }
        }
        None => None,
    };
    let ctx2 = ctx.clone();
    let (date, remote_ip) = (capture.date, capture.remote_ip);
    let (request_head, request_body, response_head) = (
        capture.request_head.clone(),
        capture.request_body.clone(),
        capture.response_head.clone(),
    );
    let claimed = digest.clone().filter(|_| original.is_none());
    let written = tokio::task::spawn_blocking(move || {
        let records = warc::exchange_records(
            &Exchange {
                target_uri: &url,
                date,
                remote_ip,
                request_head: &request_head,
                request_body: &request_body,
                status,
                response_head: &response_head,
                payload: &payload,
            },
            &response_id,
            digest.as_deref(),
            original.as_ref(),
        );
        let Some(output) = &ctx2.warc else {
            return Ok(records);
        };
        let mut w = output
            .writer
            .lock()
            .map_err(|_| "WARC writer poisoned".to_string())?;
        w.write(&records).map_err(|e| e.to_string())?;
        Ok::<_, String>(records)
    })
    .await
    .map_err(|e| e.to_string())
    .and_then(|r| r);
    match written {
        Ok(records) => {
            if records.revisit {
                output.revisits.fetch_add(1, Ordering::Relaxed);
            }
            if let Some(digest) = claimed {
                // The record is on disk: the claim holds across runs from now on.
                let _ = ctx.writer.send(move |a| a.warc_confirm(&digest));
            }
            true
        }
        Err(e) => {
            tracing::error!("WARC write failed: {e}; stopping the crawl (run again to resume)");
            if let Ok(mut slot) = output.error.lock() {
                slot.get_or_insert(e);
            }
            ctx.stop.raise(super::stop::Stop::Graceful);
            false
        }
    }
}
