//! `migrate --to csv` / `--from csv`: between the token file of Zoho's current SDKs
//! (`sdk_tokens.txt`, CSV; a 9-column php-sdk 2.x file is read too) and our token files
//! (the old SDK's `zcrm_oauthtokens.txt` or the JSON one), MySQL (either SDK's table) or
//! Redis. The source is only read; a file target is written under its lock, atomically; a
//! shared target user by user under its refresh locks; the target is read back (the copy,
//! the read-back and the changes are `zoho_oauth::store::migrate`'s). `--dry-run` shows
//! what would change and writes nothing.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::json;
use zoho_oauth::seal::{Sealed, Sealer};
use zoho_oauth::store::migrate::{self, Changes, Outcome, Target};
use zoho_oauth::store::sdk_csv::FILE_NAME;
use zoho_oauth::store::{BuiltInStore, SdkCsvStore, StoreClass};
use zoho_oauth::{FileStore, StoreFormat, TokenStore, Tokens};

use crate::cli::MigrateArgs;
use crate::config::Settings;
use crate::exit::{Class, Failure};
use crate::output::Output;
use crate::sealing::side_sealer;

/// One side of a CSV migration.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    /// `sdk_tokens.txt`.
    Csv,
    /// One of our token files.
    File(StoreFormat),
    /// MySQL or Redis, with the configured store keys and `--from-set` / `--to-set`.
    Shared(BuiltInStore),
}

impl Side {
    /// The side a label names ([`BuiltInStore::parse`]).
    fn parse(value: &str) -> Result<Side, Failure> {
        let store = BuiltInStore::parse(value)?;
        Ok(match store.class() {
            StoreClass::SdkCsv => Side::Csv,
            StoreClass::TokenFile(format) => Side::File(format),
            StoreClass::Shared => Side::Shared(store),
        })
    }

    /// Its label ([`BuiltInStore::label`]).
    fn name(self) -> &'static str {
        match self {
            Side::Csv => BuiltInStore::sdk_csv().label(),
            Side::File(format) => BuiltInStore::file(format).label(),
            Side::Shared(store) => store.label(),
        }
    }
}

/// Whether the command names the CSV on either side (then this module runs it).
pub fn applies(args: &MigrateArgs) -> bool {
    let is_csv = |v: &Option<String>| {
        v.as_deref()
            .is_some_and(|v| Side::parse(v).ok() == Some(Side::Csv))
    };
    is_csv(&args.to) || is_csv(&args.from)
}

/// Runs the migration.
pub fn migrate(args: &MigrateArgs, settings: &Settings, out: Output) -> Result<(), Failure> {
    let to = Side::parse(args.to.as_deref().unwrap_or_default())?;
    let from = match args.from.as_deref().map(str::trim) {
        Some(v) if !v.is_empty() => Side::parse(v)?,
        _ if to == Side::Csv => Side::File(settings.store_format()?),
        _ => Side::Csv,
    };
    if (from == Side::Csv) == (to == Side::Csv) {
        return Err(Failure::usage(
            "with csv, the other side is php, json, mysql or redis (e.g. migrate --from csv --to json)",
        ));
    }
    let source = open_side(args, settings, from, true)?;
    let target = open_side(args, settings, to, false)?;
    if source.text == target.text {
        return Err(Failure::usage("the source and target are the same store"));
    }
    let entries = source.store.list()?;
    let changes = Changes::between(&target.store.list()?, &entries);
    if args.dry_run {
        report(out, &source, &target, &entries, &changes, true);
        return Ok(());
    }
    write(settings, &target, &entries, args.force)?;
    if !migrate::reads_back(target.store.as_ref(), &entries)? {
        return Err(crate::migrate::not_read_back(&target.text));
    }
    report(out, &source, &target, &entries, &changes, false);
    Ok(())
}

/// One side, opened.
struct Opened {
    side: Side,
    /// Its file, for file sides.
    path: Option<PathBuf>,
    /// The path or the server, for messages.
    text: String,
    store: Box<dyn TokenStore>,
    /// How this side seals and opens values.
    sealer: Sealer,
}

fn open_side(
    args: &MigrateArgs,
    settings: &Settings,
    side: Side,
    is_source: bool,
) -> Result<Opened, Failure> {
    let (file, sets, flag) = if is_source {
        (args.from_file.as_ref(), &args.from_set, "--from-set")
    } else {
        (args.to_file.as_ref(), &args.to_set, "--to-set")
    };
    let sealer = side_sealer(settings, is_source, args.to_encryption.as_deref())?;
    if let Side::Shared(store) = side {
        let config = crate::shared_side::config(settings, store, sets)?;
        let store = zoho_oauth::store::open_unsealed(&config)?;
        let text = store.describe();
        return Ok(Opened {
            side,
            path: None,
            text,
            store: Box::new(Sealed::new(store, sealer.clone())),
            sealer,
        });
    }
    if !sets.is_empty() {
        return Err(Failure::usage(format!(
            "{flag} applies to a mysql or redis side, not to the {} file",
            side.name()
        )));
    }
    let path = path_of(file, settings, side)?;
    if is_source && !path.is_file() {
        return Err(Failure::new(
            Class::Store,
            format!(
                "there is no {} token file at {}",
                side.name(),
                path.display()
            ),
        )
        .with_hint("name it with --from-file, or check --token-dir"));
    }
    let store = open(settings, side, &path, &sealer)?;
    Ok(Opened {
        side,
        text: path.display().to_string(),
        path: Some(path),
        store,
        sealer,
    })
}

