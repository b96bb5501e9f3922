//! The web server on real sockets (`browse::serve_with` on 127.0.0.x): connections that never
//! finish their request headers are closed after the header-read timeout, idle keep-alive
//! connections too, and past the connection limit a new connection gets a 503 at once instead
//! of holding a socket. Waits are bounded (a test fails rather than hangs); nothing asserts
//! speed.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

use nianbao::browse::{serve_with, AppState, ServeLimits};

use super::fixture;

/// Longest any wait in these tests may take before the test fails.
const BOUND: Duration = Duration::from_secs(30);

/// A server over the fixture archive on `ip`, with `limits`; its address and a stop switch.
async fn start(
    ip: &str,
    limits: ServeLimits,
) -> (
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<std::io::Result<()>>,
    fixture::Built,
) {
    let b = fixture::build();
    let state = AppState::open(&b.db).unwrap();
    let listener = tokio::net::TcpListener::bind(format!("{ip}:0"))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve_with(listener, state, limits, async {
        let _ = stopped.await;
    }));
    (addr, stop, server, b)
}

/// Read until the server closes the connection (EOF or reset); what it sent. Fails the test
/// if the connection is still open after [`BOUND`].
async fn until_closed(s: &mut TcpStream) -> Vec<u8> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match timeout(BOUND, s.read(&mut buf)).await {
            Err(_) => panic!(
                "the server held the connection for {BOUND:?} (got {:?})",
                String::from_utf8_lossy(&got)
            ),
            Ok(Ok(0)) | Ok(Err(_)) => return got,
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
}

/// One `GET path` on a fresh connection (Connection: close): the whole response.
async fn get(addr: std::net::SocketAddr, path: &str) -> String {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    String::from_utf8_lossy(&until_closed(&mut s).await).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_without_a_complete_request_are_closed() {
    let limits = ServeLimits {
        header_read_timeout: Duration::from_secs(1),
        max_connections: 64,
    };
    let (addr, stop, server, _b) = start("127.0.0.98", limits).await;

    // Silent connections, connections that trickle an unfinished request (slowloris), and one
    // that finished a request and then idles on keep-alive.
    // 40 + 10 + 1 connections: all within the limit.
    let mut silent = Vec::new();
    for _ in 0..40 {
        silent.push(TcpStream::connect(addr).await.unwrap());
    }
    let mut trickling = Vec::new();
    for _ in 0..10 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /reports HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        trickling.push(s);
    }
    let trickle = tokio::spawn(async move {
        // One header byte every 200 ms, for longer than the timeout.
        for _ in 0..40 {
            for s in trickling.iter_mut() {
                if s.write_all(b"X").await.is_err() {
                    continue;
                }
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        trickling
    });
    let mut kept = TcpStream::connect(addr).await.unwrap();
    kept.write_all(b"GET /style.css HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut first = [0u8; 12];
    timeout(BOUND, kept.read_exact(&mut first))
        .await
        .expect("a response in time")
        .unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");

    for s in silent.iter_mut() {
        until_closed(s).await;
    }
    until_closed(&mut kept).await;
    for mut s in trickle.await.unwrap() {
        let said = until_closed(&mut s).await;
        assert!(
            !String::from_utf8_lossy(&said).contains("200 OK"),
            "an unfinished request was never answered"
        );
    }

    // The server still answers.
    let r = get(addr, "/reports.json").await;
    assert!(r.starts_with("HTTP/1.1 200"), "{r}");
    let _ = stop.send(());
    timeout(BOUND, server).await.unwrap().unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_connection_limit_new_connections_get_503() {
    let limits = ServeLimits {
        header_read_timeout: Duration::from_secs(120),
        max_connections: 4,
    };
    let (addr, stop, server, _b) = start("127.0.0.99", limits).await;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(TcpStream::connect(addr).await.unwrap());
    }
    // Accepted after the four (the kernel queues connections in order): the server is full.
    let mut fifth = TcpStream::connect(addr).await.unwrap();
    let refused = String::from_utf8_lossy(&until_closed(&mut fifth).await).into_owned();
    assert!(
        refused.starts_with("HTTP/1.1 503"),
        "a connection past the limit is refused at once: {refused:?}"
    );
    // One of the four leaves: a place is free again.
    drop(held.pop());
    let answered = timeout(BOUND, async {
        loop {
            let r = get(addr, "/reports").await;
            if r.starts_with("HTTP/1.1 200") {
                return r;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("a freed place is given to a new connection");
    assert!(answered.contains("<!DOCTYPE html>"));
    drop(held);
    let _ = stop.send(());
    timeout(BOUND, server).await.unwrap().unwrap().unwrap();
}
