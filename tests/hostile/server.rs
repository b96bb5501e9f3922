//! A small hostile HTTP/1.1 server for the tests: raw TCP on 127.0.0.x, every request
//! answered by a route function with a [`Reply`] that may misbehave (endless bodies, bytes
//! trickled forever, no answer at all). One connection per request (`Connection: close`).
//! The paths requested are logged in order, and a test can wait for the log to show something
//! ([`Hostile::wait_for`]) instead of sleeping.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use url::Url;

/// How to answer one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A complete response.
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// A `200` whose chunked body never ends.
    Endless { content_type: String },
    /// The response trickled one byte every `every`, forever: from the first byte of the
    /// head (`head_too`) or after a complete head.
    Trickle { head_too: bool, every: Duration },
    /// Read the request and never answer.
    Stall,
}

impl Reply {
    /// A 200 with `content_type`.
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Full {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    /// A 200 HTML page.
    pub fn html(body: impl Into<String>) -> Reply {
        Reply::ok("text/html; charset=utf-8", body.into())
    }

    /// A 200 plain-text file (robots.txt).
    pub fn text(body: impl Into<String>) -> Reply {
        Reply::ok("text/plain", body.into())
    }

    /// An empty response with `status`.
    pub fn status(status: u16) -> Reply {
        Reply::Full {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// A redirect to `location`.
    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply::status(status).header("Location", location)
    }

    /// Add a header (to a [`Reply::Full`]).
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Full { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

/// The route function: path and query → reply.
pub type Route = Arc<dyn Fn(&str) -> Reply + Send + Sync>;

/// A running hostile server.
pub struct Hostile {
    addr: std::net::SocketAddr,
    log: watch::Sender<Vec<String>>,
    accept: tokio::task::JoinHandle<()>,
}

impl Hostile {
    /// Serve `route` on 127.0.0.`ip`, any free port.
    pub async fn start(ip: u8, route: impl Fn(&str) -> Reply + Send + Sync + 'static) -> Hostile {
        let listener = TcpListener::bind(("127.0.0.".to_string() + &ip.to_string(), 0))
            .await
            .expect("bind hostile server");
        let addr = listener.local_addr().expect("local addr");
        let (log, _) = watch::channel(Vec::new());
        let route: Route = Arc::new(route);
        let accept = {
            let log = log.clone();
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    tokio::spawn(serve(stream, route.clone(), log.clone()));
                }
            })
        };
        Hostile { addr, log, accept }
    }

    /// `http://127.0.0.x:PORT{path}`.
    pub fn url(&self, path: &str) -> Url {
        Url::parse(&format!("http://{}{path}", self.addr)).expect("url")
    }

    /// Paths and queries requested so far, in arrival order.
    pub fn hits(&self) -> Vec<String> {
        self.log.borrow().clone()
    }

    /// Requests whose path and query satisfy `pred`.
    pub fn count(&self, pred: impl Fn(&str) -> bool) -> usize {
        self.log.borrow().iter().filter(|p| pred(p)).count()
    }

    /// Wait until the request log satisfies `pred` (at most `limit`, then panic).
    pub async fn wait_for(&self, limit: Duration, pred: impl Fn(&[String]) -> bool) {
        let mut rx = self.log.subscribe();
        let waited = tokio::time::timeout(limit, rx.wait_for(|log| pred(log))).await;
        assert!(
            matches!(waited, Ok(Ok(_))),
            "the hostile server never saw what the test waits for; log: {:?}",
            self.hits()
        );
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

async fn serve(mut stream: TcpStream, route: Route, log: watch::Sender<Vec<String>>) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65536 {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&head);
    let path = text
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("/")
        .to_string();
    log.send_modify(|l| l.push(path.clone()));
    let _ = answer(&mut stream, route(&path)).await;
}

async fn answer(stream: &mut TcpStream, reply: Reply) -> std::io::Result<()> {
    match reply {
        Reply::Full {
            status,
            headers,
            body,
        } => {
            let mut head = format!("HTTP/1.1 {status} X\r\nConnection: close\r\n");
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&body).await?;
            stream.shutdown().await
        }
        Reply::Endless { content_type } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: {content_type}\r\nTransfer-Encoding: chunked\r\n\r\n"
            );
            stream.write_all(head.as_bytes()).await?;
            let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "#".repeat(64 * 1024));
            loop {
                stream.write_all(chunk.as_bytes()).await?;
            }
        }
        Reply::Trickle { head_too, every } => {
            if !head_too {
                // No length: the body ends when the connection closes, which it never does.
                stream
                    .write_all(
                        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n",
                    )
                    .await?;
            } else {
                stream.write_all(b"HTTP/1.1 200 OK\r\n").await?;
            }
            let filler: &[u8] = if head_too {
                b"X-Slow: y\r\n"
            } else {
                b"<p>slow</p>"
            };
            for b in filler.iter().cycle() {
                tokio::time::sleep(every).await;
                stream.write_all(&[*b]).await?;
            }
            Ok(())
        }
        Reply::Stall => {
            // Hold the connection open without a byte until the client gives up.
            let mut buf = [0u8; 1024];
            while stream.read(&mut buf).await.is_ok_and(|n| n > 0) {}
            Ok(())
        }
    }
}
