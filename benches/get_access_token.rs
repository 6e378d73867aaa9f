//! `get_access_token` on a cached token with 1, 1,000 and 100,000 users in the SDK-format
//! token file (with the default `store_recheck_ms`, and with 0: one `stat()` per call),
//! against the SDK's way (read and unserialize the whole file on every call),
//! and a save into a 100,000-user file.
//!
//! Run: `cargo bench --bench get_access_token`

// `criterion_group!` generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use zoho_oauth::store::php_format;
use zoho_oauth::{Config, FileStore, OAuthClient, Secret, StoreFormat, TokenStore, Tokens};

const FAR_FUTURE_MS: i64 = 4_000_000_000_000;

fn user(n: usize) -> String {
    format!("user{n}@example.com")
}

fn tokens(n: usize) -> Tokens {
    Tokens::new(
        Some(user(n)),
        Secret::new(format!("1000.{n:032x}.{:032x}", n * 7)),
        Some(Secret::new(format!("1000.{:032x}.{n:032x}", n * 3))),
        FAR_FUTURE_MS,
    )
}

/// A token directory holding `users` entries.
fn populated(users: usize) -> (tempfile::TempDir, Arc<FileStore>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = FileStore::in_directory(dir.path(), StoreFormat::PhpSdk).expect("store");
    let all: Vec<Tokens> = (0..users).map(tokens).collect();
    store.replace_all(&all).expect("populate");
    (dir, Arc::new(store))
}

/// What Zoho's SDK does on every API call: read the file, unserialize it, scan for the user.
fn sdk_style_lookup(path: &std::path::Path, wanted: &str) -> Option<Secret> {
    let bytes = std::fs::read(path).ok()?;
    let all = php_format::decode(&bytes).ok()?;
    all.into_iter()
        .find(|t| t.user.as_deref() == Some(wanted))
        .map(|t| t.access_token)
}

fn bench_get(c: &mut Criterion) {
    let mut group = c.benchmark_group("get_access_token");
    for users in [1usize, 1_000, 100_000] {
        let (_dir, store) = populated(users);
        // As every door opens the file: through the store selector, which gives the
        // built-in stores their defaults.
        let config = Config::new("1000.BENCH", "secret", "https://example.com/cb")
            .with_accounts_url("http://127.0.0.1:9")
            .with_token_persistence_path(store.path());
        let client = OAuthClient::from_config(config.clone()).expect("client");
        let stat_each_call =
            OAuthClient::from_config(config.with_store_recheck(Duration::ZERO)).expect("client");
        let wanted = user(users - 1);
        client.get_access_token(&wanted).expect("warm the cache");
        stat_each_call
            .get_access_token(&wanted)
            .expect("warm the cache");
        group.bench_with_input(BenchmarkId::new("cached", users), &wanted, |b, wanted| {
            b.iter(|| client.get_access_token(black_box(wanted)).expect("token"))
        });
        if users <= 1_000 {
            bench_every_user_in_turn(&mut group, &client, users);
        }
        group.bench_with_input(
            BenchmarkId::new("cached_stat_each_call", users),
            &wanted,
            |b, wanted| {
                b.iter(|| {
                    stat_each_call
                        .get_access_token(black_box(wanted))
                        .expect("token")
                })
            },
        );
        if users >= 100_000 {
            group
                .sample_size(10)
                .measurement_time(Duration::from_secs(20));
        }
        group.bench_with_input(
            BenchmarkId::new("sdk_style_reread", users),
            &wanted,
            |b, wanted| {
                b.iter(|| sdk_style_lookup(store.path(), black_box(wanted)).expect("token"))
            },
        );
    }
    group.finish();
}

/// `cached_each_user_in_turn`: every call asks for another user (all cached), so the client
/// cannot answer from the entry it found last and looks each one up in its map.
fn bench_every_user_in_turn(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    client: &OAuthClient,
    users: usize,
) {
    let names: Vec<String> = (0..users).map(user).collect();
    for name in &names {
        client.get_access_token(name).expect("warm the cache");
    }
    let mut next = 0usize;
    group.bench_function(BenchmarkId::new("cached_each_user_in_turn", users), |b| {
        b.iter(|| {
            next = (next + 1) % users;
            client
                .get_access_token(black_box(&names[next]))
                .expect("token")
        })
    });
}

fn bench_save(c: &mut Criterion) {
    let mut group = c.benchmark_group("save");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(30));
    let (_dir, store) = populated(100_000);
    let mut n = 0usize;
    group.bench_function("one_user_into_100000", |b| {
        b.iter(|| {
            n += 1;
            store.save(&tokens(n % 100_000)).expect("save")
        })
    });
    group.finish();
}

criterion_group!(benches, bench_get, bench_save);
criterion_main!(benches);
