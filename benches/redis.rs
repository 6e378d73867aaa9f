//! The Redis store: `get_access_token` on a cached token (served from memory within
//! `store_recheck_ms`: the default configuration, 1000 set explicitly, and 0, one `GET` per
//! call), the token file's default in the same run, a plain `GET` of the same key with the
//! `redis` crate as the floor, and one save with 1,000 and 100,000 users stored.
//!
//! Run: `eval "$(bash scripts/redis.sh start DIR)"; cargo bench --bench redis`
//! (without `ZOHO_TEST_REDIS_URL` it prints why and measures nothing).

// `criterion_group!` generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use zoho_oauth::store::redis::{RedisSettings, RedisStore};
use zoho_oauth::{Config, OAuthClient, Secret, TokenStore, Tokens};

const FAR_FUTURE_MS: i64 = 4_000_000_000_000;

fn tokens(n: usize) -> Tokens {
    Tokens::new(
        Some(format!("user{n}@example.com")),
        Secret::new(format!("1000.{n:032x}.{:032x}", n * 7)),
        Some(Secret::new(format!("1000.{:032x}.{n:032x}", n * 3))),
        FAR_FUTURE_MS,
    )
}

fn url() -> Option<String> {
    let url = std::env::var("ZOHO_TEST_REDIS_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() {
        eprintln!("SKIPPED: ZOHO_TEST_REDIS_URL is not set (scripts/redis.sh start DIR)");
    }
    url
}

/// A store under a fresh prefix holding `users` users.
fn populated(url: &str, users: usize) -> (String, RedisStore) {
    let prefix = format!("zbench{}-{users}:", std::process::id());
    let mut settings = RedisSettings::new(url);
    settings.key_prefix = prefix.clone();
    let store = RedisStore::with_settings(settings).expect("store");
    for n in 0..users {
        store.save(&tokens(n)).expect("save");
    }
    (prefix, store)
}

/// A client on `store` (configuration keys naming it) and `store_recheck_ms` when given
/// (`None`: the default configuration, so the store's default applies).
fn client_with(store: &[(&str, &str)], recheck_ms: Option<&str>) -> OAuthClient {
    let mut pairs = vec![
        ("client_id", "1000.BENCH"),
        ("client_secret", "bench-secret"),
        ("redirect_uri", "https://example.com/cb"),
        ("accounts_url", "http://127.0.0.1:9"),
    ];
    pairs.extend_from_slice(store);
    if let Some(recheck_ms) = recheck_ms {
        pairs.push(("store_recheck_ms", recheck_ms));
    }
    OAuthClient::from_config(Config::from_pairs(pairs).expect("config")).expect("client")
}

fn client(url: &str, prefix: &str, recheck_ms: Option<&str>) -> OAuthClient {
    let store = [
        ("token_store", "redis"),
        ("redis_url", url),
        ("redis_key_prefix", prefix),
    ];
    client_with(&store, recheck_ms)
}

/// Times `get_access_token` for each of 1,000 users in turn.
fn bench_users_in_turn(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    id: BenchmarkId,
    client: &OAuthClient,
) {
    group.bench_function(id, |b| {
        let mut n = 0;
        b.iter(|| {
            n = (n + 1) % 1000;
            black_box(
                client
                    .get_access_token(&format!("user{n}@example.com"))
                    .expect("token"),
            )
        })
    });
}

fn get_access_token(c: &mut Criterion) {
    let Some(url) = url() else { return };
    let (prefix, _store) = populated(&url, 1000);
    let mut group = c.benchmark_group("redis_get_access_token_1000_users");
    for recheck in [None, Some("1000"), Some("0")] {
        let client = client(&url, &prefix, recheck);
        let id = BenchmarkId::new("store_recheck_ms", recheck.unwrap_or("unset (default)"));
        bench_users_in_turn(&mut group, id, &client);
    }
    let dir = tempfile::tempdir().expect("tempdir");
    zoho_oauth::FileStore::in_directory(dir.path(), zoho_oauth::StoreFormat::PhpSdk)
        .and_then(|file| file.replace_all(&(0..1000).map(tokens).collect::<Vec<_>>()))
        .expect("token file");
    let dir_text = dir.path().display().to_string();
    let file_client = client_with(&[("token_persistence_path", dir_text.as_str())], None);
    bench_users_in_turn(
        &mut group,
        BenchmarkId::new("token file", "default configuration"),
        &file_client,
    );
    let mut con = redis::Client::open(url.as_str())
        .expect("url")
        .get_connection()
        .expect("connection");
    group.bench_function("plain_GET_floor", |b| {
        let mut n = 0;
        b.iter(|| {
            n = (n + 1) % 1000;
            let value: Option<Vec<u8>> = redis::cmd("GET")
                .arg(format!("{prefix}user:user{n}@example.com"))
                .query(&mut con)
                .expect("get");
            black_box(value)
        })
    });
    group.finish();
}

fn save(c: &mut Criterion) {
    let Some(url) = url() else { return };
    let mut group = c.benchmark_group("redis_save");
    group
        .sample_size(50)
        .measurement_time(Duration::from_secs(3));
    for users in [1000, 100_000] {
        let (_, store) = populated(&url, users);
        let store = Arc::new(store);
        group.bench_function(BenchmarkId::new("users_stored", users), |b| {
            let mut n = 0;
            b.iter(|| {
                n = (n + 1) % users;
                store.save(&tokens(n)).expect("save")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, get_access_token, save);
criterion_main!(benches);
