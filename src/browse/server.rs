//! The connection loop of `nianbao serve`: accepts TCP connections, serves each with HTTP/1.1
//! (hyper) through the router, and protects itself from clients that hold connections open.
//!
//! `axum::serve` sets no timeouts, so a client that connects and sends nothing (or trickles
//! its request headers) held its connection and a task for ever; 2,000 such connections were
//! all still open after 65 s. Here:
//!
//! - a request's headers must arrive within [`ServeLimits::header_read_timeout`] (hyper's
//!   timer runs from the moment the server waits for a request, so an idle keep-alive
//!   connection is closed after the same time);
//! - at most [`ServeLimits::max_connections`] connections are served at once; one more is
//!   answered `503 Service Unavailable` at once and closed (it does not wait in the kernel's
//!   queue behind the ones holding places).
//!
//! HTTP/2 is not offered: a loopback web UI gains nothing from it, and hyper's HTTP/1 path is
//! the one with a header-read timeout.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

use super::{app, AppState};

/// Limits on what clients can hold of the server.
#[derive(Debug, Clone, Copy)]
pub struct ServeLimits {
    /// A connection must deliver a request's complete headers within this time of the server
    /// starting to wait for them (on connecting, or after the previous response); otherwise it
    /// is closed.
    pub header_read_timeout: Duration,
    /// Most connections served at once; past it a new connection gets 503 and is closed.
    pub max_connections: usize,
}

impl Default for ServeLimits {
    /// 10 s for headers (a browser sends them at once); 512 connections (a few browsers open
    /// six each; every connection costs a file descriptor and a task).
    fn default() -> ServeLimits {
        ServeLimits {
            header_read_timeout: Duration::from_secs(10),
            max_connections: 512,
        }
    }
}

/// Refused connections being answered at once; more are closed without an answer.
const MAX_REFUSING: usize = 64;
/// How long a refused connection gets to read its 503.
const REFUSE_LINGER: Duration = Duration::from_secs(2);
/// How long shutdown waits for responses in progress.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Serve `app(state)` on `listener` within `limits` until `shutdown` completes; then stop
/// accepting and give responses in progress [`SHUTDOWN_GRACE`] to finish.
pub async fn serve_with(
    listener: TcpListener,
    state: AppState,
    limits: ServeLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let router = app(state);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    // One permit per connection served; a connection task holds its permit until it ends.
    let places = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    // One permit per refused connection still being told so.
    let refusing = Arc::new(Semaphore::new(MAX_REFUSING));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    accept_error(e).await;
                    continue;
                }
            },
        };
        let Ok(place) = places.clone().try_acquire_owned() else {
            if let Ok(permit) = refusing.clone().try_acquire_owned() {
                tokio::spawn(async move {
                    refuse(stream).await;
                    drop(permit);
                });
            }
            continue;
        };
        let _ = stream.set_nodelay(true);
        let conn = http.serve_connection(
            TokioIo::new(stream),
            TowerToHyperService::new(router.clone()),
        );
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            // Errors are the client's doing (timeouts, resets, bad requests): nothing to report.
            let _ = conn.await;
            drop(place);
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
    Ok(())
}

/// An error from `accept`: a connection that failed before it was accepted is skipped; for
/// anything else (out of file descriptors) wait a moment so the loop does not spin.
async fn accept_error(e: io::Error) {
    use io::ErrorKind::*;
    if matches!(
        e.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    tracing::warn!("serve: accept: {e}");
    tokio::time::sleep(Duration::from_millis(100)).await;
}

/// Tell a connection past the limit that the server is busy, then close it: the answer is
/// written at once, and what the client sent is read (for at most [`REFUSE_LINGER`]) so that
/// closing does not reset the connection before the client reads the answer.
async fn refuse(mut stream: TcpStream) {
    const BODY: &str = "server busy: too many connections, try again\n";
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Length: {}\r\nRetry-After: 5\r\nConnection: close\r\n\r\n{BODY}",
        BODY.len()
    );
    let _ = tokio::time::timeout(REFUSE_LINGER, async {
        stream.write_all(answer.as_bytes()).await?;
        stream.shutdown().await?;
        let mut sink = [0u8; 4096];
        while stream.read(&mut sink).await? > 0 {}
        io::Result::Ok(())
    })
    .await;
}
