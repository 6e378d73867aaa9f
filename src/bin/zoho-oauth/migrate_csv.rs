//! `migrate --to csv` / `--from csv`: between the token file of Zoho's current SDKs
//! (`sdk_tokens.txt`, CSV; a 9-column php-sdk 2.x file is read too) and our token files
//! (the old SDK's `zcrm_oauthtokens.txt` or the JSON one). The source is only read; the
//! target is written under its lock, atomically, and read back. `--dry-run` shows what would
//! change and writes nothing.

use std::path::{Path, PathBuf};

use serde_json::json;
use zoho_oauth::store::SdkCsvStore;
use zoho_oauth::store::sdk_csv::FILE_NAME;
use zoho_oauth::{FileStore, StoreFormat, TokenStore, Tokens};

use crate::args::Args;
use crate::config::Settings;
use crate::exit::{Class, Failure};
use crate::output::Output;

/// One side of a CSV migration.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    /// `sdk_tokens.txt`.
    Csv,
    /// One of our token files.
    File(StoreFormat),
}

impl Side {
    fn parse(value: &str) -> Result<Side, Failure> {
        match value.trim().to_ascii_lowercase().as_str() {
            "csv" | "sdk_tokens" => Ok(Side::Csv),
            other => Ok(Side::File(StoreFormat::parse(other)?)),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Side::Csv => "csv",
            Side::File(format) => format.name(),
        }
    }
}

/// Whether the command names the CSV on either side (then this module runs it).
pub fn applies(args: &Args) -> bool {
    let is_csv = |v: &Option<String>| {
        v.as_deref()
            .is_some_and(|v| Side::parse(v).ok() == Some(Side::Csv))
    };
    is_csv(&args.to) || is_csv(&args.from)
}

/// Runs the migration.
pub fn migrate(args: &Args, settings: &Settings, out: Output) -> Result<(), Failure> {
    let to = Side::parse(args.to.as_deref().unwrap_or_default())?;
    let from = match args.from.as_deref().map(str::trim) {
        Some(v) if !v.is_empty() => Side::parse(v)?,
        _ if to == Side::Csv => Side::File(settings.store_format()?),
        _ => Side::Csv,
    };
    if (from == Side::Csv) == (to == Side::Csv) {
        return Err(Failure::usage(
            "with csv, the other side is php or json (e.g. migrate --from csv --to json)",
        ));
    }
    let source_path = path_of(args.from_file.as_ref(), settings, from)?;
    let target_path = path_of(args.to_file.as_ref(), settings, to)?;
    if source_path == target_path {
        return Err(Failure::usage("the source and target are the same file"));
    }
    if !source_path.is_file() {
        return Err(Failure::new(
            Class::Store,
            format!(
                "there is no {} token file at {}",
                from.name(),
                source_path.display()
            ),
        )
        .with_hint("name it with --from-file, or check --token-dir"));
    }
    let entries = open(settings, from, &source_path)?.list()?;
    let target = open(settings, to, &target_path)?;
    let changes = Changes::between(&target.list()?, &entries);
    if args.dry_run {
        report(
            out,
            &source_path,
            from,
            &target_path,
            to,
            &entries,
            &changes,
            true,
        );
        return Ok(());
    }
    write(settings, to, &target_path, &entries, args.force)?;
    verify(
        open(settings, to, &target_path)?.as_ref(),
        &target_path,
        &entries,
    )?;
    report(
        out,
        &source_path,
        from,
        &target_path,
        to,
        &entries,
        &changes,
        false,
    );
    Ok(())
}

fn path_of(given: Option<&PathBuf>, settings: &Settings, side: Side) -> Result<PathBuf, Failure> {
    match (given, side) {
        (Some(path), _) => Ok(path.clone()),
        (None, Side::Csv) => Ok(settings.token_dir()?.join(FILE_NAME)),
        (None, Side::File(format)) => Ok(settings.token_dir()?.join(format.file_name())),
    }
}

