//! How the tool names an accounts server. Which servers secrets may go to is the core's
//! rule (`zoho_oauth::config::trusted_accounts_url`, used through `zoho_oauth::policy` and
//! `zoho_oauth::redirect`).

use zoho_oauth::DataCentre;

/// A short name for an accounts server: its data centre code, or the URL itself.
pub fn label(accounts_url: &str) -> String {
    DataCentre::from_accounts_url(accounts_url)
        .map_or_else(|| accounts_url.to_string(), |dc| dc.code().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_centres_by_code_other_servers_by_url() {
        assert_eq!(label("https://accounts.zoho.in"), "in");
        assert_eq!(label("http://127.0.0.1:9/eu"), "http://127.0.0.1:9/eu");
    }
}
