//! What identifies the client to Zoho: its ID, its redirect URI, its access type and the
//! accounts server it talks to (held with its data centre, so the two never disagree).

use crate::datacentre::DataCentre;

/// An accounts server and, when it is one of Zoho's, its data centre. The only ways to
/// build one ([`AccountsServer::from_url`], [`AccountsServer::of`]) derive one from the
/// other, so no value has a URL of one data centre and the name of another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountsServer {
    url: String,
    data_centre: Option<DataCentre>,
}

impl AccountsServer {
    /// The server at `url` (a trailing slash is dropped); its data centre is the one whose
    /// server it is, or none for any other server (an emulator, a proxy).
    pub fn from_url(url: impl Into<String>) -> AccountsServer {
        let url = url.into().trim_end_matches('/').to_string();
        let data_centre = DataCentre::from_accounts_url(&url);
        AccountsServer { url, data_centre }
    }

    /// The accounts server of a data centre.
    pub fn of(dc: DataCentre) -> AccountsServer {
        AccountsServer {
            url: dc.accounts_url().to_string(),
            data_centre: Some(dc),
        }
    }

    /// The server's URL, without a trailing slash (`https://accounts.zoho.com`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The data centre, when the server is one of Zoho's.
    pub fn data_centre(&self) -> Option<DataCentre> {
        self.data_centre
    }
}

/// The client's identity: what an authorization URL is built from, and what every request
/// to the accounts server names (the secret is kept apart, see [`crate::Config`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientIdentity {
    client_id: String,
    redirect_uri: String,
    server: AccountsServer,
    access_type: String,
}

impl ClientIdentity {
    /// A client of the US accounts server with offline access.
    pub fn new(client_id: impl Into<String>, redirect_uri: impl Into<String>) -> ClientIdentity {
        ClientIdentity {
            client_id: client_id.into(),
            redirect_uri: redirect_uri.into(),
            server: AccountsServer::of(DataCentre::Us),
            access_type: "offline".to_string(),
        }
    }

    /// Another client ID at the same server.
    pub fn with_client_id(mut self, client_id: impl Into<String>) -> ClientIdentity {
        self.client_id = client_id.into();
        self
    }

    /// The same client at another accounts server.
    pub fn with_server(mut self, server: AccountsServer) -> ClientIdentity {
        self.server = server;
        self
    }

    /// The same client with another redirect URI.
    pub fn with_redirect_uri(mut self, redirect_uri: impl Into<String>) -> ClientIdentity {
        self.redirect_uri = redirect_uri.into();
        self
    }

    /// The same client with another access type (`offline` or `online`; lower-cased, and
    /// checked by [`crate::Config::validate`]).
    pub fn with_access_type(mut self, access_type: &str) -> ClientIdentity {
        self.access_type = access_type.trim().to_ascii_lowercase();
        self
    }

    /// The client ID from Zoho's API console (`1000.XXXX`).
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The redirect URI registered for the client.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// The accounts server and its data centre.
    pub fn server(&self) -> &AccountsServer {
        &self.server
    }

    /// `offline` (a refresh token is issued) or `online`.
    pub fn access_type(&self) -> &str {
        &self.access_type
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_and_its_data_centre_come_from_one_value() {
        for dc in DataCentre::all() {
            let by_name = AccountsServer::of(dc);
            assert_eq!(by_name.data_centre(), Some(dc));
            let by_url = AccountsServer::from_url(format!("{}/", dc.accounts_url()));
            assert_eq!(
                by_url, by_name,
                "{dc:?}: recognised, trailing slash and all"
            );
        }
        let emulator = AccountsServer::from_url("http://127.0.0.1:9/eu");
        assert_eq!(
            (emulator.url(), emulator.data_centre()),
            ("http://127.0.0.1:9/eu", None)
        );
    }
}