/// The CSV store gets the configured client, so the rows it creates can be refreshed by the
/// SDK (placeholders when none is configured).
fn csv_store(settings: &Settings, path: &Path) -> Result<SdkCsvStore, Failure> {
    let config = settings.config_with_placeholders()?;
    let placeholder = |v: &str| v == "unset";
    let store = SdkCsvStore::new(path)?;
    if placeholder(&config.client_id) || placeholder(config.client_secret.expose()) {
        return Ok(store);
    }
    Ok(store.with_client(
        &config.client_id,
        &config.client_secret,
        &config.redirect_uri,
    ))
}

fn open(settings: &Settings, side: Side, path: &Path) -> Result<Box<dyn TokenStore>, Failure> {
    Ok(match side {
        Side::Csv => Box::new(csv_store(settings, path)?),
        Side::File(format) => Box::new(FileStore::new(path, format)?),
    })
}

/// Without `--force`, only into an empty target, checked and written under one lock.
fn write(
    settings: &Settings,
    to: Side,
    path: &Path,
    entries: &[Tokens],
    force: bool,
) -> Result<(), Failure> {
    match to {
        Side::Csv => csv_store(settings, path)?.replace_all(entries, !force)?,
        Side::File(format) => {
            let store = FileStore::new(path, format)?;
            if force {
                store.replace_all(entries)?;
            } else {
                store.replace_all_if_empty(entries)?;
            }
        }
    }
    Ok(())
}

/// The fields both formats keep: user, access and refresh token, expiry.
fn shared_fields(t: &Tokens) -> (Option<String>, String, Option<String>, i64) {
    (
        t.user.clone(),
        t.access_token.expose().to_string(),
        t.refresh_token.as_ref().map(|r| r.expose().to_string()),
        t.expiry_time_ms,
    )
}

fn verify(store: &dyn TokenStore, path: &Path, expected: &[Tokens]) -> Result<(), Failure> {
    let written: Vec<_> = store.list()?.iter().map(shared_fields).collect();
    let wanted: Vec<_> = expected.iter().map(shared_fields).collect();
    if written != wanted {
        return Err(Failure::new(
            Class::Internal,
            format!("{} does not read back as written", path.display()),
        ));
    }
    Ok(())
}

/// What a write would do to the target, by user.
struct Changes {
    added: Vec<String>,
    replaced: Vec<String>,
    unchanged: Vec<String>,
    removed: Vec<String>,
}

impl Changes {
    fn between(target: &[Tokens], source: &[Tokens]) -> Changes {
        let mut changes = Changes {
            added: vec![],
            replaced: vec![],
            unchanged: vec![],
            removed: vec![],
        };
        for entry in source {
            let user = entry.user_or_empty().to_string();
            match target.iter().find(|t| t.user == entry.user) {
                None => changes.added.push(user),
                Some(t) if shared_fields(t) == shared_fields(entry) => changes.unchanged.push(user),
                Some(_) => changes.replaced.push(user),
            }
        }
        changes.removed = target
            .iter()
            .filter(|t| !source.iter().any(|s| s.user == t.user))
            .map(|t| t.user_or_empty().to_string())
            .collect();
        changes
    }

    fn human(&self) -> String {
        let list = |v: &[String]| {
            if v.is_empty() {
                "-".to_string()
            } else {
                v.join(", ")
            }
        };
        format!(
            "  add: {}\n  replace: {}\n  unchanged: {}\n  remove (only with --force): {}",
            list(&self.added),
            list(&self.replaced),
            list(&self.unchanged),
            list(&self.removed)
        )
    }
}

#[allow(clippy::too_many_arguments)]
fn report(
    out: Output,
    source: &Path,
    from: Side,
    target: &Path,
    to: Side,
    entries: &[Tokens],
    changes: &Changes,
    dry_run: bool,
) {
    let users = match entries.len() {
        1 => "1 user".to_string(),
        n => format!("{n} users"),
    };
    let (source_text, target_text) = (source.display(), target.display());
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
        &format!("{head}\n{}", changes.human()),
        json!({
            "dry_run": dry_run,
            "users": entries.len(),
            "from": source_text.to_string(),
            "from_format": from.name(),
            "to": target_text.to_string(),
            "to_format": to.name(),
            "added": changes.added,
            "replaced": changes.replaced,
            "unchanged": changes.unchanged,
            "removed": changes.removed,
        }),
    );
}
