//! Encryption at rest (issue 27): the cost of a store read (`TokenStore::get` on a JSON token
//! file of 1 and 1,000 users) in clear and sealed, of sealing and opening one token, and
//! `get_access_token` on a cached token with encryption off and on (opening happens on a
//! store read, never per call: both must stay under 1 µs).
//!
//! Run: `cargo bench --bench encryption`

// `criterion_group!` generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use zoho_oauth::config::EncryptionSettings;
use zoho_oauth::seal::{Field, Key, Keyring};
use zoho_oauth::{Config, OAuthClient, Secret, StoreFormat, Tokens};

const FAR_FUTURE_MS: i64 = 4_000_000_000_000;

fn tokens(n: usize) -> Tokens {
    Tokens::new(
        Some(format!("user{n}@example.com")),
        Secret::new(format!("1000.{n:032x}.{:032x}", n * 7)),
        Some(Secret::new(format!("1000.{:032x}.{n:032x}", n * 3))),
        FAR_FUTURE_MS,
    )
}

/// A configuration of a JSON token file in `dir`, sealed with `key` when given.
fn config(dir: &Path, key: Option<&Path>) -> Config {
    let config = Config::new("1000.BENCH", "secret", "https://example.com/cb")
        .with_accounts_url("http://127.0.0.1:9")
        .with_token_persistence_path(dir)
        .with_token_store_format(StoreFormat::Json);
    match key {
        Some(key) => config.with_encryption(EncryptionSettings::default().with_key_file(key)),
        None => config,
    }
}

fn bench_store_read(c: &mut Criterion) {
    let mut group = c.benchmark_group("encryption_store_read");
    let keys = tempfile::tempdir().expect("tempdir");
    let key = keys.path().join("k");
    zoho_oauth::seal::key::generate(&key).expect("key");
    for users in [1usize, 1_000] {
        for (label, key) in [("clear", None), ("sealed", Some(key.as_path()))] {
            let dir = tempfile::tempdir().expect("tempdir");
            let store = zoho_oauth::store::open(&config(dir.path(), key)).expect("store");
            for n in 0..users {
                store.save(&tokens(n)).expect("save");
            }
            let wanted = format!("user{}@example.com", users - 1);
            group.bench_with_input(BenchmarkId::new(label, users), &wanted, |b, wanted| {
                b.iter(|| store.get(black_box(wanted)).expect("read"))
            });
            let client = OAuthClient::from_config(config(dir.path(), key)).expect("client");
            client.get_access_token(&wanted).expect("warm the cache");
            let id = BenchmarkId::new(format!("cached_get_access_token_{label}"), users);
            group.bench_with_input(id, &wanted, |b, wanted| {
                b.iter(|| client.get_access_token(black_box(wanted)).expect("token"))
            });
        }
    }
    group.finish();
}

fn bench_one_value(c: &mut Criterion) {
    let keys = Keyring::new(vec![Key::from_bytes(&[7; 32])]).expect("ring");
    let token = tokens(1).refresh_token.expect("refresh");
    let sealed = keys
        .seal("ada@example.com", Field::Refresh, &token)
        .expect("seal");
    let mut group = c.benchmark_group("encryption_one_value");
    group.bench_function("seal", |b| {
        b.iter(|| keys.seal(black_box("ada@example.com"), Field::Refresh, &token))
    });
    group.bench_function("open", |b| {
        b.iter(|| {
            keys.open(
                black_box("ada@example.com"),
                Field::Refresh,
                sealed.expose(),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, bench_store_read, bench_one_value);
criterion_main!(benches);
