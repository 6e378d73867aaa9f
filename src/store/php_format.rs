//! Zoho PHP SDK's token file `zcrm_oauthtokens.txt`: PHP `serialize()` of a list of
//! `zcrmsdk\oauth\utility\ZohoOAuthTokens` objects.
//!
//! Writing produces exactly the bytes PHP's `serialize` would: private properties mangled as
//! `"\0<class>\0<name>"`, byte lengths, `d:` for the expiry, `N;` for absent values, no
//! trailing newline. Reading accepts that, the 1.x class name `ZohoOAuthTokens`, protected
//! and public property names, and `i:`/numeric `s:` expiries. Any other input is an error,
//! never a panic: every length is checked against the bytes that remain before use.

use crate::secret::Secret;
use crate::token::Tokens;

/// The class name the SDK 2.x serializes.
pub const SDK_CLASS: &str = "zcrmsdk\\oauth\\utility\\ZohoOAuthTokens";
/// The class name of SDK 1.x files (no namespace); read, never written.
const SDK1_CLASS: &str = "ZohoOAuthTokens";

/// Why `tokens` cannot be written in this format (`decode` would reject the entry), if so:
/// an entry needs an access or a refresh token. Stores check this before writing, so that a
/// save never leaves a file the next read refuses.
pub fn check_storable(tokens: &Tokens) -> Result<(), String> {
    if tokens.access_token.is_empty() && tokens.refresh_token.is_none() {
        return Err(format!(
            "the tokens of '{}' have neither an access nor a refresh token",
            tokens.user_or_empty()
        ));
    }
    Ok(())
}

/// Serializes tokens as the SDK writes them. Only the SDK's four fields are kept.
pub fn encode(tokens: &[Tokens]) -> Vec<u8> {
    encode_keeping(tokens, &[])
}

/// [`encode`], followed by entries kept verbatim from the file read ([`Decoded::kept`]).
pub fn encode_keeping(tokens: &[Tokens], kept: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + tokens.len() * 360);
    out.extend_from_slice(format!("a:{}:{{", tokens.len() + kept.len()).as_bytes());
    for (index, t) in tokens.iter().enumerate() {
        out.extend_from_slice(
            format!("i:{index};O:{}:\"{SDK_CLASS}\":4:{{", SDK_CLASS.len()).as_bytes(),
        );
        put_property(&mut out, "refreshToken");
        put_optional_string(&mut out, t.refresh_token.as_ref().map(Secret::expose));
        put_property(&mut out, "accessToken");
        put_string(&mut out, t.access_token.expose());
        put_property(&mut out, "expiryTime");
        out.extend_from_slice(format!("d:{};", t.expiry_time_ms).as_bytes());
        put_property(&mut out, "userEmailId");
        put_optional_string(&mut out, t.user.as_deref());
        out.push(b'}');
    }
    for (offset, raw) in kept.iter().enumerate() {
        out.extend_from_slice(format!("i:{};", tokens.len() + offset).as_bytes());
        out.extend_from_slice(raw);
    }
    out.push(b'}');
    out
}

fn put_property(out: &mut Vec<u8>, name: &str) {
    let mangled = format!("\0{SDK_CLASS}\0{name}");
    put_string(out, &mangled);
}

fn put_string(out: &mut Vec<u8>, value: &str) {
    out.extend_from_slice(format!("s:{}:\"", value.len()).as_bytes());
    out.extend_from_slice(value.as_bytes());
    out.extend_from_slice(b"\";");
}

fn put_optional_string(out: &mut Vec<u8>, value: Option<&str>) {
    match value {
        Some(v) => put_string(out, v),
        None => out.extend_from_slice(b"N;"),
    }
}

/// A token file's entries: the tokens, and entries with text that is not UTF-8 (written by
/// Zoho's SDK from, say, a Latin-1 identifier), kept byte for byte so that a rewrite
/// preserves them while every other user works.
#[derive(Debug, Default)]
pub struct Decoded {
    /// The entries that are tokens.
    pub tokens: Vec<Tokens>,
    /// The serialized objects (`O:...{...}`) of entries with non-UTF-8 text, verbatim.
    pub kept: Vec<Vec<u8>>,
}

/// Parses a token file. An empty (or whitespace-only) file is an empty list. An entry with
/// text that is not UTF-8 is an error here; [`decode_keeping`] keeps such entries aside.
/// The error text names the byte offset and what was expected; it never quotes the data.
pub fn decode(bytes: &[u8]) -> Result<Vec<Tokens>, String> {
    let decoded = decode_keeping(bytes)?;
    if !decoded.kept.is_empty() {
        return Err(format!(
            "{} entries hold text that is not UTF-8",
            decoded.kept.len()
        ));
    }
    Ok(decoded.tokens)
}

