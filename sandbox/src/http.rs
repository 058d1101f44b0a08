//! A request and its answer as the handler sees them ([`HttpRequest`], [`HttpResponse`]), why a
//! body went unread ([`Unread`]), and how an answer is to be delivered ([`Delivery`]): whole, cut or
//! dropped. The server that reads and writes them on hyper is [`serve`](super::serve).

/// Largest request body read; a larger one is answered 413.
pub(crate) const MAX_BODY: usize = 1024 * 1024;

/// A request as the handler sees it.
#[derive(Debug, Clone)]
pub(crate) struct HttpRequest {
    pub method: String,
    pub target: String,
    /// Lower-case names, in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
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

/// Why a request's body was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unread {
    /// Larger than [`MAX_BODY`]: answered 413.
    TooLarge,
    /// Not complete within the read timeout: answered 408, and the connection closes.
    TooSlow,
}

/// How the handler wants the answer delivered.
#[derive(Debug)]
pub(crate) enum Delivery {
    /// Answer normally.
    Whole(HttpResponse),
    /// Announce the whole length, send half of the body, then break the connection.
    Cut(HttpResponse),
    /// Close the connection without answering.
    Drop,
}
