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
//! This crate is the core: the Rust API, with no door in it. Each door is a crate of its own
//! over it: the C ABI (`capi/`, `libzoho_oauth.so` and `include/zoho_oauth.h`), the CLI
//! (`cli/`, the `zoho-oauth` command) and the PHP extension (`php/`).
//!
//! Cargo features (both on by default): `mysql`, the MySQL/MariaDB token store, and `redis`,
//! the Redis token store. A configuration that asks for a store left out of the build is a
//! [`ErrorKind::ConfigInvalid`] error.
//!
//! `unsafe` is denied outside the modules that call libc (locks, memory maps, fork handlers);
//! each of those says so where it is declared.
#![deny(unsafe_code)]

pub mod accounts;
pub mod authorize;
pub mod client;
pub mod clock;
pub mod config;
mod datacentre;
mod error;
pub mod history;
pub mod log;
pub mod policy;
mod process_owned;
pub mod redirect;
mod secret;
pub mod stats;
pub mod store;
/// Encryption at rest of stored tokens: [`store::seal`], the wrapper `store::open` puts
/// around every store.
pub use store::seal;
pub mod token;

pub use accounts::UserInfo;
pub use client::{AuthorizationRequest, OAuthClient};
pub use clock::{Clock, OffsetClock, SystemClock};
pub use config::{Config, StoreFormat};
pub use datacentre::DataCentre;
pub use error::{Error, ErrorCategory, ErrorKind, Remedy, Result};
pub use secret::Secret;
pub use stats::Stats;
pub use store::{FileStore, MemoryStore, TokenStore};
pub use token::Tokens;

/// This library's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
