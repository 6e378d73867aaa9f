//! The encryption at rest of each side of `migrate`: the source opens its values with every
//! configured key (sealed or clear alike); the target writes as configured, or as
//! `--to-encryption on|off` says (the core's `zoho_oauth::seal`).

use zoho_oauth::Config;
use zoho_oauth::config::EncryptionMode;
use zoho_oauth::seal::{Sealer, reading_sealer_of, sealer_of};

use crate::config::Settings;
use crate::exit::Failure;

/// The sealer of a side: `to_encryption` applies to the target only.
pub fn side_sealer(
    settings: &Settings,
    is_source: bool,
    to_encryption: Option<&str>,
) -> Result<Sealer, Failure> {
    let mut encryption = settings.encryption()?;
    let placeholder = Config::without_secret("unset", crate::settings::DEFAULT_REDIRECT_URI);
    if is_source {
        return Ok(reading_sealer_of(&placeholder.with_encryption(encryption))?);
    }
    if let Some(mode) = to_encryption {
        encryption = encryption.with_mode(EncryptionMode::parse(mode)?);
    }
    Ok(sealer_of(&placeholder.with_encryption(encryption))?)
}