fn path_of(given: Option<&PathBuf>, settings: &Settings, side: Side) -> Result<PathBuf, Failure> {
    let name = match side {
        Side::Csv => FILE_NAME,
        Side::File(format) => format.file_name(),
        Side::Shared(_) => return Err(Failure::usage("a mysql or redis side has no file")),
    };
    match given {
        Some(path) => Ok(path.clone()),
        None => Ok(settings.token_dir()?.join(name)),
    }
}

/// The CSV store gets the configured client, so the rows it creates can be refreshed by the
/// SDK (the store's own defaults when no client ID and secret are configured).
fn csv_store(settings: &Settings, path: &Path) -> Result<SdkCsvStore, Failure> {
    let config = settings.config_without_secret()?;
    let store = SdkCsvStore::new(path)?;
    match config.client_secret() {
        Some(secret) if settings.client_id().is_some() => Ok(store.with_client(
            config.identity().client_id(),
            secret,
            config.identity().redirect_uri(),
        )),
        _ => Ok(store),
    }
}

fn open(
    settings: &Settings,
    side: Side,
    path: &Path,
    sealer: &Sealer,
) -> Result<Box<dyn TokenStore>, Failure> {
    let sealer = sealer.clone();
    Ok(match side {
        Side::Csv => Box::new(Sealed::new(csv_store(settings, path)?, sealer)),
        Side::File(format) => Box::new(Sealed::new(FileStore::new(path, format)?, sealer)),
        Side::Shared(_) => return Err(Failure::usage("a mysql or redis side has no file")),
    })
}

/// Without `--force`, only into an empty target: for a file, checked and written under one
/// lock; for a shared store, checked first, then user by user under its refresh locks
/// (`zoho_oauth::store::migrate::copy`).
fn write(
    settings: &Settings,
    target: &Opened,
    entries: &[Tokens],
    force: bool,
) -> Result<(), Failure> {
    let (csv, file);
    let sealed = target.sealer.seal_all(entries)?;
    let (into, wait, entries) = match (target.side, &target.path) {
        (Side::Csv, Some(path)) => {
            csv = csv_store(settings, path)?;
            (Target::Csv(&csv), Duration::ZERO, &sealed[..])
        }
        (Side::File(format), Some(path)) => {
            file = FileStore::new(path, format)?;
            (Target::File(&file), Duration::ZERO, &sealed[..])
        }
        _ => (
            Target::EachUser(target.store.as_ref()),
            settings.config_without_secret()?.policy().lock_timeout(),
            entries,
        ),
    };
    match migrate::copy(None, into, entries, migrate::Options { force, wait })? {
        Outcome::Copied(_) => Ok(()),
        Outcome::TargetNotEmpty(held) => Err(crate::migrate::not_empty(&target.text, held)),
    }
}

/// The changes as the human output lists them.
fn human(changes: &Changes) -> String {
    let list = |v: &[String]| {
        if v.is_empty() {
            "-".to_string()
        } else {
            v.join(", ")
        }
    };
    format!(
        "  add: {}\n  replace: {}\n  unchanged: {}\n  remove (only with --force, into a file): {}",
        list(&changes.added),
        list(&changes.replaced),
        list(&changes.unchanged),
        list(&changes.removed)
    )
}

fn report(
    out: Output,
    source: &Opened,
    target: &Opened,
    entries: &[Tokens],
    changes: &Changes,
    dry_run: bool,
) {
    let (from, to) = (source.side, target.side);
    let users = match entries.len() {
        1 => "1 user".to_string(),
        n => format!("{n} users"),
    };
    let (source_text, target_text) = (&source.text, &target.text);
    let head = if dry_run {
        format!(
            "Dry run: would copy {users} from {source_text} ({}) to {target_text} ({}); nothing was written.",
            from.name(),
            to.name()
        )
    } else {
        format!(
            "Copied {users} from {source_text} ({}) to {target_text} ({}); the source is kept.",
            from.name(),
            to.name()
        )
    };
    out.result(
        &format!("{head}\n{}", human(changes)),
        json!({
            "dry_run": dry_run,
            "users": entries.len(),
            "from": source_text,
            "from_format": from.name(),
            "to": target_text,
            "to_format": to.name(),
            "added": changes.added,
            "replaced": changes.replaced,
            "unchanged": changes.unchanged,
            "removed": changes.removed,
        }),
    );
}
