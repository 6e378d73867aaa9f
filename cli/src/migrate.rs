//! `migrate`: copies every entry from one token store to another. Between the SDK's token
//! file and the JSON one, the source is only read and the target is written under the
//! store's lock, atomically, mode 0600. When a side is MySQL or Redis, entries are copied
//! user by user, each under both stores' refresh locks, through `zoho_oauth::store::open`
//! with that side's settings: the configured store keys, changed by `--from-set`/`--to-set`.
//! The copy and the read-back are the core's (`zoho_oauth::store::migrate`); this module is
//! the arguments, the sides and the output.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use zoho_oauth::seal::Sealed;
use zoho_oauth::store::BuiltInStore;
use zoho_oauth::store::migrate::{self, Outcome, Target};
use zoho_oauth::{Config, FileStore, StoreFormat, TokenStore, Tokens};

use crate::cli::MigrateArgs;
use crate::config::Settings;
use crate::exit::{Class, Failure};
use crate::output::{Output, warn};
use crate::sealing::side_sealer;
use crate::shared_side;

/// One side of a migration.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    /// A token file in this format.
    File(StoreFormat),
    /// A shared store (MySQL or Redis).
    Shared(BuiltInStore),
}

impl Side {
    /// The side a label names ([`BuiltInStore::parse`]).
    fn parse(value: &str) -> Result<Side, Failure> {
        let store = BuiltInStore::parse(value)?;
        Ok(match store.file_format() {
            Some(format) => Side::File(format),
            None => Side::Shared(store),
        })
    }

    /// The built-in store of this side.
    fn store(self) -> BuiltInStore {
        match self {
            Side::File(format) => BuiltInStore::file(format),
            Side::Shared(store) => store,
        }
    }

    /// Its label ([`BuiltInStore::label`]).
    fn name(self) -> &'static str {
        self.store().label()
    }
}

/// Runs the migration.
pub fn migrate(args: &MigrateArgs, settings: &Settings, out: Output) -> Result<(), Failure> {
    if crate::migrate_csv::applies(args) {
        return crate::migrate_csv::migrate(args, settings, out);
    }
    if args.dry_run {
        return Err(Failure::usage(
            "--dry-run works when csv is one side (so far)",
        ));
    }
    let to = match args.to.as_deref().map(str::trim) {
        Some(v) if !v.is_empty() => Side::parse(v)?,
        _ => {
            return Err(Failure::usage(
                "migrate needs --to php, json, csv, mysql or redis",
            ));
        }
    };
    let from = match (args.from.as_deref().map(str::trim), to) {
        (Some(v), _) if !v.is_empty() => Side::parse(v)?,
        (_, Side::File(StoreFormat::PhpSdk)) => Side::File(StoreFormat::Json),
        (_, Side::File(StoreFormat::Json)) => Side::File(StoreFormat::PhpSdk),
        (_, Side::Shared(_)) => Side::File(settings.store_format()?),
    };
    for (side, sets, flag) in [
        (from, &args.from_set, "--from-set"),
        (to, &args.to_set, "--to-set"),
    ] {
        if matches!(side, Side::File(_)) && !sets.is_empty() {
            return Err(Failure::usage(format!(
                "{flag} applies to a mysql or redis side, not to the {} file",
                side.name()
            )));
        }
    }
    match (from, to) {
        (Side::File(from), Side::File(to)) => migrate_files(args, settings, out, from, to),
        _ => migrate_shared(args, settings, out, from, to),
    }
}

/// File to file, as one locked, atomic write of the target.
fn migrate_files(
    args: &MigrateArgs,
    settings: &Settings,
    out: Output,
    from: StoreFormat,
    to: StoreFormat,
) -> Result<(), Failure> {
    let source_path = path_or_default(args.from_file.as_ref(), settings, from)?;
    let target_path = path_or_default(args.to_file.as_ref(), settings, to)?;
    if source_path == target_path {
        return Err(Failure::usage("the source and target are the same file"));
    }
    let opener = side_sealer(settings, true, None)?;
    let entries = opener.open_all(&existing_file(&source_path, from)?.list()?)?;
    let sealer = side_sealer(settings, false, args.to_encryption.as_deref())?;
    let written = sealer.seal_all(&entries)?;
    let target = FileStore::new(&target_path, to)?;
    // Without --force the emptiness check and the write share one lock: tokens a PHP or C
    // process saves after this command started are never overwritten.
    let options = migrate::Options {
        force: args.force,
        wait: Duration::ZERO,
    };
    migrate::copy(None, Target::File(&target), &written, options)?;
    if !migrate::file_reads_back(&target, &written)? {
        return Err(not_read_back(&target_path.display().to_string()));
    }
    report(out, &source_path, from, &target_path, to, &entries);
    Ok(())
}

/// The source file, which must exist.
fn existing_file(path: &Path, format: StoreFormat) -> Result<FileStore, Failure> {
    if !path.is_file() {
        return Err(Failure::new(
            Class::Store,
            format!(
                "there is no {} token file at {}",
                format.name(),
                path.display()
            ),
        )
        .with_hint("name it with --from-file, or check --token-dir"));
    }
    Ok(FileStore::new(path, format)?)
}

