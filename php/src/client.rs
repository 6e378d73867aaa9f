//! `zcrmsdk\oauth\ZohoOAuthClient`: the SDK's OAuth client, as `ZohoOAuth::getClientInstance()`
//! returns it.
//!
//! The PHP object is a thin handle on the request's configuration; the work is done by the
//! process-wide core client for that configuration (see [`crate::clients`]).

// PHP parameter names are the Rust parameter names (named arguments use them), and the SDK
// spells them in camelCase: `$grantToken`, `$userEmailId`.
#![allow(non_snake_case)]

use std::cell::RefCell;
use std::sync::Arc;

use ext_php_rs::convert::IntoZval;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::flags::DataType;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendClassObject, Zval};
use zoho_oauth::authorize::authorization_url;
use zoho_oauth::{AuthorizationRequest, ErrorKind, OAuthClient, Tokens, policy};

use crate::coerce::{StrArg, StrRef};
use crate::exception;
use crate::initialized::Initialized;
use crate::panic::guard;
use crate::params::ZohoOAuthParams;
use crate::persistence::{self, HandlerScope};
use crate::sdk_client;
use crate::tokens::ZohoOAuthTokens;
use crate::{callback, clients};

/// The access token of cached tokens, as a method's return value: copied once, straight into
/// the PHP string (no Rust copy of the secret in between).
pub struct AccessTokenText(Arc<Tokens>);

impl IntoZval for AccessTokenText {
    const TYPE: DataType = DataType::String;
    const NULLABLE: bool = false;

    fn set_zval(self, zv: &mut Zval, persistent: bool) -> ext_php_rs::error::Result<()> {
        zv.set_string(self.0.access_token.expose(), persistent)
    }
}

/// The class's fully qualified name.
pub const CLASS_NAME: &str = "zcrmsdk\\oauth\\ZohoOAuthClient";

thread_local! {
    /// The `ZohoOAuthClient` object `getClientInstance()` returned last in this request, with
    /// the configuration it is a handle on: returned again while that configuration is the
    /// request's, as the SDK returns its singleton.
    static CLIENT_OBJECT: RefCell<Option<(Arc<Initialized>, Zval)>> = const { RefCell::new(None) };
}

/// Releases the request's client object (request start and end: objects live in the
/// request's memory).
pub fn forget_client_object() {
    let held = CLIENT_OBJECT.with(|cell| cell.borrow_mut().take());
    drop(held);
}

/// A `ZohoOAuthClient` object (a zval holding one reference to it), as a method's return value.
pub struct ClientObject(Zval);

impl IntoZval for ClientObject {
    const TYPE: DataType = DataType::object(CLASS_NAME);
    const NULLABLE: bool = false;

    fn set_zval(self, zv: &mut Zval, _persistent: bool) -> ext_php_rs::error::Result<()> {
        *zv = self.0;
        Ok(())
    }
}

/// The request's client object for `init`: the one returned before for the same
/// configuration, else a new one (kept for the next call).
pub fn client_object(init: Arc<Initialized>) -> PhpResult<ClientObject> {
    if let Some(object) = CLIENT_OBJECT.with(|cell| {
        cell.borrow()
            .as_ref()
            .filter(|(held, _)| Arc::ptr_eq(held, &init))
            .map(|(_, object)| object.shallow_clone())
    }) {
        return Ok(ClientObject(object));
    }
    let object = ZendClassObject::new(ZohoOAuthClient::new(Arc::clone(&init))).into_zval(false)?;
    let returned = object.shallow_clone();
    let previous = CLIENT_OBJECT.with(|cell| cell.borrow_mut().replace((init, object)));
    drop(previous);
    Ok(ClientObject(returned))
}

/// The SDK's OAuth client: grant exchange, refresh, access tokens, user lookup, and (ours)
/// revocation, deletion and authorization URLs. Obtained from `ZohoOAuth::getClientInstance()`.
#[php_class]
#[php(name = "zcrmsdk\\oauth\\ZohoOAuthClient")]
pub struct ZohoOAuthClient {
    init: Arc<Initialized>,
}

impl ZohoOAuthClient {
    /// A handle on a configuration.
    pub fn new(init: Arc<Initialized>) -> Self {
        ZohoOAuthClient { init }
    }

    /// The process-wide client for this handle's configuration (looked up once per
    /// configuration, kept with it across requests).
    fn shared(&self) -> zoho_oauth::Result<Arc<OAuthClient>> {
        self.init
            .shared_client
            .get_or_find(|| clients::shared(&self.init))
    }

