//! What needs no client: the authorization URL a person is sent to for consent, built from
//! the client's identity alone (no secret, no token store).

use crate::config::ClientIdentity;
use crate::error::{Error, Result};

/// What to put in an authorization URL (`/oauth/v2/auth`).
#[derive(Clone, Debug, Default)]
pub struct AuthorizationRequest {
    /// Scopes, e.g. `ZohoCRM.modules.ALL`, `AaaServer.profile.READ`; joined with commas.
    pub scopes: Vec<String>,
    /// `offline` or `online`; `None` uses the configured `access_type`.
    pub access_type: Option<String>,
    /// Adds `prompt=consent`, which Zoho needs to issue another refresh token.
    pub prompt_consent: bool,
    /// An opaque value Zoho sends back to the redirect URI, to tie the answer to the request.
    pub state: Option<String>,
}

/// The URL to send a person to for consent (`/oauth/v2/auth`) at `identity`'s accounts
/// server: the scopes (at least one), the client ID, the access type (the request's, else
/// the identity's), the redirect URI, and `prompt=consent` and `state` when asked for.
pub fn authorization_url(
    identity: &ClientIdentity,
    request: &AuthorizationRequest,
) -> Result<String> {
    let scopes: Vec<&str> = request
        .scopes
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    if scopes.is_empty() {
        return Err(Error::invalid_argument(
            "at least one scope is needed, e.g. ZohoCRM.modules.ALL",
        ));
    }
    let access_type = request
        .access_type
        .as_deref()
        .unwrap_or(identity.access_type());
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query
        .append_pair("scope", &scopes.join(","))
        .append_pair("client_id", identity.client_id())
        .append_pair("response_type", "code")
        .append_pair("access_type", access_type)
        .append_pair("redirect_uri", identity.redirect_uri());
    if request.prompt_consent {
        query.append_pair("prompt", "consent");
    }
    if let Some(state) = &request.state {
        query.append_pair("state", state);
    }
    Ok(format!(
        "{}/oauth/v2/auth?{}",
        identity.server().url(),
        query.finish()
    ))
}
