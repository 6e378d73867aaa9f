//! What a caller can do about an error, in no door's vocabulary.
//!
//! The core says *what* is needed ("get tokens for this user first"); each door says *how* in
//! its own terms: PHP method names in the extension, `zoho-oauth` commands in the CLI,
//! `zoho_*` functions in C. A door words the remedies it knows with
//! [`Error::hint_worded`](super::Error::hint_worded); [`Remedy::neutral`] is the wording for
//! Rust callers and the fallback for a remedy a door does not word.

use super::ErrorKind;

/// A remedy for an error, typed; the doors word it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Remedy {
    /// No tokens are stored for the user: exchange a grant token, or save a refresh token,
    /// for this user first (the identifier must match the stored e-mail).
    ObtainTokens,
    /// Zoho issued tokens that could not be saved (the user lookup failed); they are attached
    /// to the error: save their refresh token under the user.
    SaveAttachedTokens,
    /// As [`Remedy::SaveAttachedTokens`], because the grant lacks `AaaServer.profile.READ`:
    /// add that scope, or configure the user (`currentUserEmail`) so tokens are saved under it.
    AddProfileScopeOrUser,
    /// The store already holds tokens: replace them only deliberately.
    ReplaceDeliberately,
    /// A relative token path needs an absolute base directory (`token_base_dir`), outside the
    /// document root of a web server.
    SetTokenBaseDir,
    /// The grant or refresh token is no longer valid: get a new grant token (consent again).
    NewGrant,
    /// The client is unknown at this accounts server: the account may be in another data
    /// centre (`accounts_url`, `data_centre`).
    WrongDataCentre,
    /// The grant lacks a scope the call needs.
    AddScope,
    /// The failure may go away by itself: retry later (the error's kind is transient).
    RetryLater,
    /// A configuration value is missing or wrong; the message names it.
    FixConfiguration,
    /// The shared store's database or table does not exist: create it (the hint gives the
    /// statements).
    CreateSchema,
    /// The token files belong to another user: run as their owner, or give them to this
    /// process's user (the message names both).
    RunAsOwner,
}

impl Remedy {
    /// Every remedy.
    pub const ALL: &'static [Remedy] = &[
        Remedy::ObtainTokens,
        Remedy::SaveAttachedTokens,
        Remedy::AddProfileScopeOrUser,
        Remedy::ReplaceDeliberately,
        Remedy::SetTokenBaseDir,
        Remedy::NewGrant,
        Remedy::WrongDataCentre,
        Remedy::AddScope,
        Remedy::RetryLater,
        Remedy::FixConfiguration,
        Remedy::CreateSchema,
        Remedy::RunAsOwner,
    ];

    /// The remedy of an error of `kind` that was given none: what every such error needs.
    pub fn for_kind(kind: ErrorKind) -> Option<Remedy> {
        match kind {
            ErrorKind::InvalidCode | ErrorKind::InvalidToken => Some(Remedy::NewGrant),
            ErrorKind::InvalidClient => Some(Remedy::WrongDataCentre),
            ErrorKind::ScopeMissing => Some(Remedy::AddScope),
            ErrorKind::ConfigMissing
            | ErrorKind::ConfigInvalid
            | ErrorKind::InvalidClientSecret
            | ErrorKind::InvalidRedirectUri => Some(Remedy::FixConfiguration),
            kind if kind.is_transient() => Some(Remedy::RetryLater),
            _ => None,
        }
    }

    /// The door-neutral wording, for Rust callers and for a door that has no words of its own.
    /// `kind` is the kind of the error the remedy belongs to.
    pub fn neutral(self, kind: ErrorKind) -> String {
        match self {
            Remedy::ObtainTokens => "exchange a grant token (or save a refresh token) for this user first; identifiers must match the stored e-mail".to_string(),
            Remedy::SaveAttachedTokens => format!(
                "the user lookup failed ({}), so the tokens could not be saved under the user's e-mail; the refresh token attached to this error still works: save it under the user",
                kind.name()
            ),
            Remedy::AddProfileScopeOrUser => "add AaaServer.profile.READ to the grant's scopes, or set currentUserEmail so the tokens can be saved under it; the refresh token attached to this error still works".to_string(),
            Remedy::ReplaceDeliberately => "another process may have saved them meanwhile; replace them only deliberately".to_string(),
            Remedy::SetTokenBaseDir => "set token_base_dir to an absolute directory outside the document root, e.g. /var/lib/zoho-oauth; relative paths are resolved against it. Or give an absolute path".to_string(),
            Remedy::NewGrant => "get a new grant token; the grant or refresh token is no longer valid".to_string(),
            Remedy::WrongDataCentre => "check client_id, and that accounts_url (or data_centre) is the data centre of the account".to_string(),
            Remedy::AddScope => "add the missing scope to the grant token's scopes (AaaServer.profile.READ for the user lookup)".to_string(),
            Remedy::RetryLater => "retry later".to_string(),
            Remedy::FixConfiguration => "fix the configuration value the message names".to_string(),
            Remedy::CreateSchema => "create the database and the table first".to_string(),
            Remedy::RunAsOwner => "run as the owner of the token files, or give them to this process's user".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_have_their_remedies() {
        assert_eq!(
            Remedy::for_kind(ErrorKind::InvalidCode),
            Some(Remedy::NewGrant)
        );
        assert_eq!(
            Remedy::for_kind(ErrorKind::InvalidClient),
            Some(Remedy::WrongDataCentre)
        );
        assert_eq!(
            Remedy::for_kind(ErrorKind::ScopeMissing),
            Some(Remedy::AddScope)
        );
        assert_eq!(
            Remedy::for_kind(ErrorKind::RateLimited),
            Some(Remedy::RetryLater)
        );
        assert_eq!(
            Remedy::for_kind(ErrorKind::LockTimeout),
            Some(Remedy::RetryLater)
        );
        assert_eq!(
            Remedy::for_kind(ErrorKind::ConfigMissing),
            Some(Remedy::FixConfiguration)
        );
        assert_eq!(Remedy::for_kind(ErrorKind::StoreCorrupt), None);
        assert_eq!(Remedy::for_kind(ErrorKind::Panic), None);
    }

    #[test]
    fn neutral_words_name_no_door() {
        for &remedy in Remedy::ALL {
            let text = remedy.neutral(ErrorKind::ScopeMissing);
            for word in [
                "generateAccessToken",
                "php.ini",
                "zoho_client",
                "zoho-oauth ",
            ] {
                assert!(!text.contains(word), "{remedy:?}: {text}");
            }
        }
    }
}
