//! Migrating tokens from one store into another, for every door (the CLI's `migrate` is
//! its argument parsing and output around these). The source is only read. The target is
//! written as a whole under its lock, atomically, when it is a file ([`Target::File`],
//! [`Target::Csv`]); otherwise user by user under the users' locks ([`Target::EachUser`],
//! see [`policy`]). Without `force` only an empty target is written: for a file the check
//! and the write share one lock, so tokens another process saves meanwhile are never
//! overwritten.

use std::time::Duration;

use super::{FileStore, SdkCsvStore, TokenStore, policy};
use crate::config::StoreFormat;
use crate::error::Result;
use crate::token::Tokens;

/// Where a migration writes.
#[derive(Clone, Copy)]
pub enum Target<'a> {
    /// Our token file, replaced as a whole.
    File(&'a FileStore),
    /// The current SDKs' CSV, replaced as a whole.
    Csv(&'a SdkCsvStore),
    /// Any other store (MySQL, Redis): user by user.
    EachUser(&'a dyn TokenStore),
}

impl Target<'_> {
    /// The target as a store (for reading it back).
    pub fn store(&self) -> &dyn TokenStore {
        match *self {
            Target::File(file) => file,
            Target::Csv(csv) => csv,
            Target::EachUser(store) => store,
        }
    }
}

/// How a migration writes.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Replace what the target holds (without it, only an empty target is written).
    pub force: bool,
    /// How long to wait for each user's lock.
    pub wait: Duration,
}

/// What [`copy`] did.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// The entries written, in order.
    Copied(Vec<Tokens>),
    /// Nothing was written: the target (a [`Target::EachUser`] store) holds tokens of this
    /// many users and `force` was not given. (A file target says so in its error.)
    TargetNotEmpty(usize),
}

/// Copies `entries` into `target`. With a `relock` source, each entry of a
/// [`Target::EachUser`] target is re-read from that source under the user's lock in both
/// stores ([`policy::copy_all`], so a refresh that ran meanwhile is copied, not undone);
/// without one, each is saved as listed under the target's lock.
pub fn copy(
    relock: Option<&dyn TokenStore>,
    target: Target<'_>,
    entries: &[Tokens],
    options: Options,
) -> Result<Outcome> {
    match target {
        Target::File(file) if options.force => file.replace_all(entries)?,
        Target::File(file) => file.replace_all_if_empty(entries)?,
        Target::Csv(csv) => csv.replace_all(entries, !options.force)?,
        Target::EachUser(store) => return copy_each(relock, store, entries, options),
    }
    Ok(Outcome::Copied(entries.to_vec()))
}

/// [`copy`] into a store written user by user.
fn copy_each(
    relock: Option<&dyn TokenStore>,
    target: &dyn TokenStore,
    entries: &[Tokens],
    options: Options,
) -> Result<Outcome> {
    if !options.force {
        let held = target.list()?.len();
        if held > 0 {
            return Ok(Outcome::TargetNotEmpty(held));
        }
    }
    match relock {
        Some(source) => {
            policy::copy_all(source, target, entries, options.wait).map(Outcome::Copied)
        }
        None => {
            for entry in entries {
                policy::save_locked(target, entry, options.wait)?;
            }
            Ok(Outcome::Copied(entries.to_vec()))
        }
    }
}

/// The SDK's fields of `t`: the user (an empty one as none), the tokens and the expiry,
/// which every store keeps.
fn sdk_fields(t: &Tokens) -> Tokens {
    Tokens::new(
        t.user.clone().filter(|u| !u.is_empty()),
        t.access_token.clone(),
        t.refresh_token.clone(),
        t.expiry_time_ms,
    )
}

/// Whether `target` reads back the SDK's fields of every one of `copied` (it may hold
/// other users too).
pub fn reads_back(target: &dyn TokenStore, copied: &[Tokens]) -> Result<bool> {
    let held: Vec<Tokens> = target.list()?.iter().map(sdk_fields).collect();
    Ok(copied.iter().map(sdk_fields).all(|t| held.contains(&t)))
}

/// Whether the token file `file` holds exactly `entries`, in order, as its format keeps
/// them (the SDK's format keeps the SDK's fields only), read again from the disk.
pub fn file_reads_back(file: &FileStore, entries: &[Tokens]) -> Result<bool> {
    let keepable = |t: &Tokens| match file.format() {
        StoreFormat::Json => t.clone(),
        StoreFormat::PhpSdk => Tokens::new(
            t.user.clone(),
            t.access_token.clone(),
            t.refresh_token.clone(),
            t.expiry_time_ms,
        ),
    };
    let wanted: Vec<Tokens> = entries.iter().map(keepable).collect();
    // A store of its own reads the file as written (not what `file` may remember).
    Ok(FileStore::new(file.path(), file.format())?.list()? == wanted)
}

