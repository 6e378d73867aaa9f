//! The CSV of Zoho's current SDKs (`sdk_tokens.txt`, php-sdk 5.0 ... 8.0, and the Python and
//! Java SDKs): a header, then one row per token, 10 columns by position:
//!
//! `id,user_name,client_id,client_secret,refresh_token,access_token,grant_token,expiry_time,redirect_url,api_domain`
//!
//! The PHP SDK writes rows with `implode(",")` (no quoting), joins lines with `PHP_EOL`
//! without a trailing newline, and reads with `str_getcsv`; Python writes the same layout
//! with minimal quoting (and names column 9 `redirect_uri`). A 9-column file
//! (php-sdk 2.x: `user_mail` and no `api_domain`) is read as such and written back in
//! 10 columns, as the SDK's `FileStore` constructor converts it. A file whose first line is
//! one of the SDK's rows, not its header (the SDK's `FileStore` writes one when it read the
//! file empty while another SDK process rewrote it), is read as rows, and written back with
//! the header; so is a last row with the header glued to it (the `FileStore` constructor
//! appends the header to a file it found empty, after another process filled it).
//!
//! Quoting: we read quoted fields as `str_getcsv` does (`"a,b"`, `""` for a quote). Values we
//! are asked to store may not contain a comma, a double quote or a line break: the SDK would
//! write them back unquoted and shift the row's columns, so such a save is refused
//! ([`check_value`]). Values already in the file are kept, quoted when they need it.

use crate::secret::Secret;

/// The 10 column names the PHP and Java SDKs write, in order.
pub const HEADER: [&str; 10] = [
    "id",
    "user_name",
    "client_id",
    "client_secret",
    "refresh_token",
    "access_token",
    "grant_token",
    "expiry_time",
    "redirect_url",
    "api_domain",
];

/// One row of the SDK's CSV. Empty fields are empty strings, as the SDK writes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SdkRow {
    /// `id`: an integer string from "1" (max + 1) in the SDK's files; any text is kept.
    pub id: String,
    /// `user_name` (`user_mail` in 9-column files): the user's e-mail, or empty.
    pub user_name: String,
    /// `client_id`.
    pub client_id: String,
    /// `client_secret`.
    pub client_secret: Secret,
    /// `refresh_token`.
    pub refresh_token: Secret,
    /// `access_token`.
    pub access_token: Secret,
    /// `grant_token`.
    pub grant_token: Secret,
    /// `expiry_time`: epoch milliseconds as text, or empty.
    pub expiry_time: String,
    /// `redirect_url`.
    pub redirect_url: String,
    /// `api_domain`, e.g. `https://www.zohoapis.com`, or empty.
    pub api_domain: String,
}

impl Default for SdkRow {
    fn default() -> Self {
        let empty = || Secret::new("");
        SdkRow {
            id: String::new(),
            user_name: String::new(),
            client_id: String::new(),
            client_secret: empty(),
            refresh_token: empty(),
            access_token: empty(),
            grant_token: empty(),
            expiry_time: String::new(),
            redirect_url: String::new(),
            api_domain: String::new(),
        }
    }
}

/// A decoded file: its rows, and whether it was a 9-column (php-sdk 2.x) file.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Decoded {
    /// The rows, in file order.
    pub rows: Vec<SdkRow>,
    /// True when the header had 9 columns (written back with 10).
    pub legacy: bool,
}

/// Parses a whole file. An empty (or whitespace-only) file has no rows. Errors name the line
/// and the problem, never a value.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (byte {} is not valid)",
            e.valid_up_to().saturating_add(1)
        )
    })?;
    let mut lines = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, first)) = lines.next() else {
        return Ok(Decoded::default());
    };
    let mut first = split_line(first).map_err(|why| format!("line 1: {why}"))?;
    unglue_header(&mut first);
    let columns = first.len();
    let mut rows = Vec::new();
    if sdk_row_without_header(&first) {
        rows.push(row_from(first));
    } else if !(columns == 9 || columns == 10) || first[0].trim() != "id" {
        return Err(format!(
            "line 1 is not the SDK's header (id,user_name,...; {columns} columns)"
        ));
    }
    for (index, line) in lines {
        rows.push(parse_row(line, index + 1, columns)?);
    }
    Ok(Decoded {
        rows,
        legacy: columns == 9,
    })
}

/// One data line (line `number`) of a file with `columns` columns.
fn parse_row(line: &str, number: usize, columns: usize) -> Result<SdkRow, String> {
    let mut fields = split_line(line).map_err(|why| format!("line {number}: {why}"))?;
    if fields.len() != columns && !unglue_header(&mut fields) {
        return Err(format!(
            "line {number} has {} fields, the header {columns} (a value with a comma written without quotes?)",
            fields.len()
        ));
    }
    fields.resize(10, String::new());
    let expiry = fields[7].trim();
    if !expiry.is_empty() && expiry.parse::<i64>().is_err() {
        return Err(format!(
            "line {number}: expiry_time is not epoch milliseconds"
        ));
    }
    Ok(row_from(fields))
}