/// Parses a token file, keeping entries with non-UTF-8 text verbatim in [`Decoded::kept`].
pub fn decode_keeping(bytes: &[u8]) -> Result<Decoded, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Decoded::default());
    }
    let mut reader = Reader {
        bytes,
        pos: 0,
        not_utf8: false,
    };
    let count = reader.header(b'a')?;
    reader.expect(b"{")?;
    let mut decoded = Decoded::default();
    for _ in 0..count {
        reader.array_key()?;
        let start = reader.pos;
        reader.not_utf8 = false;
        let tokens = reader.tokens_object();
        if reader.not_utf8 && reader.pos > start {
            // Parsed structurally (the error, if any, came from lossy text): kept verbatim.
            if tokens.is_err() {
                return Err(format!("the object at byte {start} is not readable"));
            }
            decoded.kept.push(bytes[start..reader.pos].to_vec());
            continue;
        }
        decoded.tokens.push(tokens?);
    }
    reader.expect(b"}")?;
    if reader.pos != bytes.len() && !bytes[reader.pos..].iter().all(u8::is_ascii_whitespace) {
        return Err(format!(
            "unexpected data after the list at byte {}",
            reader.pos
        ));
    }
    Ok(decoded)
}

/// A PHP value of the kinds a token file may hold.
enum Value {
    Null,
    Bool,
    Int(i64),
    Float(f64),
    Str(String),
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Set when a string was not UTF-8 (it was read lossily).
    not_utf8: bool,
}

