//! The Rust quick start (docs/rust.md): `cargo run --example quickstart [GRANT_CODE]`.
use zoho_oauth::{Config, OAuthClient};

fn main() -> zoho_oauth::Result<()> {
    let config = Config::from_pairs([
        ("client_id", "1000.XXXXXXXXXXXXXXXX"),
        ("client_secret", "xxxxxxxx"),
        ("redirect_uri", "http://localhost:8910/callback"),
        ("token_persistence_path", "/var/lib/zoho-oauth"),
    ])?;
    let client = OAuthClient::from_config(config)?;
    if let Some(grant) = std::env::args().nth(1) {
        let tokens = client.generate_access_token(&grant)?; // saved under the user's e-mail
        println!("saved tokens for {}", tokens.user.as_deref().unwrap_or("?"));
    }
    let token = client.get_access_token("ada@example.com")?; // cached; single-flight refresh
    let shown = token.expose().get(..9).unwrap_or_default();
    println!("access token {shown}...");
    Ok(())
}