/// One side opened as a store, with a description for the report.
fn open_side(
    args: &MigrateArgs,
    settings: &Settings,
    side: Side,
    is_source: bool,
) -> Result<(Arc<dyn TokenStore>, String, Config), Failure> {
    let (file, sets) = if is_source {
        (args.from_file.as_ref(), &args.from_set)
    } else {
        (args.to_file.as_ref(), &args.to_set)
    };
    let sealer = side_sealer(settings, is_source, args.to_encryption.as_deref())?;
    match side {
        Side::File(format) => {
            let path = path_or_default(file, settings, format)?;
            let store = if is_source {
                existing_file(&path, format)?
            } else {
                FileStore::new(&path, format)?
            };
            let config = settings.config_without_secret()?;
            let store = Arc::new(Sealed::new(store, sealer));
            Ok((store, path.display().to_string(), config))
        }
        Side::Shared(store) => {
            let config = shared_side::config(settings, store, sets)?;
            let store = zoho_oauth::store::open_unsealed(&config)?;
            let store = Arc::new(Sealed::new(store, sealer));
            let described = store.describe();
            Ok((store, described, config))
        }
    }
}

/// To or from a shared store: user by user, each under both stores' refresh locks (so no
/// refresh on either side runs while its user is copied), re-read under the locks.
fn migrate_shared(
    args: &MigrateArgs,
    settings: &Settings,
    out: Output,
    from: Side,
    to: Side,
) -> Result<(), Failure> {
    let (source, source_text, _) = open_side(args, settings, from, true)?;
    let (target, target_text, config) = open_side(args, settings, to, false)?;
    if source_text == target_text {
        return Err(Failure::usage("the source and target are the same store"));
    }
    let entries = source.list()?;
    let options = migrate::Options {
        force: args.force,
        wait: config.policy().lock_timeout(),
    };
    let into = Target::EachUser(target.as_ref());
    let copied = match migrate::copy(Some(source.as_ref()), into, &entries, options)? {
        Outcome::Copied(copied) => copied,
        Outcome::TargetNotEmpty(held) => return Err(not_empty(&target_text, held)),
    };
    if !migrate::reads_back(target.as_ref(), &copied)? {
        return Err(not_read_back(&target_text));
    }
    report_shared(out, &source_text, from, &target_text, to, copied.len());
    Ok(())
}

/// A target written user by user that holds tokens without `--force`.
pub fn not_empty(target: &str, held: usize) -> Failure {
    Failure::new(
        Class::Store,
        format!("{target} already holds tokens of {held} user(s); nothing was written"),
    )
    .with_hint("replace them only deliberately: zoho-oauth migrate --force")
}

/// A target that does not read back what was written.
pub fn not_read_back(target: &str) -> Failure {
    Failure::new(
        Class::Internal,
        format!("{target} does not read back as written"),
    )
}

fn report_shared(out: Output, source: &str, from: Side, target: &str, to: Side, users: usize) {
    let count = match users {
        1 => "1 user".to_string(),
        n => format!("{n} users"),
    };
    out.result(
        &format!(
            "Copied {count} from {source} ({}) to {target} ({}); the source is kept.\n\
             To use it, set token_store={}.",
            from.name(),
            to.name(),
            to.store().kind().name(),
        ),
        json!({
            "users": users,
            "from": source,
            "from_format": from.name(),
            "to": target,
            "to_format": to.name(),
        }),
    );
}

fn path_or_default(
    given: Option<&PathBuf>,
    settings: &Settings,
    format: StoreFormat,
) -> Result<PathBuf, Failure> {
    match given {
        Some(path) => Ok(path.clone()),
        None => Ok(settings.token_dir()?.join(format.file_name())),
    }
}

fn report(
    out: Output,
    source: &Path,
    from: StoreFormat,
    target: &Path,
    to: StoreFormat,
    entries: &[Tokens],
) {
    let dropped = to == StoreFormat::PhpSdk
        && entries
            .iter()
            .any(|t| t.api_domain.is_some() || t.scope.is_some() || t.accounts_url.is_some());
    if dropped {
        warn(
            "the SDK format cannot hold api_domain, scope and accounts_url; they stay in the JSON source",
        );
    }
    let (source_text, target_text) = (source.display(), target.display());
    out.result(
        &format!(
            "Copied {} from {source_text} ({}) to {target_text} ({}); the source is kept.\n\
             To use it, set token_store_format={} (ZOHO_STORE_FORMAT, --store-format).",
            match entries.len() {
                1 => "1 user".to_string(),
                n => format!("{n} users"),
            },
            from.name(),
            to.name(),
            to.name(),
        ),
        json!({
            "users": entries.len(),
            "from": source_text.to_string(),
            "from_format": from.name(),
            "to": target_text.to_string(),
            "to_format": to.name(),
            "dropped_fields": dropped,
        }),
    );
}