/// What writing `source` into a target holding `target` changes, by user.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Users the target does not hold yet.
    pub added: Vec<String>,
    /// Users the target holds with other tokens.
    pub replaced: Vec<String>,
    /// Users the target holds with the same tokens.
    pub unchanged: Vec<String>,
    /// Users only the target holds (removed only by a forced write of a whole file).
    pub removed: Vec<String>,
}

impl Changes {
    /// The changes from `target` to `source` (compared on the SDK's fields).
    pub fn between(target: &[Tokens], source: &[Tokens]) -> Changes {
        let same = |a: &Tokens, b: &Tokens| {
            a.user == b.user
                && a.access_token == b.access_token
                && a.refresh_token == b.refresh_token
                && a.expiry_time_ms == b.expiry_time_ms
        };
        let mut changes = Changes::default();
        for entry in source {
            let user = entry.user_or_empty().to_string();
            match target.iter().find(|t| t.user == entry.user) {
                None => changes.added.push(user),
                Some(t) if same(t, entry) => changes.unchanged.push(user),
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::secret::Secret;
    use crate::store::MemoryStore;

    fn tokens(user: &str, access: &str) -> Tokens {
        Tokens::new(Some(user.into()), Secret::new(access), None, 1)
    }

    const KEEP: Options = Options {
        force: false,
        wait: Duration::from_secs(5),
    };
    const FORCE: Options = Options {
        force: true,
        ..KEEP
    };

    #[test]
    fn a_file_target_is_written_whole_and_only_when_empty_unless_forced() {
        let dir = tempfile::tempdir().expect("dir");
        let file = FileStore::in_directory(dir.path(), StoreFormat::Json).expect("file");
        let mut first = [tokens("mig-ada", "a1"), tokens("mig-bob", "b1")];
        first[0].api_domain = Some("https://www.zohoapis.eu".into());
        let outcome = copy(None, Target::File(&file), &first, KEEP).expect("copy");
        assert_eq!(outcome, Outcome::Copied(first.to_vec()));
        assert!(file_reads_back(&file, &first).expect("read"));
        assert!(
            !file_reads_back(&file, &first[..1]).expect("read"),
            "exactly"
        );

        let second = [tokens("mig-cy", "c1")];
        let e = copy(None, Target::File(&file), &second, KEEP).expect_err("not empty");
        assert_eq!(e.kind(), ErrorKind::StoreIo, "{e}");
        assert_eq!(file.list().expect("list"), first, "nothing was written");
        copy(None, Target::File(&file), &second, FORCE).expect("forced");
        assert_eq!(file.list().expect("list"), second, "replaced as a whole");

        // The SDK's format keeps the SDK's fields: that is what reads back.
        let php = FileStore::in_directory(dir.path(), StoreFormat::PhpSdk).expect("php");
        copy(None, Target::File(&php), &first, KEEP).expect("copy");
        assert!(file_reads_back(&php, &first).expect("read"));
    }

    #[test]
    fn a_store_written_user_by_user_is_refused_when_it_holds_tokens() {
        let target = MemoryStore::new();
        target.save(&tokens("mig-dee", "d")).expect("save");
        let entries = [tokens("mig-eve", "e")];
        let outcome = copy(None, Target::EachUser(&target), &entries, KEEP).expect("copy");
        assert_eq!(outcome, Outcome::TargetNotEmpty(1));
        assert_eq!(
            target.get("mig-eve").expect("get"),
            None,
            "nothing was written"
        );
        let outcome = copy(None, Target::EachUser(&target), &entries, FORCE).expect("copy");
        assert_eq!(outcome, Outcome::Copied(entries.to_vec()));
        assert!(reads_back(&target, &entries).expect("read"));
        assert!(!reads_back(&target, &[tokens("mig-eve", "x")]).expect("read"));
    }

    #[test]
    fn changes_are_counted_by_user() {
        let target = [tokens("a", "1"), tokens("b", "2"), tokens("c", "3")];
        let source = [tokens("a", "1"), tokens("b", "9"), tokens("d", "4")];
        let changes = Changes::between(&target, &source);
        assert_eq!(changes.added, ["d"]);
        assert_eq!(changes.replaced, ["b"]);
        assert_eq!(changes.unchanged, ["a"]);
        assert_eq!(changes.removed, ["c"]);
    }
}