    /// Runs `op` on a core client inside the panic guard and a handler scope.
    fn run<T>(
        &self,
        pick: impl FnOnce(&Initialized) -> zoho_oauth::Result<Arc<OAuthClient>>,
        op: impl FnOnce(&OAuthClient) -> zoho_oauth::Result<T>,
    ) -> PhpResult<T> {
        self.guarded(|| op(&*pick(&self.init)?))
    }

    /// Runs `body` inside the panic guard and a handler scope; its error becomes a
    /// `ZohoOAuthException`.
    fn guarded<T>(&self, body: impl FnOnce() -> zoho_oauth::Result<T>) -> PhpResult<T> {
        guard(|| {
            if persistence::inside_handler() {
                return Err(exception::with_kind(
                    "ZohoOAuthClient cannot be used from inside a persistence handler (the operation that called the handler holds the user's lock)",
                    ErrorKind::InvalidArgument,
                ));
            }
            let _scope = HandlerScope::enter();
            body().map_err(exception::from_error)
        })
    }
}

/// The scopes argument: an array of scopes or one comma-separated string.
fn scopes_from(scopes: &Zval) -> Vec<String> {
    if let Some(list) = scopes.array() {
        return list
            .values()
            .filter_map(|v| v.str().map(str::to_string))
            .collect();
    }
    scopes
        .str()
        .map(|s| s.split(',').map(str::to_string).collect())
        .unwrap_or_default()
}

#[php_impl]
impl ZohoOAuthClient {
    /// The SDK's `getInstance($params)`: a client with these parameters' client id, secret,
    /// redirect URL and access type (the rest from the configuration), which becomes what
    /// `ZohoOAuth::getClientInstance()` returns for the rest of the request.
    pub fn get_instance(params: &ZohoOAuthParams) -> PhpResult<ClientObject> {
        guard(|| sdk_client::get_instance(params).and_then(client_object))
    }

    /// The SDK's `getInstanceWithOutParam()`: the request's client, or null before
    /// `initialize()` / `getInstance()`.
    #[php(name = "getInstanceWithOutParam")]
    pub fn get_instance_with_out_param() -> PhpResult<Option<ClientObject>> {
        guard(|| sdk_client::current_opt().map(client_object).transpose())
    }

    /// This client's parameters (a new `ZohoOAuthParams`; scopes are null, as the SDK's).
    #[php(name = "getZohoOAuthParams")]
    pub fn get_zoho_oauth_params(&self) -> ZohoOAuthParams {
        ZohoOAuthParams::from_config(&self.init.config)
    }

    /// Gives this client the parameters' settings (null ones keep theirs); when this client
    /// is the request's singleton, `ZohoOAuth::getClientInstance()` gets them too.
    #[php(name = "setZohoOAuthParams")]
    pub fn set_zoho_oauth_params(&mut self, zohoOAuthParams: &ZohoOAuthParams) -> PhpResult<()> {
        guard(|| {
            let init = sdk_client::with_params(Some(&self.init), zohoOAuthParams)?;
            if sdk_client::is_current(&self.init) {
                sdk_client::set(Arc::clone(&init));
            }
            *self = ZohoOAuthClient::new(init);
            Ok(())
        })
    }

    /// The SDK's `processResponse($apiResponse)`: the body after the first blank line,
    /// decoded as `json_decode($body, true)`; null without a blank line or JSON.
    pub fn process_response(&self, apiResponse: &Zval) -> PhpResult<Zval> {
        guard(|| sdk_client::process_response(apiResponse))
    }

    /// Exchanges a grant token for tokens, finds the user's e-mail (`/oauth/user/info`),
    /// saves the tokens under it and returns them. Throws `Grant Token is not provided.` for
    /// an empty token.
    pub fn generate_access_token(&self, grantToken: StrArg) -> PhpResult<ZohoOAuthTokens> {
        let grant = grantToken.into_text()?;
        // currentUserEmail is per request: the fallback identifier travels with the call.
        let fallback = self.init.config.crm().current_user_email();
        self.run(clients::shared, |c| {
            c.generate_access_token_with_fallback(&grant, fallback)
        })
        .map(|t| ZohoOAuthTokens::from_core(&t))
    }