/// The SDK's `FileStore` constructor appends its header (mode "a", no line break) to a file it
/// found empty; when another SDK process wrote the file in between, the header lands on the
/// last row's line: the row's 10 fields, the last one ending in `id`, then the header's other
/// 9. Such a line is cut back to its row (true); any other line is left as it is (false).
fn unglue_header(fields: &mut Vec<String>) -> bool {
    let n = HEADER.len();
    let glued = fields.len() == 2 * n - 1
        && fields[n..].iter().zip(&HEADER[1..]).all(|(f, h)| f == h)
        && fields[n - 1].ends_with("id");
    if glued {
        fields.truncate(n);
        let last = &mut fields[n - 1];
        last.truncate(last.len() - "id".len());
    }
    glued
}

/// Whether a file's first line is one of the SDK's rows where its header should be: 10
/// fields, an id of digits and a valid expiry. The SDK's `FileStore` writes such a file when
/// its `saveToken()` read the file empty while another SDK process was rewriting it (it keeps
/// line 0 as the header, and an empty read has none); the SDK then takes that row for the
/// header. The rows are read, and the next save writes the header back.
fn sdk_row_without_header(fields: &[String]) -> bool {
    let id = fields.first().map_or("", |f| f.trim());
    let expiry = fields.get(7).map_or("", |f| f.trim());
    fields.len() == HEADER.len()
        && !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_digit())
        && (expiry.is_empty() || expiry.parse::<i64>().is_ok())
}

fn row_from(fields: Vec<String>) -> SdkRow {
    let mut f = fields.into_iter();
    let mut next = || f.next().unwrap_or_default();
    SdkRow {
        id: next(),
        user_name: next(),
        client_id: next(),
        client_secret: Secret::new(next()),
        refresh_token: Secret::new(next()),
        access_token: Secret::new(next()),
        grant_token: Secret::new(next()),
        expiry_time: next(),
        redirect_url: next(),
        api_domain: next(),
    }
}

/// Writes the 10-column header and the rows, lines joined with `\n` and no trailing newline
/// (as the PHP SDK writes on Linux).
pub fn encode(rows: &[SdkRow]) -> Vec<u8> {
    let mut lines = vec![HEADER.join(",")];
    for row in rows {
        let fields = [
            row.id.as_str(),
            &row.user_name,
            &row.client_id,
            row.client_secret.expose(),
            row.refresh_token.expose(),
            row.access_token.expose(),
            row.grant_token.expose(),
            &row.expiry_time,
            &row.redirect_url,
            &row.api_domain,
        ];
        let quoted: Vec<String> = fields.iter().map(|f| quote(f)).collect();
        lines.push(quoted.join(","));
    }
    lines.join("\n").into_bytes()
}

/// Refuses a value we are asked to store that the SDK could not write back intact.
pub fn check_value(column: &str, value: &str) -> Result<(), String> {
    if value.contains([',', '"', '\r', '\n']) {
        return Err(format!(
            "{column} contains a comma, a double quote or a line break, which Zoho's SDK would write back unquoted into sdk_tokens.txt"
        ));
    }
    Ok(())
}