impl Reader<'_> {
    fn fail<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("expected {what} at byte {}", self.pos))
    }

    fn expect(&mut self, literal: &[u8]) -> Result<(), String> {
        if self.bytes[self.pos..].starts_with(literal) {
            self.pos += literal.len();
            Ok(())
        } else {
            self.fail(&format!("'{}'", String::from_utf8_lossy(literal)))
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Reads up to (not including) `end`, at most 32 bytes: numbers only.
    fn number_text(&mut self, end: u8) -> Result<&str, String> {
        let rest = &self.bytes[self.pos..];
        let len = rest.iter().take(33).position(|&b| b == end);
        let Some(len) = len else {
            return self.fail("a number");
        };
        let text = std::str::from_utf8(&rest[..len])
            .map_err(|_| format!("bad number at byte {}", self.pos))?;
        self.pos += len + 1;
        Ok(text)
    }

    fn unsigned(&mut self, end: u8) -> Result<usize, String> {
        let start = self.pos;
        let text = self.number_text(end)?;
        text.parse::<usize>()
            .map_err(|_| format!("expected a length at byte {start}"))
    }

    /// Reads `<tag>:<n>:` and returns n.
    fn header(&mut self, tag: u8) -> Result<usize, String> {
        self.expect(&[tag, b':'])?;
        self.unsigned(b':')
    }

    fn array_key(&mut self) -> Result<(), String> {
        match self.value()? {
            Value::Int(_) | Value::Str(_) => Ok(()),
            _ => self.fail("an array key"),
        }
    }

    fn raw_string(&mut self) -> Result<String, String> {
        let len = self.header(b's')?;
        self.expect(b"\"")?;
        let remaining = self.bytes.len() - self.pos;
        if len > remaining {
            return Err(format!(
                "string length {len} at byte {} runs past the end",
                self.pos
            ));
        }
        let start = self.pos;
        let raw = &self.bytes[start..start + len];
        let text = match std::str::from_utf8(raw) {
            Ok(text) => text.to_string(),
            Err(_) => {
                self.not_utf8 = true;
                String::from_utf8_lossy(raw).into_owned()
            }
        };
        self.pos += len;
        self.expect(b"\";")?;
        Ok(text)
    }

    fn value(&mut self) -> Result<Value, String> {
        match self.peek() {
            Some(b'N') => {
                self.expect(b"N;")?;
                Ok(Value::Null)
            }
            Some(b'b') => {
                self.expect(b"b:")?;
                self.number_text(b';')?;
                Ok(Value::Bool)
            }
            Some(b'i') => {
                self.expect(b"i:")?;
                let start = self.pos;
                let n = self.number_text(b';')?;
                n.parse()
                    .map(Value::Int)
                    .map_err(|_| format!("bad integer at byte {start}"))
            }
            Some(b'd') => {
                self.expect(b"d:")?;
                let start = self.pos;
                let n = self.number_text(b';')?;
                // `encode` writes whole numbers: read them exactly, beyond 2^53 too.
                if let Ok(whole) = n.parse::<i64>() {
                    return Ok(Value::Int(whole));
                }
                parse_php_float(n)
                    .map(Value::Float)
                    .ok_or_else(|| format!("bad float at byte {start}"))
            }
            Some(b's') => self.raw_string().map(Value::Str),
            _ => self.fail("a value (N, b, i, d or s)"),
        }
    }

    fn tokens_object(&mut self) -> Result<Tokens, String> {
        let start = self.pos;
        let name_len = self.header(b'O')?;
        self.expect(b"\"")?;
        let remaining = self.bytes.len() - self.pos;
        if name_len > remaining {
            return self.fail("a class name");
        }
        let class = &self.bytes[self.pos..self.pos + name_len];
        if class != SDK_CLASS.as_bytes() && class != SDK1_CLASS.as_bytes() {
            return Err(format!("object at byte {start} is not a ZohoOAuthTokens"));
        }
        self.pos += name_len;
        self.expect(b"\":")?;
        let fields = self.unsigned(b':')?;
        self.expect(b"{")?;
        let mut entry = Entry::default();
        for _ in 0..fields {
            let name = self.raw_string()?;
            let value = self.value()?;
            entry.set(property_name(&name), value, start)?;
        }
        self.expect(b"}")?;
        entry.into_tokens(start)
    }
}

/// `"\0Class\0name"` (private), `"\0*\0name"` (protected) or `name` (public) → `name`.
fn property_name(mangled: &str) -> &str {
    match mangled.strip_prefix('\0') {
        Some(rest) => rest.split_once('\0').map_or(rest, |(_, name)| name),
        None => mangled,
    }
}

/// PHP float text: digits, `.`, exponent, or `INF`/`NAN` (rejected).
fn parse_php_float(text: &str) -> Option<f64> {
    let value: f64 = text.parse().ok()?;
    value.is_finite().then_some(value)
}

#[derive(Default)]
struct Entry {
    refresh: Option<String>,
    access: Option<String>,
    expiry: Option<i64>,
    user: Option<String>,
}

impl Entry {
    fn set(&mut self, name: &str, value: Value, at: usize) -> Result<(), String> {
        let bad = || {
            Err(format!(
                "field {name} of the object at byte {at} has the wrong type"
            ))
        };
        match (name, value) {
            ("refreshToken", Value::Str(s)) => self.refresh = Some(s),
            ("accessToken", Value::Str(s)) => self.access = Some(s),
            ("userEmailId", Value::Str(s)) => self.user = Some(s),
            ("refreshToken" | "accessToken" | "userEmailId", Value::Null) => {}
            // Any finite expiry is accepted (saturating): `encode` writes every i64 as `d:`.
            ("expiryTime", Value::Float(f)) => self.expiry = Some(f.round() as i64),
            ("expiryTime", Value::Int(i)) => self.expiry = Some(i),
            ("expiryTime", Value::Str(s)) => match s.trim().parse::<f64>() {
                Ok(f) if f.is_finite() => self.expiry = Some(f.round() as i64),
                _ => return bad(),
            },
            ("expiryTime", Value::Null) => {}
            ("refreshToken" | "accessToken" | "userEmailId" | "expiryTime", _) => return bad(),
            _ => {} // unknown properties are ignored
        }
        Ok(())
    }

    fn into_tokens(self, at: usize) -> Result<Tokens, String> {
        let access = self.access.unwrap_or_default();
        if access.is_empty() && self.refresh.is_none() {
            return Err(format!(
                "the object at byte {at} has neither an access nor a refresh token"
            ));
        }
        Ok(Tokens::new(
            self.user,
            Secret::new(access),
            self.refresh.map(Secret::new),
            self.expiry.unwrap_or(0),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one() -> Tokens {
        Tokens::new(
            Some("User@Example.com".into()),
            Secret::new("1000.acc.ess"),
            Some(Secret::new("1000.ref.resh")),
            1_795_316_346_330,
        )
    }

    /// The bytes quoted in the SDK reference (§6.1), observed from PHP 8.2.
    const SDK_ONE_USER: &[u8] = b"a:1:{i:0;O:37:\"zcrmsdk\\oauth\\utility\\ZohoOAuthTokens\":4:{s:51:\"\0zcrmsdk\\oauth\\utility\\ZohoOAuthTokens\0refreshToken\";s:13:\"1000.ref.resh\";s:50:\"\0zcrmsdk\\oauth\\utility\\ZohoOAuthTokens\0accessToken\";s:12:\"1000.acc.ess\";s:49:\"\0zcrmsdk\\oauth\\utility\\ZohoOAuthTokens\0expiryTime\";d:1795316346330;s:50:\"\0zcrmsdk\\oauth\\utility\\ZohoOAuthTokens\0userEmailId\";s:16:\"User@Example.com\";}}";

    #[test]
    fn encodes_exactly_like_php_serialize() {
        assert_eq!(encode(&[one()]), SDK_ONE_USER);
        assert_eq!(encode(&[]), b"a:0:{}");
    }

    #[test]
    fn decodes_what_it_encodes_and_nulls() {
        assert_eq!(decode(SDK_ONE_USER).ok(), Some(vec![one()]));
        let mut online = one();
        online.refresh_token = None;
        online.user = None;
        let bytes = encode(&[online.clone(), one()]);
        assert_eq!(decode(&bytes).ok(), Some(vec![online, one()]));
        assert_eq!(decode(b"").ok(), Some(vec![]));
        assert_eq!(decode(b"a:0:{}").ok(), Some(vec![]));
    }

    #[test]
    fn accepts_sdk1_class_public_names_and_integer_expiry() {
        let text = "a:1:{i:0;O:15:\"ZohoOAuthTokens\":4:{s:12:\"refreshToken\";s:1:\"r\";s:14:\"\0*\0accessToken\";s:1:\"a\";s:10:\"expiryTime\";i:42;s:11:\"userEmailId\";s:1:\"u\";}}";
        let got = decode(text.as_bytes()).expect("parses");
        assert_eq!(got[0].expiry_time_ms, 42);
        assert_eq!(got[0].user.as_deref(), Some("u"));
        assert_eq!(got[0].access_token.expose(), "a");
        let fractional = String::from_utf8_lossy(SDK_ONE_USER)
            .replace("d:1795316346330;", "d:1.7953163463304E+12;");
        assert_eq!(
            decode(fractional.as_bytes()).expect("parses")[0].expiry_time_ms,
            1_795_316_346_330
        );
    }

    #[test]
    fn rejects_corrupt_input_without_panicking() {
        let cases: Vec<Vec<u8>> = vec![
            b"b:0;".to_vec(),
            b"a:1:{".to_vec(),
            b"a:99999999999999999999:{}".to_vec(),
            b"a:1:{i:0;O:37:\"zcrmsdk\\oauth\\utility\\ZohoOAuthTokens\":4:{s:18446744073709551615:\"x".to_vec(),
            b"a:1:{i:0;O:8:\"stdClass\":0:{}}".to_vec(),
            b"a:1:{i:0;O:37:\"zcrmsdk\\oauth\\utility\\ZohoOAuthTokens\":0:{}}".to_vec(),
            SDK_ONE_USER[..SDK_ONE_USER.len() - 1].to_vec(),
            [SDK_ONE_USER, b"garbage"].concat(),
            String::from_utf8_lossy(SDK_ONE_USER).replace("d:1795316346330", "d:INF").into_bytes(),
            String::from_utf8_lossy(SDK_ONE_USER).replace("s:13:\"1000.ref.resh\"", "i:5").into_bytes(),
        ];
        for case in cases {
            assert!(
                decode(&case).is_err(),
                "{:?}",
                String::from_utf8_lossy(&case)
            );
        }
    }

    /// Regression (fuzz target `token_roundtrip`): expiries beyond 9e15 ms were written as
    /// `d:` but refused on reading, so one such entry made the whole file unreadable; and
    /// beyond 2^53 they came back changed.
    #[test]
    fn every_expiry_that_encodes_decodes() {
        for expiry in [i64::MAX, i64::MIN, 59_954_174_334_457_342, -1, 0] {
            let mut t = one();
            t.expiry_time_ms = expiry;
            let back = decode(&encode(std::slice::from_ref(&t))).expect("decodes");
            assert_eq!(back[0].expiry_time_ms, expiry, "{expiry}");
        }
    }

    /// Regression (fuzz target `token_roundtrip`): an entry with neither token was written,
    /// then refused on reading. Such tokens are now refused before writing.
    #[test]
    fn tokens_without_any_token_are_not_storable() {
        let empty = Tokens::new(Some("u".into()), Secret::new(""), None, 0);
        assert!(check_storable(&empty).is_err());
        assert!(decode(&encode(&[empty])).is_err());
        let refresh_only = Tokens::new(None, Secret::new(""), Some(Secret::new("r")), 0);
        assert!(check_storable(&refresh_only).is_ok());
        assert_eq!(
            decode(&encode(std::slice::from_ref(&refresh_only))).ok(),
            Some(vec![refresh_only])
        );
    }

    #[test]
    fn every_prefix_of_a_valid_file_fails_cleanly() {
        let bytes = encode(&[one(), one()]);
        for end in 1..bytes.len() {
            assert!(decode(&bytes[..end]).is_err(), "prefix {end}");
        }
    }

    #[test]
    fn error_text_never_quotes_the_data() {
        let text = String::from_utf8_lossy(SDK_ONE_USER).replace("d:1795316346330", "d:oops");
        let err = decode(text.as_bytes()).err().unwrap_or_default();
        assert!(!err.contains("1000.ref"), "{err}");
        assert!(err.contains("byte"));
    }
}
