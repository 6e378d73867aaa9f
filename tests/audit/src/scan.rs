//! The scanner: finds any secret, or any 12-byte piece of one, in files.
//!
//! Every 12-byte window of every secret goes into a set; every 12-byte window of every file
//! is looked up. A longer leaked piece contains such a window, so any leaked substring of at
//! least 12 bytes is found. Hits are reported by file, offset and secret number, never with
//! the secret's text.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The shortest piece of a secret that counts as a leak.
pub const WINDOW: usize = 12;

/// One leak.
#[derive(Debug)]
pub struct Hit {
    /// The file.
    pub file: PathBuf,
    /// Byte offset of the leaked window.
    pub offset: usize,
    /// Which secret (its number in the list).
    pub secret: usize,
}

/// The result of a scan.
#[derive(Debug, Default)]
pub struct Scan {
    /// Files scanned.
    pub files: usize,
    /// Bytes scanned.
    pub bytes: usize,
    /// Leaks found (the first per file and secret).
    pub hits: Vec<Hit>,
}

/// Secrets to search for.
pub struct Needles {
    windows: HashMap<Vec<u8>, usize>,
    /// How many secrets.
    pub count: usize,
}

impl Needles {
    /// The windows of these secrets (shorter secrets count whole).
    pub fn new(secrets: &[String]) -> Needles {
        let mut windows = HashMap::new();
        for (i, s) in secrets.iter().enumerate() {
            let bytes = s.as_bytes();
            if bytes.len() < WINDOW {
                continue;
            }
            for w in bytes.windows(WINDOW) {
                windows.entry(w.to_vec()).or_insert(i);
            }
        }
        Needles {
            windows,
            count: secrets.len(),
        }
    }

    /// Scans one file's bytes.
    fn scan_bytes(&self, file: &Path, bytes: &[u8], out: &mut Scan) {
        let mut seen = HashSet::new();
        for (offset, w) in bytes.windows(WINDOW).enumerate() {
            if let Some(&secret) = self.windows.get(w)
                && seen.insert(secret)
            {
                out.hits.push(Hit {
                    file: file.to_path_buf(),
                    offset,
                    secret,
                });
            }
        }
        out.files += 1;
        out.bytes += bytes.len();
    }
}

/// Scans every file under `roots` for which `include` is true.
pub fn scan(needles: &Needles, roots: &[PathBuf], include: &dyn Fn(&Path) -> bool) -> Scan {
    let mut out = Scan::default();
    let mut stack: Vec<PathBuf> = roots.to_vec();
    while let Some(path) = stack.pop() {
        if !include(&path) {
            continue;
        }
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&path) {
                stack.extend(entries.filter_map(|e| e.ok().map(|e| e.path())));
            }
        } else if meta.is_file()
            && let Ok(bytes) = std::fs::read(&path)
        {
            needles.scan_bytes(&path, &bytes, &mut out);
        }
    }
    out
}

/// `zoho-oauth-audit scan SECRETS PATH...`: exits non-zero on any hit.
pub fn standalone(secrets: &str, paths: &[String]) -> Result<bool, String> {
    let text = std::fs::read_to_string(secrets).map_err(|e| format!("{secrets}: {e}"))?;
    let list: Vec<String> = text
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    let needles = Needles::new(&list);
    let roots: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    let result = scan(&needles, &roots, &|_| true);
    for hit in &result.hits {
        println!(
            "LEAK: secret #{} in {} at byte {}",
            hit.secret,
            hit.file.display(),
            hit.offset
        );
    }
    println!(
        "scan: {} files, {} bytes, {} secrets: {} hits",
        result.files,
        result.bytes,
        list.len(),
        result.hits.len()
    );
    Ok(result.hits.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_any_twelve_byte_piece_and_nothing_shorter() {
        let needles = Needles::new(&["1000.0123456789abcdef.fedcba9876543210".to_string()]);
        let mut out = Scan::default();
        needles.scan_bytes(Path::new("a"), b"x 89abcdef.fed y", &mut out);
        assert_eq!(out.hits.len(), 1);
        assert_eq!(out.hits[0].offset, 2);
        needles.scan_bytes(
            Path::new("b"),
            b"1000.0123456 is 12 but 1000.012345 is 11",
            &mut out,
        );
        assert_eq!(out.hits.len(), 2, "the first 12 bytes count too");
        needles.scan_bytes(Path::new("c"), b"1000.0123... 89abcdef.fe", &mut out);
        assert_eq!(out.hits.len(), 2);
    }
}
