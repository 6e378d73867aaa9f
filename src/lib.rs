//! # zoho-oauth
//!
//! Zoho OAuth 2.0 on the client side: exchange a grant token, refresh access tokens, revoke,
//! find the user behind a token, and keep tokens safely on disk, in Zoho's PHP SDK file
//! format (byte-compatible) or in our JSON format.
//!
//! ```no_run
//! use zoho_oauth::{Config, OAuthClient};
//!
//! let config = Config::from_pairs([
//!     ("client_id", "1000.XXXX"),
//!     ("client_secret", "..."),
//!     ("redirect_uri", "https://example.com/callback"),
//!     ("token_persistence_path", "/var/lib/myapp"),
//! ])?;
//! let client = OAuthClient::from_config(config)?;
//! let token = client.get_access_token("ada@example.com")?;
//! // Authorization: Zoho-oauthtoken <token.expose()>
//! # Ok::<(), zoho_oauth::Error>(())
//! ```
//!
//! Doors: the C ABI (`include/zoho_oauth.h`, cargo feature `capi`, on by default), the PHP
//! extension (`php/`), and this Rust API.
//!
//! `unsafe` is denied outside the modules that call libc (locks, memory maps, fork handlers)
//! and the C ABI; each of those says so where it is declared.
#![deny(unsafe_code)]

pub mod accounts;
pub mod authorize;
/// The C ABI (`zoho_*` functions) behind `include/zoho_oauth.h` and `include/zoho_oauth_ffi.h`.
#[cfg(feature = "capi")]
#[allow(unsafe_code)]
pub mod capi;
pub mod client;
pub mod clock;
pub mod config;
mod datacentre;
mod error;
pub mod log;
pub mod policy;
pub mod redirect;
mod secret;
pub mod store;
pub mod token;

pub use accounts::UserInfo;
pub use client::{AuthorizationRequest, OAuthClient};
pub use clock::{Clock, OffsetClock, SystemClock};
pub use config::{Config, StoreFormat};
pub use datacentre::DataCentre;
pub use error::{Error, ErrorCategory, ErrorKind, Remedy, Result};
pub use secret::Secret;
pub use store::{FileStore, MemoryStore, TokenStore};
pub use token::Tokens;

/// This library's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
