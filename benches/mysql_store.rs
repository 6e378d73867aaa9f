//! The MySQL store against a real MariaDB (`ZOHO_TEST_MYSQL_URL`, from `scripts/mariadb.sh`):
//! `get_access_token` on a cached token (the fleet cache, set explicitly and as the default
//! configuration gives it), with a database read on every call (`store_recheck_ms=0`), one
//! `get` round trip, and the file store's default in the same run; one save
//! with 1,000 and 100,000 users in the table; one refresh round trip against the accounts
//! emulator. The SDK's way (a new mysqli connection and a SELECT per call) and raw `curl` are
//! measured by `benches/mysql_baselines.sh`.
//!
//! Run: `eval "$(scripts/mariadb.sh start /tmp/bench-db)"; cargo bench --bench mysql_store`

// `criterion_group!` generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use mysql::prelude::Queryable;
use zoho_accounts_emulator::{ClientSpec, Emulator, GrantSpec, Options, Settings};
use zoho_oauth::store::mysql::{Bounds, MysqlSettings, MysqlStore};
use zoho_oauth::{Config, FileStore, OAuthClient, Secret, StoreFormat, TokenStore, Tokens};

const FAR_FUTURE_MS: i64 = 4_000_000_000_000;

fn url() -> Option<String> {
    let url = std::env::var("ZOHO_TEST_MYSQL_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() {
        eprintln!("skipped: set ZOHO_TEST_MYSQL_URL (eval \"$(scripts/mariadb.sh start DIR)\")");
    }
    url
}

fn tokens(n: usize) -> Tokens {
    Tokens::new(
        Some(format!("user{n}@example.com")),
        Secret::new(format!("1000.{n:032x}.{:032x}", n * 7)),
        Some(Secret::new(format!("1000.{:032x}.{n:032x}", n * 3))),
        FAR_FUTURE_MS,
    )
}

fn settings(url: &str, table: &str) -> MysqlSettings {
    let pairs = [
        ("mysql_url", url.to_string()),
        ("mysql_table", table.to_string()),
    ];
    MysqlSettings::from_keys(
        |k| {
            pairs
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.as_str())
        },
        Bounds {
            call: Duration::from_secs(5),
            lease: Duration::from_secs(42),
        },
    )
    .expect("settings")
}

/// A keyed table (as `zoho-oauth mysql-create` makes it) holding `users` rows.
fn populated(url: &str, users: usize, tag: &str) -> MysqlStore {
    let table = format!("bench_{tag}_{users}_{}", std::process::id());
    let store = MysqlStore::with_settings(settings(url, &table));
    store.create_schema().expect("create");
    let mut conn = mysql::Conn::new(mysql::Opts::from_url(url).expect("url")).expect("admin");
    for chunk in (0..users).collect::<Vec<_>>().chunks(5_000) {
        let values: Vec<String> = chunk
            .iter()
            .map(|&n| {
                let t = tokens(n);
                format!(
                    "('{}','{}','{}',{})",
                    t.user_or_empty(),
                    t.access_token.expose(),
                    t.refresh_token.as_ref().map_or("", |r| r.expose()),
                    t.expiry_time_ms
                )
            })
            .collect();
        conn.query_drop(format!(
            "INSERT INTO zohooauth.`{table}` VALUES {}",
            values.join(",")
        ))
        .expect("populate");
    }
    store
}

fn client(store: Arc<dyn TokenStore>, recheck_ms: u64) -> OAuthClient {
    let config = Config::new("1000.BENCH", "secret", "https://example.com/cb")
        .with_accounts_url("http://127.0.0.1:9")
        .with_store_recheck(Duration::from_millis(recheck_ms));
    OAuthClient::new(config, store).expect("client")
}

/// A client as every door makes one: from configuration keys (`store` names the store),
/// with no `store_recheck_ms`, so the store's default applies.
fn default_client(store: &[(&str, &str)]) -> OAuthClient {
    let mut pairs = vec![
        ("client_id", "1000.BENCH"),
        ("client_secret", "secret"),
        ("redirect_uri", "https://example.com/cb"),
        ("accounts_url", "http://127.0.0.1:9"),
    ];
    pairs.extend_from_slice(store);
    OAuthClient::from_config(Config::from_pairs(pairs).expect("config")).expect("client")
}

