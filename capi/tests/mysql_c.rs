//! Seed 000's configuration through the C door on MariaDB: `tests/mysql/seed_000.c` is
//! compiled against `capi/include/zoho_oauth.h` and the freshly built `libzoho_oauth.so`, runs
//! the grant exchange with the SDK's MySQL keys, and reads a row the SDK-style peer wrote
//! through the JSON configuration.
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "../../tests/common/mod.rs"]
mod common;
#[path = "../../tests/mysql/support.rs"]
mod support;

use std::path::PathBuf;
use std::process::Command;

use common::{ADA, SCOPES, TestEnv};
use mysql::prelude::Queryable;
use support::{admin, repo, rows, sdk_table, server_url};

/// `target/debug` (or the profile directory this test binary was built in).
fn lib_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().to_path_buf()
}

#[test]
fn seed_000_through_the_c_door_on_mariadb() {
    let Some(url) = server_url() else { return };
    let lib = lib_dir();
    // Make sure the shared library is the current code, whatever cargo built for the tests.
    let built = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "-p", "zoho-oauth-capi"])
        .current_dir(repo())
        .status()
        .expect("cargo runs");
    assert!(built.success(), "cargo build -p zoho-oauth-capi");
    assert!(
        lib.join("libzoho_oauth.so").exists(),
        "libzoho_oauth.so is built with the tests"
    );
    let table = sdk_table(&url, "c_seed", None);
    admin(&url)
        .query_drop(format!(
            "INSERT INTO zohooauth.`{table}` VALUES ('bob@example.com','1000.peer-bob','1000.rbob',4102444800000)"
        ))
        .unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let binary = out_dir.path().join("seed_000");
    // The library's soname (libzoho_oauth.so.0.1, see build.rs) points at the build output.
    for name in [
        "libzoho_oauth.so.0.1",
        "libzoho_oauth.so.0",
        "libzoho_oauth.so",
    ] {
        std::os::unix::fs::symlink(lib.join("libzoho_oauth.so"), out_dir.path().join(name))
            .unwrap();
    }
    let status = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()))
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-I"])
        .arg(repo().join("capi/include"))
        .arg(repo().join("tests/mysql/seed_000.c"))
        .arg("-L")
        .arg(out_dir.path())
        .arg("-lzoho_oauth")
        .arg(format!("-Wl,-rpath,{}", out_dir.path().display()))
        .arg("-o")
        .arg(&binary)
        .status()
        .expect("a C compiler (cc)");
    assert!(status.success(), "seed_000.c compiles");

    let env = TestEnv::start();
    let port = url.rsplit(':').next().unwrap().split('/').next().unwrap();
    let out = Command::new(&binary)
        .args([&env.emulator.url(), &env.grant(ADA, SCOPES), port, &table])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let stored = rows(&url, &table);
    let ada = stored.iter().find(|r| r.0 == ADA).expect("ada's row");
    assert_eq!(lines, [ada.1.as_str(), "1000.peer-bob"]);
    assert_eq!(stored.len(), 2);
    assert_eq!(env.counter("token.authorization_code"), 1);
}
