//! The core's typed remedies in PHP's terms: the SDK's method names and php.ini settings.

use zoho_oauth::{Error, ErrorKind, Remedy};

/// The hint of `error` as PHP shows it (`getHint()`, and the message's ` Hint: ...`).
pub fn hint(error: &Error) -> Option<String> {
    error.hint_worded(words)
}

/// True for the kinds whose message is the SDK's own text, word for word (`client_id is
/// mandatory`, `No Tokens exist ...`, `Grant Token is not provided.`, ...), which PHP code may
/// compare: the hint is not appended to them (it is still available from `getHint()`).
pub fn keeps_sdk_message(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::ConfigMissing
            | ErrorKind::NotInitialized
            | ErrorKind::MissingToken
            | ErrorKind::TokenExpired
            | ErrorKind::NoTokens
    )
}

fn words(remedy: Remedy, error: &Error) -> Option<String> {
    Some(match remedy {
        Remedy::ObtainTokens => "run generateAccessToken with a grant token (or generateAccessTokenFromRefreshToken) for this user first; identifiers must match the stored e-mail".to_string(),
        Remedy::SaveAttachedTokens => format!(
            "the user lookup failed ({}), so the tokens could not be saved under the user's e-mail; the refresh token attached to this error still works: save it with generateAccessTokenFromRefreshToken(refresh token, user)",
            error.kind().name()
        ),
        Remedy::AddProfileScopeOrUser => "add AaaServer.profile.READ to the grant's scopes, or set currentUserEmail so the tokens can be saved under it; the refresh token attached to this error still works with generateAccessTokenFromRefreshToken".to_string(),
        Remedy::SetTokenBaseDir => "set zoho_oauth.token_base_dir in php.ini to a directory outside the document root, e.g. /var/lib/zoho-oauth; relative paths are resolved against it. Or give an absolute path".to_string(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn php_words_name_the_sdk_methods_and_php_ini() {
        let hint_for =
            |kind, remedy| hint(&Error::new(kind, "x").with_remedy(remedy)).unwrap_or_default();
        let obtain = hint_for(ErrorKind::NoTokens, Remedy::ObtainTokens);
        assert!(obtain.starts_with("run generateAccessToken with a grant token"));
        let save = hint_for(ErrorKind::ServerError, Remedy::SaveAttachedTokens);
        assert!(save.contains("(server_error)"));
        assert!(save.contains("generateAccessTokenFromRefreshToken(refresh token, user)"));
        let base = hint_for(ErrorKind::ConfigInvalid, Remedy::SetTokenBaseDir);
        assert!(base.contains("zoho_oauth.token_base_dir in php.ini"));
        let other = Error::new(ErrorKind::StoreIo, "x").with_remedy(Remedy::ReplaceDeliberately);
        assert_eq!(hint(&other).as_deref(), other.hint());
    }

    #[test]
    fn only_the_sdk_kinds_keep_their_message_exact() {
        let exact: Vec<&str> = ErrorKind::ALL
            .iter()
            .filter(|k| keeps_sdk_message(**k))
            .map(|k| k.name())
            .collect();
        assert_eq!(
            exact,
            [
                "config_missing",
                "not_initialized",
                "missing_token",
                "token_expired",
                "no_tokens"
            ]
        );
    }
}
