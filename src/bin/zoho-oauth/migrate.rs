//! `migrate`: copies every entry between the SDK's token file and the JSON one. The source
//! is only read; the target is written under the store's lock, atomically, mode 0600.

use std::path::{Path, PathBuf};

use serde_json::json;
use zoho_oauth::{FileStore, StoreFormat, TokenStore, Tokens};

use crate::args::Args;
use crate::config::Settings;
use crate::exit::{Class, Failure};
use crate::output::{Output, warn};

/// Runs the migration.
pub fn migrate(args: &Args, settings: &Settings, out: Output) -> Result<(), Failure> {
    if crate::migrate_csv::applies(args) {
        return crate::migrate_csv::migrate(args, settings, out);
    }
    if args.dry_run {
        return Err(Failure::usage(
            "--dry-run works with csv on one side (so far)",
        ));
    }
    let to = match args.to.as_deref().map(str::trim) {
        Some(v) if !v.is_empty() => StoreFormat::parse(v)?,
        _ => return Err(Failure::usage("migrate needs --to php, json or csv")),
    };
    let from = match to {
        StoreFormat::PhpSdk => StoreFormat::Json,
        StoreFormat::Json => StoreFormat::PhpSdk,
    };
    if let Some(given) = args.from.as_deref()
        && StoreFormat::parse(given)? != from
    {
        return Err(Failure::usage("--from must differ from --to"));
    }
    let source_path = path_or_default(args.from_file.as_ref(), settings, from)?;
    let target_path = path_or_default(args.to_file.as_ref(), settings, to)?;
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
    let entries = FileStore::new(&source_path, from)?.list()?;
    let target = FileStore::new(&target_path, to)?;
    // Without --force the emptiness check and the write share one lock: tokens a PHP or C
    // process saves after this command started are never overwritten.
    if args.force {
        target.replace_all(&entries)?;
    } else {
        target.replace_all_if_empty(&entries)?;
    }
    verify(&target_path, to, &entries)?;
    report(out, &source_path, from, &target_path, to, &entries);
    Ok(())
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

/// Re-reads the target and checks that it holds what the format can hold of every entry.
fn verify(path: &Path, format: StoreFormat, expected: &[Tokens]) -> Result<(), Failure> {
    let written = FileStore::new(path, format)?.list()?;
    let keepable = |t: &Tokens| match format {
        StoreFormat::Json => t.clone(),
        StoreFormat::PhpSdk => Tokens::new(
            t.user.clone(),
            t.access_token.clone(),
            t.refresh_token.clone(),
            t.expiry_time_ms,
        ),
    };
    let wanted: Vec<Tokens> = expected.iter().map(keepable).collect();
    if written != wanted {
        return Err(Failure::new(
            Class::Internal,
            format!("{} does not read back as written", path.display()),
        ));
    }
    Ok(())
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
