//! Reading HTTP/1.1 requests from a connection: head parsing, Content-Length and chunked bodies.

use std::io::{self, Read};

use serde_json::json;

use crate::http::{MAX_BODY, MAX_HEAD, Request, Response};

/// Why no request could be read.
#[derive(Debug)]
pub enum ReadError {
    /// The peer closed the connection, it timed out, or the socket failed.
    Closed,
    /// The request was malformed or too large: answer this, then close.
    Bad(Response),
}

impl From<io::Error> for ReadError {
    fn from(_: io::Error) -> Self {
        ReadError::Closed
    }
}

fn bad(status: u16, message: &str) -> ReadError {
    ReadError::Bad(Response::json(status, &json!({"error": message})).closing())
}

/// A buffered reader of requests from one connection.
pub struct Conn<R: Read> {
    stream: R,
    buf: Vec<u8>,
}

impl<R: Read> Conn<R> {
    /// Wraps a stream.
    pub fn new(stream: R) -> Self {
        Conn {
            stream,
            buf: Vec::new(),
        }
    }

    /// Reads more bytes into the buffer; `Closed` at end of stream.
    fn fill(&mut self) -> Result<(), ReadError> {
        let mut chunk = [0u8; 16 * 1024];
        let n = self.stream.read(&mut chunk)?;
        if n == 0 {
            return Err(ReadError::Closed);
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }

    /// Reads the next request. `send_continue` is called before reading the body of a
    /// request that says `Expect: 100-continue` (curl does for larger bodies).
    pub fn read_request(
        &mut self,
        send_continue: impl FnOnce() -> io::Result<()>,
    ) -> Result<Request, ReadError> {
        let mut req = self.read_head()?;
        let expects = req
            .header("Expect")
            .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"));
        let small = req
            .header("Content-Length")
            .and_then(|v| v.parse::<usize>().ok())
            .is_none_or(|n| n <= MAX_BODY);
        if expects && small && self.buf.is_empty() {
            send_continue()?;
        }
        req.body = self.read_body(&req)?;
        Ok(req)
    }

    fn read_head(&mut self) -> Result<Request, ReadError> {
        loop {
            // Tolerate blank lines between pipelined requests.
            while self.buf.starts_with(b"\r\n") {
                self.buf.drain(..2);
            }
            if let Some((req, used)) = parse_head(&self.buf)? {
                self.buf.drain(..used);
                return Ok(req);
            }
            if self.buf.len() > MAX_HEAD {
                return Err(bad(431, "request head too large"));
            }
            self.fill()?;
        }
    }

    fn read_body(&mut self, req: &Request) -> Result<Vec<u8>, ReadError> {
        let chunked = req
            .header("Transfer-Encoding")
            .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
        if chunked {
            return self.read_chunked();
        }
        let len = match req.header("Content-Length") {
            None => 0,
            Some(v) => v
                .parse::<usize>()
                .map_err(|_| bad(400, "invalid Content-Length"))?,
        };
        if len > MAX_BODY {
            return Err(bad(413, "request body too large"));
        }
        self.take_exact(len)
    }

    fn take_exact(&mut self, n: usize) -> Result<Vec<u8>, ReadError> {
        while self.buf.len() < n {
            self.fill()?;
        }
        Ok(self.buf.drain(..n).collect())
    }

    fn take_line(&mut self) -> Result<String, ReadError> {
        loop {
            if let Some(pos) = self.buf.windows(2).position(|w| w == b"\r\n") {
                let line: Vec<u8> = self.buf.drain(..pos + 2).take(pos).collect();
                return Ok(String::from_utf8_lossy(&line).into_owned());
            }
            if self.buf.len() > MAX_HEAD {
                return Err(bad(400, "chunk line too long"));
            }
            self.fill()?;
        }
    }

    fn read_chunked(&mut self) -> Result<Vec<u8>, ReadError> {
        let mut body = Vec::new();
        loop {
            let line = self.take_line()?;
            let size_text = line.split(';').next().unwrap_or("").trim();
            let size =
                usize::from_str_radix(size_text, 16).map_err(|_| bad(400, "invalid chunk size"))?;
            if size == 0 {
                // Trailers, up to the empty line.
                while !self.take_line()?.is_empty() {}
                return Ok(body);
            }
            if body.len().saturating_add(size) > MAX_BODY {
                return Err(bad(413, "request body too large"));
            }
            body.extend(self.take_exact(size)?);
            if !self.take_line()?.is_empty() {
                return Err(bad(400, "malformed chunk"));
            }
        }
    }
}

/// Parses a request head from `buf`: `Ok(None)` if incomplete, else the request
/// (without body) and the number of bytes used.
fn parse_head(buf: &[u8]) -> Result<Option<(Request, usize)>, ReadError> {
    let mut headers = [httparse::EMPTY_HEADER; 100];
    let mut parsed = httparse::Request::new(&mut headers);
    let used = match parsed.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(bad(431, "too many headers")),
        Err(_) => return Err(bad(400, "malformed request")),
    };
    let target = parsed.path.unwrap_or("/");
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q.to_string())),
        None => (target.to_string(), None),
    };
    let headers: Vec<(String, String)> = parsed
        .headers
        .iter()
        .map(|h| {
            let v = String::from_utf8_lossy(h.value).trim().to_string();
            (h.name.to_string(), v)
        })
        .collect();
    let mut req = Request {
        method: parsed.method.unwrap_or("GET").to_string(),
        path,
        query,
        headers,
        body: Vec::new(),
        keep_alive: false,
    };
    req.keep_alive = keep_alive(&req, parsed.version.unwrap_or(1));
    Ok(Some((req, used)))
}

