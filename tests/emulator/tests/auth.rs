//! `/oauth/v2/auth`: validation, consent, redirects, first-consent refresh tokens.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::json;
use zoho_accounts_emulator::{Settings, UserSpec};

/// Calls `/oauth/v2/auth` at `base` with `extra` query params; returns status, Location and body.
fn authorize(env: &Env, base: &str, extra: &str) -> (u16, String, String) {
    let url = format!(
        "{base}/oauth/v2/auth?response_type=code&client_id={CLIENT_ID}&redirect_uri={}&scope=ZohoCRM.modules.ALL,AaaServer.profile.READ{extra}",
        url_encode(REDIRECT)
    );
    let r = env.http.get(url).send().unwrap();
    let status = r.status().as_u16();
    let location = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, location, r.text().unwrap())
}

fn url_encode(s: &str) -> String {
    s.replace(':', "%3A").replace('/', "%2F")
}

/// The query parameters of a redirect `Location`.
fn query(location: &str) -> Vec<(String, String)> {
    let q = location.split_once('?').unwrap().1;
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap();
            (k.to_string(), v.to_string())
        })
        .collect()
}

fn param(location: &str, key: &str) -> Option<String> {
    query(location)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

fn exchange_with_redirect(env: &Env, base: &str, code: &str) -> serde_json::Value {
    let body = format!(
        "grant_type=authorization_code&client_id={CLIENT_ID}&client_secret={SECRET}&code={code}&redirect_uri={REDIRECT}"
    );
    env.post_form(&format!("{base}/oauth/v2/token"), &body).1
}

#[test]
fn consent_redirects_with_code_location_server_and_state() {
    let env = setup();
    let (status, location, _) =
        authorize(&env, &env.emu.url(), "&access_type=offline&state=xyz%20123");
    assert_eq!(status, 302);
    assert!(
        location.starts_with(&format!("{REDIRECT}?code=1000.")),
        "{location}"
    );
    assert_eq!(param(&location, "location").unwrap(), "us");
    let server = param(&location, "accounts-server").unwrap();
    assert_eq!(
        server,
        env.emu.url().replace(':', "%3A").replace('/', "%2F")
    );
    assert_eq!(param(&location, "state").unwrap(), "xyz+123");
    assert!(!location.ends_with('&'));
    let code = param(&location, "code").unwrap();
    let v = exchange_with_redirect(&env, &env.emu.url(), &code);
    assert!(v["refresh_token"].is_string(), "{v}");
    assert_eq!(env.counter("auth"), 1);
}

#[test]
fn auth_codes_need_the_same_redirect_uri() {
    let env = setup();
    let (_, location, _) = authorize(&env, &env.emu.url(), "");
    let code = param(&location, "code").unwrap();
    assert_eq!(
        env.exchange(&code),
        json!({"error": "invalid_redirect_uri"})
    );
    assert!(exchange_with_redirect(&env, &env.emu.url(), &code)["access_token"].is_string());
}

#[test]
fn refresh_token_only_on_first_consent_unless_prompt_consent() {
    let env = setup();
    let code_of = |extra: &str| param(&authorize(&env, &env.emu.url(), extra).1, "code").unwrap();
    let first = exchange_with_redirect(&env, &env.emu.url(), &code_of("&access_type=offline"));
    assert!(first["refresh_token"].is_string(), "{first}");
    let second = exchange_with_redirect(&env, &env.emu.url(), &code_of("&access_type=offline"));
    assert!(second["access_token"].is_string());
    assert!(second.get("refresh_token").is_none(), "{second}");
    let forced = exchange_with_redirect(
        &env,
        &env.emu.url(),
        &code_of("&access_type=offline&prompt=consent"),
    );
    assert!(forced["refresh_token"].is_string(), "{forced}");
    assert_ne!(forced["refresh_token"], first["refresh_token"]);
    let online = exchange_with_redirect(&env, &env.emu.url(), &code_of("&prompt=consent"));
    assert!(online.get("refresh_token").is_none(), "{online}");
}

#[test]
fn an_online_consent_does_not_use_up_the_first_offline_refresh_token() {
    let env = setup();
    let code_of = |extra: &str| param(&authorize(&env, &env.emu.url(), extra).1, "code").unwrap();
    let online = exchange_with_redirect(&env, &env.emu.url(), &code_of("&access_type=online"));
    assert!(online["access_token"].is_string(), "{online}");
    assert!(online.get("refresh_token").is_none(), "{online}");
    let default = exchange_with_redirect(&env, &env.emu.url(), &code_of(""));
    assert!(default.get("refresh_token").is_none(), "{default}");
    let offline = exchange_with_redirect(&env, &env.emu.url(), &code_of("&access_type=offline"));
    assert!(offline["refresh_token"].is_string(), "{offline}");
    let again = exchange_with_redirect(&env, &env.emu.url(), &code_of("&access_type=offline"));
    assert!(again["access_token"].is_string(), "{again}");
    assert!(again.get("refresh_token").is_none(), "{again}");
    let forced = exchange_with_redirect(
        &env,
        &env.emu.url(),
        &code_of("&access_type=offline&prompt=consent"),
    );
    assert!(forced["refresh_token"].is_string(), "{forced}");
}

#[test]
fn the_first_offline_consent_is_per_user() {
    let env = setup();
    let code_of = |extra: &str| param(&authorize(&env, &env.emu.url(), extra).1, "code").unwrap();
    let ada = exchange_with_redirect(&env, &env.emu.url(), &code_of("&access_type=offline"));
    assert!(ada["refresh_token"].is_string(), "{ada}");
    let grace = exchange_with_redirect(
        &env,
        &env.emu.url(),
        &code_of("&access_type=offline&emulator_user=grace%40example.com"),
    );
    assert!(grace["refresh_token"].is_string(), "{grace}");
}

#[test]
fn user_in_another_data_centre_is_sent_there() {
    let env = setup();
    env.emu.register_user(UserSpec {
        email: "hans@example.de".into(),
        data_centre: "eu".into(),
        ..UserSpec::default()
    });
    let (_, location, _) = authorize(
        &env,
        &env.emu.url(),
        "&emulator_user=hans@example.de&access_type=offline",
    );
    assert_eq!(param(&location, "location").unwrap(), "eu");
    let expected = env.emu.dc_url("eu").replace(':', "%3A").replace('/', "%2F");
    assert_eq!(param(&location, "accounts-server").unwrap(), expected);
    let code = param(&location, "code").unwrap();
    assert_eq!(
        exchange_with_redirect(&env, &env.emu.url(), &code),
        json!({"error": "invalid_code"})
    );
    let v = exchange_with_redirect(&env, &env.emu.dc_url("eu"), &code);
    assert_eq!(v["api_domain"], env.emu.dc_url("eu"));
}

#[test]
fn unknown_client_and_unregistered_redirect_get_an_html_page() {
    let env = setup();
    let url = env.url(
        "/oauth/v2/auth?response_type=code&client_id=1000.NOPE&redirect_uri=https://x/cb&scope=a",
    );
    let r = env.http.get(url).send().unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert!(r.headers().get("location").is_none());
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let url = env.url(&format!(
        "/oauth/v2/auth?response_type=code&client_id={CLIENT_ID}&redirect_uri=https://evil.example/cb&scope=a"
    ));
    let r = env.http.get(url).send().unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert!(r.text().unwrap().contains("Redirect"));
}

#[test]
fn denied_consent_redirects_with_access_denied() {
    let env = setup();
    let (status, location, _) = authorize(&env, &env.emu.url(), "&emulator_consent=deny&state=s1");
    assert_eq!(status, 302);
    assert_eq!(param(&location, "error").unwrap(), "access_denied");
    assert_eq!(param(&location, "state").unwrap(), "s1");
    assert!(param(&location, "code").is_none());
}

#[test]
fn without_auto_consent_a_page_waits_unless_the_flag_allows() {
    let env = setup_with(Settings {
        auto_consent: false,
        trailing_ampersand: true,
        ..Settings::default()
    });
    let (status, location, body) = authorize(&env, &env.emu.url(), "");
    assert_eq!(status, 200);
    assert!(location.is_empty());
    assert!(body.contains("Consent"));
    let (status, location, _) = authorize(&env, &env.emu.url(), "&emulator_consent=allow");
    assert_eq!(status, 302);
    assert!(param(&location, "code").is_some());
    assert!(location.ends_with('&'), "Zoho's trailing '&': {location}");
}

#[test]
fn bad_response_type_and_scope_redirect_with_errors() {
    let env = setup();
    let url = env.url(&format!(
        "/oauth/v2/auth?response_type=token&client_id={CLIENT_ID}&redirect_uri={REDIRECT}&scope=a"
    ));
    let r = env.http.get(url).send().unwrap();
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(
        param(&location, "error").unwrap(),
        "unsupported_response_type"
    );
    let url = env.url(&format!(
        "/oauth/v2/auth?response_type=code&client_id={CLIENT_ID}&redirect_uri={REDIRECT}"
    ));
    let r = env.http.get(url).send().unwrap();
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(param(&location, "error").unwrap(), "invalid_scope");
}

#[test]
fn auth_codes_expire_too() {
    let env = setup();
    let (_, location, _) = authorize(&env, &env.emu.url(), "");
    let code = param(&location, "code").unwrap();
    env.emu.advance_clock(121);
    assert_eq!(
        exchange_with_redirect(&env, &env.emu.url(), &code),
        json!({"error": "invalid_code"})
    );
}