    /// Gets an access token from a refresh token, saves the tokens under `$userEmailId` and
    /// returns them (the SDK returns null; returning the tokens breaks no caller).
    pub fn generate_access_token_from_refresh_token(
        &self,
        refreshToken: StrArg,
        userEmailId: StrArg,
    ) -> PhpResult<ZohoOAuthTokens> {
        let (refresh, user) = (refreshToken.into_text()?, userEmailId.into_text()?);
        self.run(
            |_| self.shared(),
            |c| c.generate_access_token_from_refresh_token(&refresh, &user),
        )
        .map(|t| ZohoOAuthTokens::from_core(&t))
    }

    /// The SDK's `refreshAccessToken`: the same as `generateAccessTokenFromRefreshToken`
    /// (refreshes with this refresh token, saves the tokens under `$userEmailId` and returns
    /// them).
    pub fn refresh_access_token(
        &self,
        refreshToken: StrArg,
        userEmailId: StrArg,
    ) -> PhpResult<ZohoOAuthTokens> {
        self.generate_access_token_from_refresh_token(refreshToken, userEmailId)
    }

    /// A valid access token for the user, from the cache or the store, refreshed first (once,
    /// for all processes) when it is about to expire.
    pub fn get_access_token(&self, userEmailId: StrRef<'_>) -> PhpResult<AccessTokenText> {
        let user = userEmailId.text()?;
        self.run(|_| self.shared(), |c| c.get_tokens(user))
            .map(AccessTokenText)
    }

    /// The e-mail of the user behind an access token (`/oauth/user/info`).
    #[php(name = "getUserEmailIdFromIAM")]
    pub fn get_user_email_id_from_iam(&self, accessToken: StrArg) -> PhpResult<String> {
        let access = accessToken.into_text()?;
        self.guarded(|| zoho_oauth::client::user_info(&self.init.config, &access))
            .map(|info| info.email)
    }

    /// Revokes the user's refresh token at Zoho (with every access token minted from it) and
    /// deletes the stored tokens. Returns true.
    pub fn revoke_refresh_token(&self, userEmailId: StrArg) -> PhpResult<bool> {
        let user = userEmailId.into_text()?;
        self.run(|_| self.shared(), |c| c.revoke(&user))
            .map(|()| true)
    }

    /// Deletes the user's stored tokens without calling Zoho. Returns, with the token file,
    /// whether the user had tokens; with a custom persistence handler, true unless its
    /// `deleteOAuthTokens()` returns `false` (SDK handlers return nothing, so true).
    pub fn delete_tokens(&self, userEmailId: StrArg) -> PhpResult<bool> {
        let user = userEmailId.into_text()?;
        self.run(|_| self.shared(), |c| c.delete_tokens(&user))
    }

    /// Takes the redirect back from Zoho's consent page and does what `generateAccessToken()`
    /// does with its code: `$query` is the callback's query string (or its whole URL, or the
    /// `$_GET` array) and `$state` the state given to `getAuthorizationUrl()`. The core checks
    /// the redirect first: the state must match, Zoho must not have sent an `error`
    /// (`access_denied`), the code must be there, and an `accounts-server` must be one of
    /// Zoho's; the code is then exchanged at that server (the user's data centre), the tokens
    /// saved under the user's e-mail and returned.
    #[php(name = "generateAccessTokenFromRedirect")]
    pub fn generate_access_token_from_redirect(
        &self,
        query: &Zval,
        state: StrArg,
    ) -> PhpResult<ZohoOAuthTokens> {
        let params = callback::params_from(query)?;
        let state = state.into_text()?;
        let fallback = self.init.config.crm().current_user_email();
        self.guarded(|| {
            policy::exchange_checked_redirect(&*self.shared()?, &params, &state, fallback)
        })
        .map(|t| ZohoOAuthTokens::from_core(&t))
    }

    /// The URL to send a person to for consent: `$scopes` is an array or a comma-separated
    /// string; `$accessType` defaults to the configured `access_type`.
    #[php(defaults(promptConsent = false))]
    pub fn get_authorization_url(
        &self,
        scopes: &Zval,
        state: StrArg,
        promptConsent: bool,
        accessType: StrArg,
    ) -> PhpResult<String> {
        let request = AuthorizationRequest {
            scopes: scopes_from(scopes),
            access_type: accessType.into_option()?,
            prompt_consent: promptConsent,
            state: state.into_option()?,
        };
        self.guarded(|| authorization_url(self.init.config.identity(), &request))
    }
}