fn bench_get(c: &mut Criterion) {
    let Some(url) = url() else { return };
    let mut group = c.benchmark_group("mysql_get_access_token");
    let store: Arc<dyn TokenStore> = Arc::new(populated(&url, 1_000, "get"));
    let wanted = "user999@example.com".to_string();
    let cached = client(store.clone(), 1000);
    cached.get_access_token(&wanted).expect("warm");
    group.bench_function("cached (store_recheck_ms=1000)", |b| {
        b.iter(|| cached.get_access_token(black_box(&wanted)).expect("token"))
    });
    let every_call = client(store.clone(), 0);
    group.bench_function("database read per call (store_recheck_ms=0)", |b| {
        b.iter(|| {
            every_call
                .get_access_token(black_box(&wanted))
                .expect("token")
        })
    });
    group.bench_function("store.get (one prepared SELECT)", |b| {
        b.iter(|| store.get(black_box(&wanted)).expect("get"))
    });
    let table = format!("bench_get_1000_{}", std::process::id());
    let default_mysql = default_client(&[
        ("token_store", "mysql"),
        ("mysql_url", url.as_str()),
        ("mysql_table", &table),
    ]);
    default_mysql.get_access_token(&wanted).expect("warm");
    group.bench_function("cached, default configuration (no store_recheck_ms)", |b| {
        b.iter(|| {
            default_mysql
                .get_access_token(black_box(&wanted))
                .expect("token")
        })
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let file = FileStore::in_directory(dir.path(), StoreFormat::PhpSdk).expect("file store");
    file.replace_all(&(0..1_000).map(tokens).collect::<Vec<_>>())
        .expect("populate file");
    let dir_text = dir.path().display().to_string();
    let file_client = default_client(&[("token_persistence_path", dir_text.as_str())]);
    file_client.get_access_token(&wanted).expect("warm");
    group.bench_function(
        "file store, cached, default configuration (1,000 users)",
        |b| {
            b.iter(|| {
                file_client
                    .get_access_token(black_box(&wanted))
                    .expect("token")
            })
        },
    );
    group.finish();
    sdk_way_baseline(
        &url,
        &format!("bench_get_1000_{}", std::process::id()),
        &wanted,
    );
}

/// The SDK's way, as a PHP process: a new mysqli connection and a SELECT per call.
fn sdk_way_baseline(url: &str, table: &str, wanted: &str) {
    let port = url
        .rsplit(':')
        .next()
        .and_then(|p| p.split('/').next())
        .unwrap_or("3306");
    let peer = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/peers/sdk_mysql_peer.php"
    );
    match std::process::Command::new("php")
        .args([peer, "time-gets", "2000", wanted])
        .env("PEER_HOST", "localhost")
        .env("PEER_PORT", port)
        .env("PEER_TABLE", table)
        .output()
    {
        Ok(out) if out.status.success() => {
            let secs: f64 = String::from_utf8_lossy(&out.stdout)
                .trim()
                .parse()
                .unwrap_or(0.0);
            eprintln!(
                "baseline: SDK way (PHP mysqli, connect + SELECT per call): {:.1} µs/call",
                secs * 1e6
            );
        }
        _ => eprintln!("baseline: SDK way not measured (php with mysqli needed)"),
    }
}

/// Raw `curl` doing the same refresh POST, one process per request, as a baseline.
fn curl_baseline(accounts_url: &str, refresh_token: &str) {
    let url = format!(
        "{accounts_url}/oauth/v2/token?refresh_token={refresh_token}&client_id=1000.BENCHCLIENT&client_secret=bench-secret&grant_type=refresh_token"
    );
    let runs = 200;
    let started = std::time::Instant::now();
    for _ in 0..runs {
        let ok = std::process::Command::new("curl")
            .args(["-s", "-o", "/dev/null", "-X", "POST", &url])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !ok {
            eprintln!("baseline: curl not measured (curl needed)");
            return;
        }
    }
    eprintln!(
        "baseline: curl POST /oauth/v2/token (a process per request): {:.1} µs/request",
        started.elapsed().as_secs_f64() * 1e6 / f64::from(runs)
    );
}

fn bench_save(c: &mut Criterion) {
    let Some(url) = url() else { return };
    let mut group = c.benchmark_group("mysql_save");
    for users in [1_000usize, 100_000] {
        let store = populated(&url, users, "save");
        let mut n = 0usize;
        group.bench_with_input(
            BenchmarkId::new("one_user_into", users),
            &users,
            |b, &users| {
                b.iter(|| {
                    n += 1;
                    store.save(&tokens(n % users)).expect("save")
                })
            },
        );
    }
    group.finish();
}

fn bench_refresh(c: &mut Criterion) {
    let Some(url) = url() else { return };
    // No throttle and no live-token cap: the benchmark refreshes thousands of times.
    let emulator = Emulator::start(Options {
        settings: Settings {
            refresh_limit: u32::MAX,
            max_active_access_tokens: u32::MAX,
            ..Settings::default()
        },
        ..Options::default()
    })
    .expect("emulator");
    emulator.register_client(ClientSpec {
        client_id: "1000.BENCHCLIENT".into(),
        client_secret: "bench-secret".into(),
        redirect_uris: vec!["https://example.com/cb".into()],
        data_centres: vec!["us".into()],
        scopes: vec![],
    });
    let code = emulator
        .mint_grant(GrantSpec {
            client_id: "1000.BENCHCLIENT".into(),
            user: "ada@example.com".into(),
            scope: "ZohoCRM.modules.ALL,AaaServer.profile.READ".into(),
            ..GrantSpec::default()
        })
        .expect("grant");
    let store: Arc<dyn TokenStore> = Arc::new(populated(&url, 1, "refresh"));
    let config = Config::new("1000.BENCHCLIENT", "bench-secret", "https://example.com/cb")
        .with_accounts_url(emulator.url());
    let client = OAuthClient::new(config, store).expect("client");
    client.generate_access_token(&code).expect("tokens");
    let mut group = c.benchmark_group("mysql_refresh");
    group.bench_function("refresh + lock + save (loopback emulator)", |b| {
        b.iter(|| client.refresh_user("ada@example.com").expect("refresh"))
    });
    group.finish();
    let stored = client
        .store()
        .get("ada@example.com")
        .expect("get")
        .expect("tokens");
    let refresh = stored.refresh_token.expect("refresh token");
    curl_baseline(&emulator.url(), refresh.expose());
}

criterion_group!(benches, bench_get, bench_save, bench_refresh);
criterion_main!(benches);
