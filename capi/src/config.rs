//! Configuration from C: key/value arrays, or a JSON object, both read as the SDK's keys.

use std::ffi::c_char;

use super::strings::{arg_str, null_argument};
use zoho_oauth::{Error, ErrorKind, Result};

/// Reads `n` key/value pairs from two parallel arrays of strings.
///
/// # Safety
///
/// When `n > 0`, `keys` and `values` must each point to `n` pointers, each NULL or a
/// NUL-terminated string.
pub unsafe fn read_pairs(
    keys: *const *const c_char,
    values: *const *const c_char,
    n: usize,
) -> Result<Vec<(String, String)>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    if keys.is_null() {
        return Err(null_argument("keys"));
    }
    if values.is_null() {
        return Err(null_argument("values"));
    }
    (0..n)
        .map(|i| {
            // SAFETY: the caller guarantees `n` readable pointers in each array.
            let (key, value) = unsafe { (*keys.add(i), *values.add(i)) };
            // SAFETY: each entry is NULL or a NUL-terminated string (checked for NULL).
            let key = unsafe { arg_str(key, &format!("keys[{i}]"))? };
            // SAFETY: as above.
            let value = unsafe { arg_str(value, &format!("values[{i}]"))? };
            Ok((key.to_string(), value.to_string()))
        })
        .collect()
}

/// Reads a JSON object of configuration keys. Values may be strings, numbers or booleans
/// (given to the SDK parser as text); `null` leaves a key out. The message of a syntax error
/// gives only its position, never the text around it (which may hold the client secret).
pub fn pairs_from_json(text: &str) -> Result<Vec<(String, String)>> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        config_invalid(format!(
            "the configuration is not valid JSON (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    let serde_json::Value::Object(map) = value else {
        return Err(config_invalid(
            "the configuration JSON must be an object of keys and values".to_string(),
        ));
    };
    let mut pairs = Vec::with_capacity(map.len());
    for (key, value) in map {
        let text = match value {
            serde_json::Value::Null => continue,
            serde_json::Value::String(s) => s,
            serde_json::Value::Bool(b) => b.to_string(),
            serde_json::Value::Number(n) => n.to_string(),
            _ => {
                return Err(config_invalid(format!(
                    "configuration key '{}' must be a string, number or boolean",
                    key.escape_debug()
                )));
            }
        };
        pairs.push((key, text));
    }
    Ok(pairs)
}

fn config_invalid(message: String) -> Error {
    Error::new(ErrorKind::ConfigInvalid, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_values_become_text_and_null_is_skipped() {
        let mut pairs = pairs_from_json(
            r#"{"sandbox":true,"client_id":"1000.X","refresh_margin_secs":60,"x":null}"#,
        )
        .expect("valid");
        pairs.sort();
        assert_eq!(
            pairs,
            vec![
                ("client_id".to_string(), "1000.X".to_string()),
                ("refresh_margin_secs".to_string(), "60".to_string()),
                ("sandbox".to_string(), "true".to_string()),
            ]
        );
    }

    #[test]
    fn bad_json_never_echoes_the_input() {
        for bad in [
            r#"{"client_secret":"s3cr3t-value""#,
            r#"{"client_secret":s3cr3t}"#,
            "[1]",
            r#"{"client_secret":["s3cr3t"]}"#,
            "",
        ] {
            let e = pairs_from_json(bad).expect_err(bad);
            assert_eq!(e.kind(), ErrorKind::ConfigInvalid, "{bad}");
            assert!(!e.to_string().contains("s3cr3t"), "{e}");
        }
    }
}
