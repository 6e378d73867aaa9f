//! A one-shot HTTP listener on the loopback redirect URI, for Zoho's redirect after consent.

use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use url::{Host, Url};

use crate::exit::{Class, Failure};

/// The largest request head read from the browser.
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// How long a connected browser may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// How often the listeners are polled while waiting.
const POLL: Duration = Duration::from_millis(20);

/// Listening sockets for a loopback redirect URI.
pub struct Loopback {
    listeners: Vec<TcpListener>,
    path: String,
}

/// The browser's request to the redirect path: its query, and the connection to answer on.
pub struct Callback {
    /// The query parameters, decoded, in order.
    pub params: Vec<(String, String)>,
    stream: TcpStream,
}

impl Loopback {
    /// Listens where `redirect_uri` points: `http://127.0.0.1:PORT/path`, `http://[::1]:PORT/...`
    /// or `http://localhost:PORT/...` (both loopback addresses).
    pub fn bind(redirect_uri: &str) -> Result<Loopback, Failure> {
        let not_loopback = || {
            Failure::usage(format!(
                "login needs a loopback redirect URI (http://127.0.0.1:PORT/... or http://localhost:PORT/...), not '{redirect_uri}'"
            ))
            .with_hint("register e.g. http://localhost:8910/callback for your client in the API console and set redirect_uri to it; or use `authorize-url` and `exchange`")
        };
        let url = Url::parse(redirect_uri).map_err(|_| not_loopback())?;
        let port = url.port_or_known_default().ok_or_else(not_loopback)?;
        let addrs: Vec<IpAddr> = match (url.scheme(), url.host()) {
            ("http", Some(Host::Ipv4(ip))) if ip.is_loopback() => vec![IpAddr::V4(ip)],
            ("http", Some(Host::Ipv6(ip))) if ip.is_loopback() => vec![IpAddr::V6(ip)],
            ("http", Some(Host::Domain(d))) if d.eq_ignore_ascii_case("localhost") => vec![
                IpAddr::V4(Ipv4Addr::LOCALHOST),
                IpAddr::V6(Ipv6Addr::LOCALHOST),
            ],
            _ => return Err(not_loopback()),
        };
        let mut listeners = Vec::new();
        for (i, ip) in addrs.iter().enumerate() {
            match TcpListener::bind(SocketAddr::new(*ip, port)) {
                Ok(l) => listeners.push(l),
                // `localhost` also tries ::1, which may not exist; the first address must bind.
                Err(_) if i > 0 => {}
                Err(e) => {
                    return Err(Failure::new(
                        Class::Login,
                        format!("cannot listen on {ip}:{port} for the redirect: {e}"),
                    )
                    .with_hint("another program uses the port; stop it, or register and configure another redirect URI port"));
                }
            }
        }
        for l in &listeners {
            l.set_nonblocking(true).map_err(internal)?;
        }
        Ok(Loopback {
            listeners,
            path: url.path().to_string(),
        })
    }

    /// Waits for a request to the redirect path. Other paths (`/favicon.ico`) get a 404.
    pub fn wait(&self, timeout: Duration) -> Result<Callback, Failure> {
        let deadline = Instant::now() + timeout;
        loop {
            for listener in &self.listeners {
                match listener.accept() {
                    Ok((stream, _)) => {
                        if let Some(callback) = self.serve(stream) {
                            return Ok(callback);
                        }
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                    Err(e) if e.kind() == ErrorKind::Interrupted => {}
                    Err(e) => return Err(internal(e)),
                }
            }
            if Instant::now() >= deadline {
                return Err(Failure::new(
                    Class::Login,
                    format!(
                        "no answer from Zoho within {} s: the sign-in was not completed in the browser",
                        timeout.as_secs()
                    ),
                )
                .with_hint("run login again and finish the sign-in in time (--timeout SECS waits longer)"));
            }
            std::thread::sleep(POLL);
        }
    }

    /// Reads one request; answers anything but a GET of the redirect path itself.
    fn serve(&self, mut stream: TcpStream) -> Option<Callback> {
        let head = read_head(&mut stream)?;
        let target = head
            .strip_prefix("GET ")
            .and_then(|rest| rest.split(' ').next());
        let Some(target) = target else {
            respond(&mut stream, "400 Bad Request", "Bad request", "");
            return None;
        };
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        if path != self.path {
            respond(&mut stream, "404 Not Found", "Not found", "");
            return None;
        }
        let params = zoho_oauth::redirect::parse_query(query);
        Some(Callback { params, stream })
    }
}

impl Callback {
    /// Answers the browser with a small page and closes the connection.
    pub fn finish(mut self, ok: bool, message: &str) {
        let (status, title) = if ok {
            ("200 OK", "Signed in")
        } else {
            ("400 Bad Request", "Sign-in failed")
        };
        respond(&mut self.stream, status, title, message);
    }
}

/// Reads the request line and headers; `None` if the client sent nothing usable in time.
fn read_head(stream: &mut TcpStream) -> Option<String> {
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(READ_TIMEOUT)).ok()?;
    let mut head = Vec::new();
    let mut chunk = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < MAX_HEAD_BYTES {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
        }
    }
    let text = String::from_utf8_lossy(&head);
    text.lines().next().map(str::to_string)
}

fn respond(stream: &mut TcpStream, status: &str, title: &str, message: &str) {
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><h1>{title}</h1><p>{}</p><p>You can close this tab and return to the terminal.</p></body></html>\n",
        escape_html(message)
    );
    let reply = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(reply.as_bytes());
    let _ = stream.flush();
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn internal(e: std::io::Error) -> Failure {
    Failure::new(
        Class::Internal,
        format!("the redirect listener failed: {e}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_http_redirects_are_accepted() {
        for bad in [
            "https://example.com/cb",
            "http://example.com:8910/cb",
            "https://127.0.0.1:8910/cb",
            "http://10.0.0.1:8910/cb",
            "not a url",
        ] {
            let f = Loopback::bind(bad).err().map(|f| f.class);
            assert_eq!(f, Some(Class::Usage), "{bad}");
        }
        assert!(Loopback::bind("http://127.0.0.1:0/cb").is_ok());
    }

    #[test]
    fn escapes_html() {
        assert_eq!(escape_html("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
    }
}
