//! HTTP/1.1 message types and response writing.

use std::io::{self, Write};

/// Largest request body accepted (1 MiB); larger ones get HTTP 413.
pub const MAX_BODY: usize = 1 << 20;
/// Largest request head (request line and headers) accepted.
pub const MAX_HEAD: usize = 64 * 1024;

/// A parsed request.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// HTTP method, e.g. `POST`.
    pub method: String,
    /// Path without the query string.
    pub path: String,
    /// Raw query string without the `?`; `None` when the target had no `?`.
    pub query: Option<String>,
    /// Headers in the order received.
    pub headers: Vec<(String, String)>,
    /// The (de-chunked) body.
    pub body: Vec<u8>,
    /// Whether the client wants the connection kept open.
    pub keep_alive: bool,
}

impl Request {
    /// First header named `name` (case-insensitive), trimmed.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    }
}

/// A response to write.
#[derive(Clone, Debug)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Extra headers (Content-Length, Server and Connection are added when writing).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// Close the connection after this response.
    pub close: bool,
}

/// Zoho's JSON content type.
pub const JSON: &str = "application/json;charset=UTF-8";

impl Response {
    /// A response with a body of the given content type.
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".to_string(), content_type.to_string())],
            body: body.into(),
            close: false,
        }
    }

    /// A JSON response from a `serde_json::Value`.
    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        Response::new(status, JSON, value.to_string())
    }

    /// A JSON response from any serialisable value.
    pub fn json_of<T: serde::Serialize>(status: u16, value: &T) -> Response {
        match serde_json::to_string(value) {
            Ok(s) => Response::new(status, JSON, s),
            Err(e) => Response::json(500, &serde_json::json!({"error": e.to_string()})),
        }
    }

    /// An HTML page.
    pub fn html(status: u16, title: &str, text: &str) -> Response {
        let page = format!(
            "<!DOCTYPE html><html><head><title>{title}</title></head>\
             <body><h1>{title}</h1><p>{text}</p></body></html>"
        );
        Response::new(status, "text/html;charset=UTF-8", page)
    }

    /// A 302 redirect.
    pub fn redirect(location: &str) -> Response {
        let mut r = Response::new(302, "text/html;charset=UTF-8", Vec::new());
        r.headers
            .push(("Location".to_string(), location.to_string()));
        r
    }

    /// Marks the response as closing the connection.
    pub fn closing(mut self) -> Response {
        self.close = true;
        self
    }

    /// Serialises the response onto `w`; `head_only` (for HEAD requests) omits the body.
    pub fn write_to(&self, w: &mut impl Write, close: bool, head_only: bool) -> io::Result<()> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (k, v) in &self.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("Server: ZGS\r\n");
        head.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        let conn = if close { "close" } else { "keep-alive" };
        head.push_str(&format!("Connection: {conn}\r\n\r\n"));
        let mut out = head.into_bytes();
        if !head_only {
            out.extend_from_slice(&self.body);
        }
        w.write_all(&out)?;
        w.flush()
    }
}

/// The reason phrase of a status code.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        100 => "Continue",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}
