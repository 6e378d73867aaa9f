//! Token-shaped random values and small encoders.

/// Lowercase hex of `n` random bytes.
fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    if getrandom::fill(&mut bytes).is_err() {
        // Fall back to a time-and-counter mix; uniqueness matters here, not secrecy.
        fallback_fill(&mut bytes);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn fallback_fill(bytes: &mut [u8]) {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0x9e37_79b9_7f4a_7c15);
    for chunk in bytes.chunks_mut(8) {
        let mut x = COUNTER.fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::SeqCst)
            ^ crate::clock::real_now_ms().unsigned_abs();
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 33;
        for (dst, src) in chunk.iter_mut().zip(x.to_le_bytes()) {
            *dst = src;
        }
    }
}

/// A value shaped like Zoho's tokens and grant codes: `1000.<32 hex>.<32 hex>`.
pub fn zoho_token() -> String {
    format!("1000.{}.{}", random_hex(16), random_hex(16))
}

/// Percent-encodes `s` for a URL query value (`application/x-www-form-urlencoded` style).
pub fn url_encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Decodes standard base64 (padding optional); `None` if malformed.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for c in s.trim().trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn token_shape() {
        let t = zoho_token();
        assert_eq!(t.len(), 70);
        assert!(t.starts_with("1000."));
        assert_ne!(t, zoho_token());
    }

    #[test]
    fn base64() {
        assert_eq!(base64_decode("YTpi").unwrap(), b"a:b");
        assert_eq!(base64_decode("YWJjZA==").unwrap(), b"abcd");
        assert!(base64_decode("!!").is_none());
    }
}
