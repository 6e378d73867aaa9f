//! Request parameters: query string, urlencoded / non-encoded / multipart bodies, Basic auth.

use crate::http::Request;
use crate::ids::base64_decode;

/// Parameters of one request; body values win over query values.
#[derive(Clone, Debug, Default)]
pub struct Params {
    query: Vec<(String, String)>,
    body: Vec<(String, String)>,
}

impl Params {
    /// Collects the parameters of `req` from its query string and body.
    pub fn of(req: &Request) -> Params {
        Params {
            query: parse_form(req.query.as_deref().unwrap_or("").as_bytes()),
            body: body_params(req),
        }
    }

    /// The value of `name`, body first; empty values count as absent.
    pub fn get(&self, name: &str) -> Option<&str> {
        find(&self.body, name).or_else(|| find(&self.query, name))
    }
}

/// The last non-empty value of `name` in `list`.
fn find<'a>(list: &'a [(String, String)], name: &str) -> Option<&'a str> {
    list.iter()
        .rev()
        .find(|(k, v)| k == name && !v.is_empty())
        .map(|(_, v)| v.as_str())
}

/// Parses `k=v&k=v`, percent-decoding and turning `+` into a space. Raw (non-encoded)
/// values such as `https://example.com/cb` pass through unchanged.
pub fn parse_form(bytes: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(bytes)
        .map(|(k, v)| (k.trim().to_string(), v.into_owned()))
        .filter(|(k, _)| !k.is_empty())
        .collect()
}

fn body_params(req: &Request) -> Vec<(String, String)> {
    let ctype = req.header("Content-Type").unwrap_or("");
    if ctype
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
    {
        return match boundary(ctype) {
            Some(b) => parse_multipart(&req.body, &b),
            None => Vec::new(),
        };
    }
    // Any other body (form, missing content type, the old Python SDK's `null`) is read as a form.
    parse_form(&req.body)
}

fn boundary(ctype: &str) -> Option<String> {
    ctype.split(';').find_map(|part| {
        let (k, v) = part.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

/// Parses a `multipart/form-data` body into name/value pairs (files are read as text).
pub fn parse_multipart(body: &[u8], boundary: &str) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(body);
    let delim = format!("--{boundary}");
    text.split(delim.as_str())
        .skip(1)
        .filter(|part| !part.starts_with("--"))
        .filter_map(parse_part)
        .collect()
}

fn parse_part(part: &str) -> Option<(String, String)> {
    let part = part.strip_prefix("\r\n").unwrap_or(part);
    let (head, value) = part
        .split_once("\r\n\r\n")
        .or_else(|| part.split_once("\n\n"))?;
    let value = value
        .strip_suffix("\r\n")
        .or_else(|| value.strip_suffix('\n'))
        .unwrap_or(value);
    let name = head
        .lines()
        .filter(|l| l.to_ascii_lowercase().starts_with("content-disposition"))
        .find_map(disposition_name)?;
    Some((name, value.to_string()))
}

fn disposition_name(line: &str) -> Option<String> {
    line.split(';').find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        (k.trim() == "name").then(|| v.trim().trim_matches('"').to_string())
    })
}

/// Client credentials from `Authorization: Basic base64(id:secret)`.
pub fn basic_auth(req: &Request) -> Option<(String, String)> {
    let value = req.header("Authorization")?;
    let (scheme, rest) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(base64_decode(rest.trim())?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

/// The token of `Authorization: Zoho-oauthtoken X` or `Authorization: Bearer X`.
pub fn bearer_token(req: &Request) -> Option<String> {
    let value = req.header("Authorization")?;
    let (scheme, rest) = value.split_once(char::is_whitespace)?;
    let ok =
        scheme.eq_ignore_ascii_case("zoho-oauthtoken") || scheme.eq_ignore_ascii_case("bearer");
    let token = rest.trim();
    (ok && !token.is_empty()).then(|| token.to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn raw_sdk_body() {
        let p = parse_form(b"client_secret=s3cr3t&redirect_uri=https://example.com/cb&x=a+b");
        assert_eq!(p[1].1, "https://example.com/cb");
        assert_eq!(p[2].1, "a b");
    }

    #[test]
    fn multipart() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nrefresh_token\r\n--XyZ\r\nContent-Disposition: form-data; name=\"client_id\"\r\n\r\nabc\r\n--XyZ--\r\n";
        let p = parse_multipart(body.as_bytes(), "XyZ");
        assert_eq!(
            p,
            vec![
                ("grant_type".into(), "refresh_token".into()),
                ("client_id".into(), "abc".into())
            ]
        );
        assert_eq!(
            boundary("multipart/form-data; boundary=\"XyZ\"").unwrap(),
            "XyZ"
        );
    }

    #[test]
    fn body_wins() {
        let req = Request {
            query: Some("a=1&b=2".into()),
            body: b"a=3".to_vec(),
            ..Request::default()
        };
        let p = Params::of(&req);
        assert_eq!(p.get("a"), Some("3"));
        assert_eq!(p.get("b"), Some("2"));
        assert_eq!(p.get("c"), None);
    }
}
