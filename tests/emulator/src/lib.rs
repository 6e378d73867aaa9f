//! A local emulator of Zoho's OAuth 2.0 accounts server (`accounts.zoho.*`) for tests.
//!
//! It serves `/oauth/v2/auth`, `/oauth/v2/token`, revocation, `/oauth/user/info`, a
//! protected resource (`/crm/v2/users`) and `/oauth/serverinfo` for the data centres in
//! [`DATA_CENTRES`] on one port: the US data centre at the root, every other one under
//! `/<dc>`. Tests drive it in-process through [`Emulator`] or over HTTP through the admin
//! interface under `/_emulator/`. See `README.md` next to this crate.
//!
//! ```no_run
//! use zoho_accounts_emulator::{ClientSpec, Emulator, GrantSpec, Options};
//!
//! let emu = Emulator::start(Options::default()).expect("start");
//! emu.register_client(ClientSpec {
//!     client_id: "1000.CLIENT".into(),
//!     client_secret: "secret".into(),
//!     redirect_uris: vec!["https://example.com/cb".into()],
//!     ..ClientSpec::default()
//! });
//! let code = emu
//!     .mint_grant(GrantSpec {
//!         client_id: "1000.CLIENT".into(),
//!         user: "ada@example.com".into(),
//!         scope: "ZohoCRM.modules.ALL,AaaServer.profile.READ".into(),
//!         ..GrantSpec::default()
//!     })
//!     .expect("grant");
//! // POST {emu.url()}/oauth/v2/token with grant_type=authorization_code&code=...
//! # let _ = code;
//! ```

mod admin;
mod clock;
mod conn;
mod dispatch;
mod emulator;
mod faults;
mod http;
mod ids;
mod metrics;
mod params;
mod routes;
mod server;
mod shared;
mod spec;
mod state;
mod tokens;

pub use emulator::Emulator;
pub use spec::{
    ClientSpec, FaultKind, FaultSpec, GrantSpec, LoggedRequest, Options, Settings, TokenSpec,
    UserSpec,
};

/// The data-centre codes the emulator serves; `us` is the root, the others `/<dc>`.
pub const DATA_CENTRES: &[&str] = &["us", "eu", "in", "au", "jp", "ca", "sa", "uk", "cn"];

/// The user `/oauth/v2/auth` logs in as unless `emulator_user` names another.
pub const DEFAULT_USER: &str = state::DEFAULT_USER;
