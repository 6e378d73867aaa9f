//! Between the SDK's CSV rows and the core's [`Tokens`]: a row is found by its `user_name`
//! (exactly, else case-insensitively for e-mails, as [`find_user`] does) and, for rows the
//! SDK saved without a user (`findUser(false)`), by its `id`.

use super::format::{SdkRow, check_value};
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::store::find_user;
use crate::token::Tokens;

/// The identifier a row is known by: its user name, else its id.
pub fn key(row: &SdkRow) -> &str {
    if row.user_name.is_empty() {
        &row.id
    } else {
        &row.user_name
    }
}

/// The core's view of a row (the SDK's extra columns stay in the file).
pub fn to_tokens(row: &SdkRow) -> Tokens {
    let refresh = (!row.refresh_token.is_empty()).then(|| row.refresh_token.clone());
    let mut tokens = Tokens::new(
        Some(key(row).to_string()).filter(|k| !k.is_empty()),
        row.access_token.clone(),
        refresh,
        row.expiry_time.trim().parse().unwrap_or(0),
    );
    tokens.api_domain = Some(row.api_domain.clone()).filter(|d| !d.is_empty());
    tokens
}

/// The index of the row `user` names: by user name first, then by id.
pub fn find(rows: &[SdkRow], user: &str) -> Option<usize> {
    let as_tokens: Vec<Tokens> = rows
        .iter()
        .map(|r| Tokens::new(Some(r.user_name.clone()), Secret::new(""), None, 0))
        .collect();
    find_user(&as_tokens, user).or_else(|| {
        rows.iter()
            .position(|r| r.user_name.is_empty() && !r.id.is_empty() && r.id == user)
    })
}

/// The next free id: the largest numeric id plus one, as the SDK allocates ("1" first).
pub fn next_id(rows: &[SdkRow]) -> String {
    let max = rows
        .iter()
        .filter_map(|r| r.id.trim().parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    max.saturating_add(1).to_string()
}

/// Refuses tokens the CSV cannot hold: no user, no token, or a value the SDK would write
/// back unquoted. The message names the column, never the value.
pub fn check_storable(tokens: &Tokens) -> Result<()> {
    let user = tokens.user.as_deref().unwrap_or("");
    if user.is_empty() {
        return Err(Error::invalid_argument(
            "tokens saved in sdk_tokens.txt need a user",
        ));
    }
    let refresh = tokens.refresh_token.as_ref().map_or("", Secret::expose);
    if tokens.access_token.is_empty() && refresh.is_empty() {
        return Err(Error::invalid_argument(
            "tokens saved in sdk_tokens.txt need an access or a refresh token",
        ));
    }
    let values = [
        ("user_name", user),
        ("access_token", tokens.access_token.expose()),
        ("refresh_token", refresh),
        ("api_domain", tokens.api_domain.as_deref().unwrap_or("")),
    ];
    for (column, value) in values {
        check_value(column, value).map_err(Error::invalid_argument)?;
    }
    Ok(())
}

/// Writes `tokens` into the row `user` names (keeping its id, client and grant columns), or
/// appends a new row with the next id and the client columns given.
pub fn upsert(rows: &mut Vec<SdkRow>, tokens: &Tokens, new_row: impl FnOnce() -> SdkRow) {
    let user = tokens.user.clone().unwrap_or_default();
    let index = match find(rows, &user) {
        Some(i) => i,
        None => {
            let mut row = new_row();
            row.id = next_id(rows);
            row.user_name = user;
            rows.push(row);
            rows.len() - 1
        }
    };
    let row = &mut rows[index];
    row.access_token = tokens.access_token.clone();
    if let Some(refresh) = &tokens.refresh_token {
        row.refresh_token = refresh.clone();
    }
    row.expiry_time = if tokens.expiry_time_ms > 0 {
        tokens.expiry_time_ms.to_string()
    } else {
        String::new()
    };
    if let Some(domain) = &tokens.api_domain {
        row.api_domain = domain.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, user: &str) -> SdkRow {
        SdkRow {
            id: id.into(),
            user_name: user.into(),
            client_id: "1000.C".into(),
            refresh_token: Secret::new("1000.r"),
            ..SdkRow::default()
        }
    }

    #[test]
    fn rows_are_found_by_user_then_by_id_of_userless_rows() {
        let rows = vec![row("1", "Ada@Example.com"), row("2", ""), row("7", "2")];
        assert_eq!(find(&rows, "ada@example.com"), Some(0));
        assert_eq!(find(&rows, "2"), Some(2), "a user name wins over an id");
        assert_eq!(find(&rows, "1"), None, "row 1 has a user name");
        assert_eq!(next_id(&rows), "8");
        assert_eq!(key(&rows[1]), "2");
    }

    #[test]
    fn upsert_keeps_the_sdks_columns_and_appends_with_the_next_id() {
        let mut rows = vec![row("3", "ada@example.com")];
        let mut t = Tokens::new(
            Some("ada@example.com".into()),
            Secret::new("1000.a"),
            None,
            1_795_316_346_330,
        );
        upsert(&mut rows, &t, SdkRow::default);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].client_id, "1000.C");
        assert_eq!(rows[0].refresh_token.expose(), "1000.r", "kept");
        assert_eq!(rows[0].expiry_time, "1795316346330");
        t.user = Some("bob@example.com".into());
        upsert(&mut rows, &t, SdkRow::default);
        assert_eq!(
            (rows[1].id.as_str(), rows[1].user_name.as_str()),
            ("4", "bob@example.com")
        );
        assert_eq!(to_tokens(&rows[1]), t);
    }

    #[test]
    fn unstorable_tokens_are_refused_without_showing_values() {
        let t = Tokens::new(Some("Doe, Ada".into()), Secret::new("1000.a"), None, 1);
        let e = check_storable(&t).expect_err("refused");
        assert!(e.message().contains("user_name") && !e.message().contains("Doe"));
        assert!(check_storable(&Tokens::new(None, Secret::new("a"), None, 1)).is_err());
        assert!(check_storable(&Tokens::new(Some("u".into()), Secret::new(""), None, 1)).is_err());
    }
}
