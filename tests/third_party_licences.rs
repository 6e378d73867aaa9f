//! THIRD-PARTY-LICENSES.md against the dependency graph of today's `Cargo.lock`: it lists
//! exactly the crates compiled into the shipped binaries (every crate `cargo tree` shows under
//! the PHP extension, the C library and the CLI through normal dependencies, on the platforms
//! about.toml names), each with the licence its Cargo metadata declares, and each crate has
//! the full text of a licence it is under. A dependency added, removed or upgraded without
//! `bash scripts/licences.sh` fails here.
//!
//! `cargo tree` and not `cargo metadata`: metadata's graph unifies the features of the whole
//! workspace, test-only dependencies included (criterion turns on an optional crate of
//! flate2's that no shipped binary contains); `cargo tree -p` resolves them as a build of
//! these packages does, as cargo-about does.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// The shipped binaries' packages: the C library, the CLI and the PHP extension.
const SHIPPED: &[&str] = &["zoho-oauth-capi", "zoho-oauth-cli", "zoho-oauth-php"];
/// The platforms of about.toml's `targets`.
const PLATFORMS: &[&str] = &["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu"];

/// A crate: name and version.
type Crate = (String, String);

/// Every crate in the shipped binaries (normal dependencies: build scripts' and tests' are not
/// in the binaries), ours included, with its declared licence: `cargo tree`, from the local
/// registry and the lock file.
fn shipped_crates() -> BTreeMap<Crate, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut command = Command::new(cargo);
    command.args([
        "tree",
        "--locked",
        "--offline",
        "-e",
        "normal",
        "--prefix",
        "none",
    ]);
    command.args(["--format", "{p}|{l}"]);
    command
        .arg("--manifest-path")
        .arg(Path::new(ROOT).join("Cargo.toml"));
    for package in SHIPPED {
        command.args(["-p", package]);
    }
    for platform in PLATFORMS {
        command.args(["--target", platform]);
    }
    let out = command.output().expect("cargo tree runs");
    assert!(out.status.success(), "cargo tree: {out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| {
            let (package, licence) = line.split_once('|')?;
            let mut words = package.split_whitespace();
            let name = words.next()?.to_string();
            let version = words.next()?.trim_start_matches('v').to_string();
            // The old `MIT/Apache-2.0` form is SPDX's `MIT OR Apache-2.0`, as cargo-about writes it.
            let licence = licence.trim_end_matches(" (*)").trim().replace('/', " OR ");
            Some(((name, version), licence))
        })
        .collect()
}

/// The notices file, read once.
fn notices() -> String {
    std::fs::read_to_string(Path::new(ROOT).join("THIRD-PARTY-LICENSES.md"))
        .expect("THIRD-PARTY-LICENSES.md (bash scripts/licences.sh)")
}

/// The table of crates: `| name | version | licence |` rows.
fn listed_crates(notices: &str) -> BTreeMap<Crate, String> {
    notices
        .lines()
        .skip_while(|l| *l != "## Crates")
        .take_while(|l| *l != "## Licence texts")
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            match cells[..] {
                [name, version, licence] if version.starts_with(|c: char| c.is_ascii_digit()) => {
                    Some(((name.to_string(), version.to_string()), licence.to_string()))
                }
                _ => None,
            }
        })
        .collect()
}

/// One licence text: its SPDX id, the crates it is used by, and the text.
struct LicenceText {
    id: String,
    used_by: BTreeSet<Crate>,
    body: String,
}

/// The licence texts section: `### Name (ID)`, `Used by:` with `- name version` items, then
/// the text in a fenced block.
fn licence_texts(notices: &str) -> Vec<LicenceText> {
    let section = notices
        .split_once("\n## Licence texts\n")
        .expect("a licence texts section")
        .1;
    section
        .split("\n### ")
        .skip(1)
        .map(|block| {
            let heading = block.lines().next().unwrap_or_default();
            let id = heading
                .rsplit_once('(')
                .map(|(_, id)| id.trim_end_matches(')').to_string())
                .unwrap_or_default();
            let used_by = block
                .lines()
                .filter_map(|l| l.strip_prefix("- "))
                .filter_map(|l| l.split_once(' '))
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect();
            let body = block
                .split_once("```text\n")
                .and_then(|(_, rest)| rest.rsplit_once("```"))
                .map(|(body, _)| body.to_string())
                .unwrap_or_default();
            LicenceText { id, used_by, body }
        })
        .collect()
}

/// Words every text of the licence `id` contains (a text that does not is not that licence).
fn marker(id: &str) -> &'static str {
    match id {
        "MIT" => "Permission is hereby granted, free of charge",
        "Apache-2.0" => "Apache License",
        "ISC" => "Permission to use, copy, modify, and/or distribute",
        "BSD-2-Clause" | "BSD-3-Clause" => "Redistribution and use in source and binary forms",
        "BSL-1.0" => "Boost Software License",
        "Unicode-3.0" => "UNICODE",
        "CDLA-Permissive-2.0" => "Community Data License Agreement",
        "Zlib" => "This software is provided 'as-is'",
        other => panic!("{other} is not in about.toml's accepted list; add a marker here too"),
    }
}

#[test]
fn the_notices_list_exactly_the_crates_of_the_shipped_binaries() {
    let graph = shipped_crates();
    let listed = listed_crates(&notices());
    assert!(graph.len() > 100, "{} crates in the graph", graph.len());
    let missing: Vec<_> = graph.keys().filter(|c| !listed.contains_key(*c)).collect();
    let extra: Vec<_> = listed.keys().filter(|c| !graph.contains_key(*c)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "THIRD-PARTY-LICENSES.md is stale (run bash scripts/licences.sh): missing {missing:?}, not in the graph {extra:?}"
    );
    for (krate, declared) in &graph {
        if !declared.is_empty() {
            assert_eq!(&listed[krate], declared, "{krate:?}: the declared licence");
        }
    }
}

#[test]
fn every_listed_crate_has_the_full_text_of_its_licence() {
    let notices = notices();
    let listed = listed_crates(&notices);
    let texts = licence_texts(&notices);
    assert!(!texts.is_empty(), "no licence texts");
    for text in &texts {
        assert!(
            text.body.contains(marker(&text.id)),
            "the {} text used by {:?} is not that licence",
            text.id,
            text.used_by
        );
        for krate in &text.used_by {
            assert!(listed.contains_key(krate), "{krate:?} is not in the table");
        }
    }
    for (krate, licence) in &listed {
        let ids: Vec<&str> = texts
            .iter()
            .filter(|t| t.used_by.contains(krate))
            .map(|t| t.id.as_str())
            .collect();
        assert!(!ids.is_empty(), "{krate:?} has no licence text");
        assert!(
            ids.iter().all(|id| licence.contains(id)),
            "{krate:?} ({licence}) has the text of {ids:?}"
        );
    }
}

/// The Debian packages' copyright file names every licence the notices use, and each
/// package's own copy of the notices (`@PACKAGE@`: the package's name).
#[test]
fn the_debian_copyright_names_every_licence_of_the_notices() {
    let copyright = std::fs::read_to_string(Path::new(ROOT).join("packaging/deb/copyright"))
        .expect("packaging/deb/copyright");
    for text in licence_texts(&notices()) {
        assert!(
            copyright.contains(&text.id),
            "packaging/deb/copyright does not name {}",
            text.id
        );
    }
    assert!(copyright.contains("/usr/share/doc/@PACKAGE@/THIRD-PARTY-LICENSES.md.gz"));
}