/// A field as `str_getcsv` reads it back: plain, or quoted with `""` for a quote.
fn quote(field: &str) -> String {
    if field.contains([',', '"']) || field.starts_with([' ', '\t']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// Splits one line as `str_getcsv` does for the SDK's files: fields separated by commas; a
/// field that starts with `"` runs to the next lone `"` (`""` is a quote), and text after
/// it up to the comma is kept.
fn split_line(line: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(c) => field.push(c),
                    None => return Err("a quoted field is not closed".to_string()),
                }
            }
        }
        while let Some(&c) = chars.peek() {
            if c == ',' {
                break;
            }
            field.push(c);
            chars.next();
        }
        fields.push(field);
        if chars.next().is_none() {
            return Ok(fields);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SDK_FILE: &str = "id,user_name,client_id,client_secret,refresh_token,access_token,grant_token,expiry_time,redirect_url,api_domain\n\
        1,ada@example.com,1000.C,sec,1000.r.r,1000.a.a,,1795316346330,https://example.com/cb,https://www.zohoapis.com\n\
        2,,1000.C,sec,1000.r2.r2,,,,,";

    #[test]
    fn reads_the_sdks_file_and_writes_it_back_byte_for_byte() {
        let decoded = decode(SDK_FILE.as_bytes()).expect("decoded");
        assert!(!decoded.legacy);
        assert_eq!(decoded.rows.len(), 2);
        let ada = &decoded.rows[0];
        assert_eq!(ada.user_name, "ada@example.com");
        assert_eq!(ada.refresh_token.expose(), "1000.r.r");
        assert_eq!(ada.expiry_time, "1795316346330");
        assert_eq!(ada.api_domain, "https://www.zohoapis.com");
        assert_eq!(decoded.rows[1].user_name, "");
        assert_eq!(encode(&decoded.rows), SDK_FILE.as_bytes());
    }

    #[test]
    fn converts_a_legacy_9_column_file() {
        let legacy = "id,user_mail,client_id,client_secret,refresh_token,access_token,grant_token,expiry_time,redirect_url\r\n\
            1,ada@example.com,1000.C,sec,1000.r.r,1000.a.a,,1795316346330,https://example.com/cb\r\n";
        let decoded = decode(legacy.as_bytes()).expect("decoded");
        assert!(decoded.legacy);
        assert_eq!(decoded.rows[0].redirect_url, "https://example.com/cb");
        assert_eq!(decoded.rows[0].api_domain, "");
        let written = String::from_utf8(encode(&decoded.rows)).expect("utf-8");
        assert!(written.starts_with(&HEADER.join(",")));
        assert!(written.ends_with("https://example.com/cb,"));
    }

    #[test]
    fn quoted_fields_round_trip_as_str_getcsv_reads_them() {
        let row = SdkRow {
            id: "1".into(),
            user_name: "Doe, \"Ada\"".into(),
            access_token: Secret::new("a"),
            ..SdkRow::default()
        };
        let bytes = encode(std::slice::from_ref(&row));
        let text = String::from_utf8(bytes.clone()).expect("utf-8");
        assert!(text.contains(",\"Doe, \"\"Ada\"\"\","), "{text}");
        assert_eq!(decode(&bytes).expect("decoded").rows, vec![row]);
        assert!(check_value("user_name", "Doe, Ada").is_err());
        assert!(check_value("user_name", "say \"hi\"").is_err());
        assert!(check_value("user_name", "a\nb").is_err());
        assert!(check_value("user_name", "ada@example.com").is_ok());
    }

    #[test]
    fn reads_a_file_the_sdk_left_without_its_header() {
        let headerless = SDK_FILE.split_once('\n').expect("two lines").1;
        let decoded = decode(headerless.as_bytes()).expect("decoded");
        assert_eq!(
            decoded.rows,
            decode(SDK_FILE.as_bytes()).expect("decoded").rows
        );
        assert!(!decoded.legacy);
        assert_eq!(
            encode(&decoded.rows),
            SDK_FILE.as_bytes(),
            "the header is written back"
        );
        let one = "7,,1000.C,sec,1000.r.r,,,,,";
        assert_eq!(decode(one.as_bytes()).expect("one row").rows[0].id, "7");
        for not_a_row in [
            "x7,,1000.C,sec,1000.r.r,,,,,",
            "7,,1000.C,sec,1000.r.r,,,soon,,",
            "7,,1000.C,sec,1000.r.r,,,,",
        ] {
            assert!(decode(not_a_row.as_bytes()).is_err(), "{not_a_row}");
        }
    }

    #[test]
    fn reads_a_row_the_sdk_glued_its_header_to() {
        let glued = format!("{SDK_FILE}{}", HEADER.join(","));
        let decoded = decode(glued.as_bytes()).expect("decoded");
        assert_eq!(
            decoded.rows,
            decode(SDK_FILE.as_bytes()).expect("decoded").rows
        );
        assert_eq!(
            encode(&decoded.rows),
            SDK_FILE.as_bytes(),
            "written back whole"
        );
        let with_domain = format!(
            "{}\n1,a,c,s,r,,,,,https://www.zohoapis.comid,{}",
            HEADER.join(","),
            HEADER[1..].join(",")
        );
        assert_eq!(
            decode(with_domain.as_bytes()).expect("decoded").rows[0].api_domain,
            "https://www.zohoapis.com"
        );
        let on_the_header = format!("{}{}", HEADER.join(","), HEADER.join(","));
        assert_eq!(
            decode(on_the_header.as_bytes()).expect("header only").rows,
            vec![]
        );
        let on_a_lone_row = format!("7,,c,s,r,,,,,{}", HEADER.join(","));
        assert_eq!(
            decode(on_a_lone_row.as_bytes()).expect("one row").rows[0].id,
            "7"
        );
        let not_glued = format!(
            "{}\n1,a,c,s,r,,,,,x,{}",
            HEADER.join(","),
            HEADER[1..].join(",")
        );
        assert!(decode(not_glued.as_bytes()).is_err());
    }

    #[test]
    fn corrupt_files_name_the_line_not_the_value() {
        let shifted = format!(
            "{}\n1,Doe, Ada,1000.C,SECRETVALUE,r,a,,1,,",
            HEADER.join(",")
        );
        let why = decode(shifted.as_bytes()).expect_err("refused");
        assert!(why.contains("line 2") && why.contains("11 fields"), "{why}");
        assert!(!why.contains("SECRETVALUE"));
        let bad_expiry = format!("{}\n1,ada,c,s,r,a,,soon,,", HEADER.join(","));
        assert!(
            decode(bad_expiry.as_bytes())
                .expect_err("refused")
                .contains("expiry_time")
        );
        assert!(decode(b"user,token\nada,1").is_err());
        assert!(decode(format!("{}\n1,\"open", HEADER.join(",")).as_bytes()).is_err());
        assert!(decode(b"\xff\xfe").is_err());
        assert_eq!(decode(b"").expect("empty").rows, vec![]);
        assert_eq!(
            decode(HEADER.join(",").as_bytes())
                .expect("header only")
                .rows,
            vec![]
        );
    }
}
