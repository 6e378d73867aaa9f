//! The core's typed remedies in the C door's terms: `zoho_*` function names and the
//! configuration keys of `zoho_client_new`.

use zoho_oauth::{Error, Remedy};

/// The hint of `error` as a C caller reads it in `zoho_last_error_message`.
pub fn hint(error: &Error) -> Option<String> {
    error.hint_worded(words)
}

fn words(remedy: Remedy, error: &Error) -> Option<String> {
    const SAVE: &str = "take them with zoho_last_error_take_unsaved_tokens and save the refresh token with zoho_client_generate_access_token_from_refresh_token";
    Some(match remedy {
        Remedy::ObtainTokens => "call zoho_client_generate_access_token with a grant token (or zoho_client_generate_access_token_from_refresh_token) for this user first; identifiers must match the stored e-mail".to_string(),
        Remedy::SaveAttachedTokens => format!(
            "the user lookup failed ({}), so the tokens could not be saved under the user's e-mail; the tokens attached to this error still work: {SAVE}",
            error.kind().name()
        ),
        Remedy::AddProfileScopeOrUser => format!(
            "add AaaServer.profile.READ to the grant's scopes, or set currentUserEmail so the tokens can be saved under it; the tokens attached to this error still work: {SAVE}"
        ),
        Remedy::SetTokenBaseDir => "set token_base_dir in the configuration to an absolute directory outside the document root, e.g. /var/lib/zoho-oauth; relative paths are resolved against it. Or give an absolute token_persistence_path".to_string(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use zoho_oauth::ErrorKind;

    #[test]
    fn c_words_name_c_functions_never_php_methods() {
        for &remedy in Remedy::ALL {
            let error = Error::new(ErrorKind::NoTokens, "x").with_remedy(remedy);
            let text = hint(&error).unwrap_or_default();
            assert!(!text.is_empty(), "{remedy:?}");
            for word in [
                "generateAccessToken",
                "getAccessToken",
                "php.ini",
                "zoho_oauth.token_base_dir",
            ] {
                assert!(!text.contains(word), "{remedy:?}: {text}");
            }
        }
        let none = Error::new(ErrorKind::NoTokens, "x").with_remedy(Remedy::ObtainTokens);
        assert!(hint(&none).is_some_and(|h| h.contains("zoho_client_generate_access_token")));
        let plain = Error::new(ErrorKind::Timeout, "x").with_hint("retry");
        assert_eq!(hint(&plain).as_deref(), Some("retry"));
    }
}