fn keep_alive(req: &Request, version: u8) -> bool {
    let conn = req.header("Connection").map(str::to_ascii_lowercase);
    match conn.as_deref() {
        Some(v) if v.contains("close") => false,
        Some(v) if v.contains("keep-alive") => true,
        _ => version >= 1,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn read(bytes: &[u8]) -> Result<Request, ReadError> {
        Conn::new(bytes).read_request(|| Ok(()))
    }

    #[test]
    fn content_length_body() {
        let r = read(b"POST /a?b=1 HTTP/1.1\r\nContent-Length: 3\r\n\r\nxyz").unwrap();
        assert_eq!(r.path, "/a");
        assert_eq!(r.query.as_deref(), Some("b=1"));
        assert_eq!(r.body, b"xyz");
        assert!(r.keep_alive);
    }

    #[test]
    fn header_without_space() {
        let r = read(b"GET /x? HTTP/1.1\r\nAuthorization:Zoho-oauthtoken abc\r\n\r\n").unwrap();
        assert_eq!(r.header("authorization"), Some("Zoho-oauthtoken abc"));
        assert_eq!(r.query.as_deref(), Some(""));
    }

    #[test]
    fn chunked_body() {
        let raw = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n";
        assert_eq!(read(raw).unwrap().body, b"abcde");
    }

    #[test]
    fn garbage_and_huge() {
        assert!(
            matches!(read(b"\x00\x01 nonsense\r\n\r\n"), Err(ReadError::Bad(r)) if r.status == 400)
        );
        let huge = b"POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n";
        assert!(matches!(read(huge), Err(ReadError::Bad(r)) if r.status == 413));
        assert!(matches!(
            read(b"GET / HTTP/1.1\r\n"),
            Err(ReadError::Closed)
        ));
    }

    #[test]
    fn expect_continue_is_answered_before_the_body() {
        let raw = b"POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n";
        let mut conn = Conn::new(&raw[..]);
        let mut called = false;
        let r = conn.read_request(|| {
            called = true;
            Ok(())
        });
        assert!(called);
        assert!(matches!(r, Err(ReadError::Closed)), "body never came");
    }

    #[test]
    fn http10_closes() {
        assert!(!read(b"GET / HTTP/1.0\r\n\r\n").unwrap().keep_alive);
        assert!(
            !read(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
                .unwrap()
                .keep_alive
        );
    }
}
