//! The HTTP server, on hyper: accepting connections (`TCP_NODELAY`, backing off when accepting
//! fails), HTTP/1.1 framing and keep-alive, a read timeout for heads, bodies and idle kept-alive
//! connections, and a bounded request body. The Cashfree behaviour is in
//! [`handler`](super::handler), the one place this calls; faults that break the connection (a
//! dropped or cut answer) are made here.

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Limited};
use hyper::body::{Body, Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;

use super::handler::respond;
use super::http::{Delivery, HttpRequest, MAX_BODY, Unread};
use super::state::Shared;

/// Largest request head (hyper answers 431 beyond it).
pub(crate) const MAX_HEAD: usize = 64 * 1024;

/// Accepts connections on `listener` until `stopped` changes.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) {
    let mut backoff = Duration::from_millis(1);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopped.changed() => return,
        };
        let (socket, peer) = match accepted {
            Ok(ok) => {
                backoff = Duration::from_millis(1);
                ok
            }
            // Out of file descriptors, say: wait instead of spinning, up to a second.
            Err(_) => {
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(1));
                continue;
            }
        };
        // Head and body may leave in two writes; without this, Nagle's algorithm meets the client's
        // delayed ACK and each kept-alive answer waits ~40 ms.
        let _ = socket.set_nodelay(true);
        let shared = shared.clone();
        let mut stopped = stopped.clone();
        let read_timeout = shared.read_timeout();
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let shared = shared.clone();
                async move { answer(&shared, request, peer).await }
            });
            let connection = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(read_timeout)
                .max_buf_size(MAX_HEAD)
                .keep_alive(true)
                .serve_connection(TokioIo::new(socket), service);
            tokio::select! {
                _ = connection => {}
                _ = stopped.changed() => {}
            }
        });
    }
}

/// The body of an answer: whole, or cut after its first half (a fault).
pub(crate) struct AnswerBody {
    data: Option<Bytes>,
    then_fail: bool,
}

impl Body for AnswerBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        match self.data.take() {
            Some(data) => Poll::Ready(Some(Ok(Frame::data(data)))),
            None if self.then_fail => {
                self.then_fail = false;
                Poll::Ready(Some(Err(std::io::Error::other("cut by an injected fault"))))
            }
            None => Poll::Ready(None),
        }
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        hyper::body::SizeHint::default()
    }
}

/// Answers one request; an `Err` makes hyper close the connection without an answer.
async fn answer(
    shared: &Shared,
    request: hyper::Request<Incoming>,
    peer: SocketAddr,
) -> Result<hyper::Response<AnswerBody>, std::io::Error> {
    let (parts, body) = request.into_parts();
    // The body must arrive within the read timeout too, or one slow sender holds a task forever.
    let read = tokio::time::timeout(
        shared.read_timeout(),
        Limited::new(body, MAX_BODY).collect(),
    );
    let (bytes, unread) = match read.await {
        Ok(Ok(collected)) => (collected.to_bytes(), None),
        Ok(Err(e))
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some() =>
        {
            (Bytes::new(), Some(Unread::TooLarge))
        }
        Ok(Err(e)) => return Err(std::io::Error::other(e)),
        Err(_) => (Bytes::new(), Some(Unread::TooSlow)),
    };
    let request = HttpRequest {
        method: parts.method.as_str().to_string(),
        target: parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path().to_string(), |p| p.as_str().to_string()),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: bytes.to_vec(),
    };
    let delivery = respond(shared, &request, unread, peer.ip()).await;
    let (response, cut) = match delivery {
        Delivery::Drop => return Err(std::io::Error::other("dropped by an injected fault")),
        Delivery::Whole(r) => (r, false),
        Delivery::Cut(r) => (r, true),
    };
    let body = Bytes::from(response.body);
    let sent = if cut {
        body.slice(..body.len() / 2)
    } else {
        body.clone()
    };
    let mut builder = hyper::Response::builder().status(response.status);
    for (k, v) in &response.headers {
        builder = builder.header(k, v);
    }
    // A cut answer announces its whole length, so the client sees the connection break mid-body.
    builder = builder.header("content-length", body.len());
    builder
        .body(AnswerBody {
            data: (!sent.is_empty()).then_some(sent),
            then_fail: cut,
        })
        .map_err(std::io::Error::other)
}
