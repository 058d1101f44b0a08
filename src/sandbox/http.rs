//! A small HTTP/1.1 server side: read one request, write one response. Bounded (64 KiB of head,
//! 1 MiB of body), keep-alive, `Content-Length` and chunked request bodies, `Expect: 100-continue`.
//! Handwritten rather than hyper's server so that faults (a cut body, a dropped connection) are exact.

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Largest request head read.
pub(crate) const MAX_HEAD: usize = 64 * 1024;
/// Largest request body read.
pub(crate) const MAX_BODY: usize = 1024 * 1024;

/// A request as read from the wire.
#[derive(Debug, Clone)]
pub(crate) struct HttpRequest {
    pub method: String,
    pub target: String,
    /// Lower-case names, in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub keep_alive: bool,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The path without the query string.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
}

/// Why a request could not be read; the connection is then answered (when possible) and closed.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The peer closed or the socket failed: nothing to answer.
    Closed,
    /// A malformed or oversized request: answer this status, then close.
    Bad(u16, &'static str),
}

async fn read_line(
    stream: &mut BufReader<TcpStream>,
    budget: &mut usize,
) -> Result<String, ReadError> {
    let mut line = Vec::new();
    let n = (&mut *stream)
        .take(*budget as u64 + 1)
        .read_until(b'\n', &mut line)
        .await
        .map_err(|_| ReadError::Closed)?;
    if n == 0 {
        return Err(ReadError::Closed);
    }
    if n > *budget {
        return Err(ReadError::Bad(431, "request head too large"));
    }
    *budget -= n;
    if !line.ends_with(b"\n") {
        return Err(ReadError::Closed);
    }
    let text =
        String::from_utf8(line).map_err(|_| ReadError::Bad(400, "request head is not UTF-8"))?;
    Ok(text.trim_end_matches(['\r', '\n']).to_string())
}

/// Reads the next request of a connection; `Ok(None)` when the peer closed between requests.
pub(crate) async fn read_request(
    stream: &mut BufReader<TcpStream>,
) -> Result<Option<HttpRequest>, ReadError> {
    let mut budget = MAX_HEAD;
    let first = match read_line(stream, &mut budget).await {
        Ok(line) if line.is_empty() => read_line(stream, &mut budget).await?,
        Ok(line) => line,
        Err(ReadError::Closed) => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut parts = first.split(' ');
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Bad(400, "malformed request line"));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(ReadError::Bad(505, "only HTTP/1.x is served"));
    }
    let mut headers = Vec::new();
    loop {
        let line = read_line(stream, &mut budget).await?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line
            .split_once(':')
            .ok_or(ReadError::Bad(400, "malformed header line"))?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let get = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let connection = get("connection").map(str::to_ascii_lowercase);
    let keep_alive = match connection.as_deref() {
        Some("close") => false,
        Some("keep-alive") => true,
        _ => version == "HTTP/1.1",
    };
    if get("expect").is_some_and(|e| e.eq_ignore_ascii_case("100-continue")) {
        stream
            .get_mut()
            .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
            .await
            .map_err(|_| ReadError::Closed)?;
    }
    let chunked =
        get("transfer-encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
    let body = if chunked {
        read_chunked(stream).await?
    } else {
        let len = match get("content-length") {
            None => 0,
            Some(v) => v
                .parse::<usize>()
                .map_err(|_| ReadError::Bad(400, "malformed Content-Length"))?,
        };
        if len > MAX_BODY {
            return Err(ReadError::Bad(413, "request body too large"));
        }
        let mut body = vec![0; len];
        stream
            .read_exact(&mut body)
            .await
            .map_err(|_| ReadError::Closed)?;
        body
    };
    Ok(Some(HttpRequest {
        method: method.to_string(),
        target: target.to_string(),
        headers,
        body,
        keep_alive,
    }))
}

async fn read_chunked(stream: &mut BufReader<TcpStream>) -> Result<Vec<u8>, ReadError> {
    let mut body = Vec::new();
    let mut budget = MAX_HEAD;
    loop {
        let size_line = read_line(stream, &mut budget).await?;
        let size = usize::from_str_radix(size_line.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|_| ReadError::Bad(400, "malformed chunk size"))?;
        if size == 0 {
            // Trailers, then the blank line.
            while !read_line(stream, &mut budget).await?.is_empty() {}
            return Ok(body);
        }
        if body.len() + size > MAX_BODY {
            return Err(ReadError::Bad(413, "request body too large"));
        }
        let start = body.len();
        body.resize(start + size, 0);
        stream
            .read_exact(&mut body[start..])
            .await
            .map_err(|_| ReadError::Closed)?;
        let mut crlf = [0u8; 2];
        stream
            .read_exact(&mut crlf)
            .await
            .map_err(|_| ReadError::Closed)?;
    }
}

/// A response to write.
#[derive(Debug, Clone)]
pub(crate) struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        HttpResponse {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }
}

/// Writes `response`; with `cut_at`, announces the full length but sends only that many body bytes
/// (the caller then closes the connection).
pub(crate) async fn write_response(
    stream: &mut TcpStream,
    response: &HttpResponse,
    keep_alive: bool,
    cut_at: Option<usize>,
) -> std::io::Result<()> {
    let reason = http::StatusCode::from_u16(response.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Status");
    let mut head = format!(
        "HTTP/1.1 {} {reason}\r\ncontent-length: {}\r\n",
        response.status,
        response.body.len()
    );
    for (k, v) in &response.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(if keep_alive && cut_at.is_none() {
        "connection: keep-alive\r\n\r\n"
    } else {
        "connection: close\r\n\r\n"
    });
    stream.write_all(head.as_bytes()).await?;
    let body = match cut_at {
        Some(n) => &response.body[..n.min(response.body.len())],
        None => &response.body[..],
    };
    stream.write_all(body).await?;
    stream.flush().await
}
