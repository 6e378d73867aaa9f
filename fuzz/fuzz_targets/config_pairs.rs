//! Configuration maps (`Config::from_pairs`), as the PHP door and the CLI's config file
//! hand them over: any keys and values. No panic; a configuration that is accepted passes
//! `validate()` and never sends secrets over plain http to a host that is not loopback.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use zoho_oauth::Config;
use zoho_oauth::config::{KEYS, MAX_REFRESH_MARGIN, validate_accounts_url};

#[derive(Arbitrary, Debug)]
enum Key {
    Known(u8),
    Other(String),
}

fuzz_target!(|pairs: Vec<(Key, String)>| {
    let pairs: Vec<(String, String)> = pairs
        .into_iter()
        .map(|(key, value)| {
            let key = match key {
                // The keys the SDK and this library know, so the fuzzer reaches every branch.
                Key::Known(i) => KEYS[usize::from(i) % KEYS.len()].name.to_string(),
                Key::Other(name) => name,
            };
            (key, value)
        })
        .collect();
    let Ok(config) = Config::from_pairs(pairs) else {
        return;
    };
    assert!(
        config.validate().is_ok(),
        "from_pairs returned an invalid config"
    );
    assert!(validate_accounts_url(config.identity().server().url()).is_ok());
    assert_eq!(
        config.identity().server().data_centre(),
        zoho_oauth::DataCentre::from_accounts_url(config.identity().server().url()),
        "the accounts server and the data centre disagree"
    );
    let secret = config.client_secret().map(|s| s.expose()).unwrap_or_default();
    assert!(!secret.contains('\0'));
    assert!(!config.policy().connect_timeout().is_zero() && !config.policy().request_timeout().is_zero());
    assert!(config.policy().refresh_margin() <= MAX_REFRESH_MARGIN);
    let _ = config.crm_api_url();
    let _ = config.store().token_file();
});
