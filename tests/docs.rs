//! The documentation cannot drift from what the tests run: every code block marked
//! `<!-- example: PATH -->` equals the file it names (files that `scripts/test-docs.sh` runs),
//! every example file is shown somewhere, every code block of the README is such an example,
//! every relative link and anchor of the user documentation resolves, the README stays short
//! and every page says which version it describes.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const MARKER: &str = "<!-- example: ";

/// Pages written on other branches of this release: linked from here before they land, and
/// not yet held to the rules below (add them once they follow them: a version line, code
/// blocks that are examples or say why they are not run).
const PENDING_PAGES: &[&str] = &[];

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The user documentation: the README, CONTRIBUTING.md and every page of docs/ but the
/// pending ones.
fn pages() -> Vec<PathBuf> {
    let mut pages = vec![
        PathBuf::from(ROOT).join("README.md"),
        PathBuf::from(ROOT).join("CONTRIBUTING.md"),
    ];
    let mut docs: Vec<PathBuf> = fs::read_dir(Path::new(ROOT).join("docs"))
        .expect("docs/")
        .map(|entry| entry.expect("docs/ entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .filter(|path| {
            let name = path.strip_prefix(ROOT).expect("inside the tree");
            !PENDING_PAGES.iter().any(|p| name == Path::new(p))
        })
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}

/// A fenced code block: its first line number, the marker line before it (if any), its text.
struct Block {
    line: usize,
    example: Option<String>,
    /// The reason of a `<!-- not run: REASON -->` line before the block.
    not_run: Option<String>,
    lang: String,
    text: String,
}

fn blocks(markdown: &str) -> Vec<Block> {
    let mut found = Vec::new();
    let mut lines = markdown.lines().enumerate().peekable();
    let mut previous = "";
    while let Some((n, line)) = lines.next() {
        if !line.trim_start().starts_with("```") {
            previous = line;
            continue;
        }
        let fence = &line[..line.len() - line.trim_start().len()];
        let lang = line.trim_start().trim_start_matches('`').to_string();
        let mut text = String::new();
        for (_, inner) in lines.by_ref() {
            if inner.trim_start().starts_with("```") {
                break;
            }
            text.push_str(inner.strip_prefix(fence).unwrap_or(inner));
            text.push('\n');
        }
        let example = previous
            .trim()
            .strip_prefix(MARKER)
            .and_then(|rest| rest.strip_suffix(" -->"))
            .map(str::to_string);
        let not_run = previous
            .trim()
            .strip_prefix("<!-- not run: ")
            .and_then(|rest| rest.strip_suffix(" -->"))
            .map(str::to_string);
        found.push(Block {
            line: n + 1,
            example,
            not_run,
            lang,
            text,
        });
        previous = "";
    }
    found
}

#[test]
fn every_example_block_equals_its_file_and_every_file_is_shown() {
    let mut shown = BTreeSet::new();
    for page in pages() {
        for block in blocks(&read(&page)) {
            let Some(example) = block.example else {
                continue;
            };
            let file = read(&Path::new(ROOT).join(&example));
            assert_eq!(
                block.text,
                file,
                "{}:{}: the block differs from {example}",
                page.display(),
                block.line
            );
            shown.insert(example);
        }
    }
    for entry in fs::read_dir(Path::new(ROOT).join("docs/examples")).expect("docs/examples") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        let example = format!("docs/examples/{name}");
        assert!(shown.contains(&example), "{example} is shown on no page");
    }
}

/// The pages whose every code block is a program or command the tests run.
const ALL_RUN: &[&str] = &[
    "README.md",
    "docs/php.md",
    "docs/c.md",
    "docs/bridge.md",
    "docs/rust.md",
];

/// Languages of blocks that hold data, not a command or a program (SQL is checked below).
const DATA: &[&str] = &["ini", "json", "sql", "text"];

#[test]
fn every_command_or_program_block_is_run_or_says_why_not() {
    for page in pages() {
        let name = page.strip_prefix(ROOT).expect("inside the tree");
        let all_run = ALL_RUN.iter().any(|p| name == Path::new(p));
        for block in blocks(&read(&page)) {
            let at = format!("{}:{}", name.display(), block.line);
            if block.example.is_some() {
                continue;
            }
            assert!(
                !all_run,
                "{at}: a code block that is not an example file the tests run (docs/examples/)"
            );
            assert!(
                block.not_run.is_some() || DATA.contains(&block.lang.as_str()),
                "{at}: a `{}` block that is neither an example file nor marked <!-- not run: REASON -->",
                block.lang
            );
        }
    }
    let readme = blocks(&read(&Path::new(ROOT).join("README.md")));
    assert!(readme.len() >= 6, "the README's quick starts");
}

#[test]
fn the_readme_is_short_and_keeps_the_demo_and_test_commands() {
    let readme = read(&Path::new(ROOT).join("README.md"));
    assert!(
        readme.lines().count() < 250,
        "README.md: {} lines",
        readme.lines().count()
    );
    let ci = read(&Path::new(ROOT).join(".ci/run"));
    for command in ["bash scripts/demo.sh", "bash scripts/test.sh"] {
        assert!(readme.contains(command), "README.md lacks `{command}`");
    }
    assert!(
        ci.contains("\nbash scripts/test.sh\n"),
        ".ci/run runs the README's test command"
    );
}

#[test]
fn every_page_says_which_version_it_describes() {
    let version = env!("CARGO_PKG_VERSION");
    let mut all = pages();
    for extra in [
        "php/README.md",
        "php/bridge/README.md",
        "capi/include/README.md",
    ] {
        all.push(PathBuf::from(ROOT).join(extra));
    }
    for page in all {
        let text = read(&page);
        let head: String = text.lines().take(8).collect::<Vec<_>>().join(" ");
        let says = head.contains(&format!("describes zoho-oauth {version}"))
            || head.contains(&format!("describes zoho-oauth/sdk-bridge {version}"));
        let exempt = page.ends_with("docs/hardening.md");
        assert!(
            says || exempt,
            "{}: no \"describes zoho-oauth {version}\" at the top",
            page.display()
        );
    }
}

/// GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn anchors(markdown: &str) -> BTreeSet<String> {
    let mut in_code = false;
    let mut found = BTreeSet::new();
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        } else if !in_code && line.starts_with('#') {
            found.insert(slug(line.trim_start_matches('#')));
        }
    }
    found
}

/// The `](target)` links of a page, outside code blocks.
fn links(markdown: &str) -> Vec<String> {
    let mut in_code = false;
    let mut found = Vec::new();
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            rest = &rest[at + 2..];
            if let Some(end) = rest.find(')') {
                found.push(rest[..end].to_string());
            }
        }
    }
    found
}

#[test]
fn every_relative_link_and_anchor_resolves() {
    for page in pages() {
        let text = read(&page);
        let dir = page.parent().expect("a page's directory");
        for link in links(&text) {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            let (file, anchor) = link.split_once('#').unwrap_or((&link, ""));
            let target = if file.is_empty() {
                page.clone()
            } else {
                dir.join(file)
            };
            let relative = target
                .canonicalize()
                .ok()
                .and_then(|t| t.strip_prefix(ROOT).ok().map(|p| p.display().to_string()));
            if !target.exists() {
                let normal = dir.strip_prefix(ROOT).expect("inside the tree").join(file);
                let pending = PENDING_PAGES.iter().any(|p| normal == Path::new(p));
                assert!(pending, "{}: broken link {link}", page.display());
                continue;
            }
            if !anchor.is_empty() && target.extension().is_some_and(|e| e == "md") {
                assert!(
                    anchors(&read(&target)).contains(anchor),
                    "{}: no heading #{anchor} in {}",
                    page.display(),
                    relative.unwrap_or_default()
                );
            }
        }
    }
}

/// A statement list as compared: whitespace collapsed, the statements' `;` dropped.
#[cfg(feature = "mysql")]
fn statements(sql: &str) -> Vec<String> {
    sql.split(';')
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .collect()
}

#[test]
#[cfg(feature = "mysql")] // the MySQL store (cargo feature `mysql`)
fn the_fleet_pages_sql_is_what_mysql_create_runs() {
    use zoho_oauth::store::mysql::{MysqlSettings, schema};
    let fleet = read(&Path::new(ROOT).join("docs/fleet.md"));
    let sql: Vec<String> = blocks(&fleet)
        .into_iter()
        .filter(|b| b.text.contains("CREATE "))
        .map(|b| b.text)
        .collect();
    assert_eq!(sql.len(), 2, "docs/fleet.md: the two layouts' DDL");
    let config = zoho_oauth::Config::from_pairs([
        ("client_id", "1000.X"),
        ("client_secret", "s"),
        ("redirect_uri", "https://example.com/cb"),
        ("token_store", "mysql"),
    ])
    .expect("a MySQL configuration");
    let settings = MysqlSettings::from_config(&config).expect("the default settings");
    assert_eq!(
        statements(&sql[0]),
        schema::create_statements(&settings).to_vec()
    );
    assert_eq!(
        statements(&sql[1]),
        vec![schema::create_oauthtoken_table("oauthtoken")]
    );
}

/// The text of CONTRIBUTING.md's `## Layout` section.
fn layout_section() -> String {
    let text = read(&Path::new(ROOT).join("CONTRIBUTING.md"));
    let start = text
        .find("\n## Layout\n")
        .expect("CONTRIBUTING.md has a Layout section");
    let rest = &text[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    rest[..end].to_string()
}

/// The names of the entries directly in `dir` (of the repository), without `.rs`, skipping
/// hidden ones and build output.
fn entries(dir: &str) -> BTreeSet<String> {
    fs::read_dir(Path::new(ROOT).join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.') && name != "target")
        .map(|name| name.trim_end_matches(".rs").to_string())
        .collect()
}

#[test]
fn the_layout_section_names_every_folder_and_every_core_module() {
    let layout = layout_section();
    let mut missing = Vec::new();
    let folders = entries(".")
        .into_iter()
        .filter(|name| Path::new(ROOT).join(name).is_dir());
    for folder in folders {
        if !layout.contains(&format!("{folder}/")) {
            missing.push(format!("{folder}/"));
        }
    }
    for module in entries("src") {
        if module != "lib" && !layout.contains(&module) {
            missing.push(format!("src/{module}"));
        }
    }
    for module in entries("src/store") {
        if !layout.contains(&module) {
            missing.push(format!("src/store/{module}"));
        }
    }
    assert!(
        missing.is_empty(),
        "CONTRIBUTING.md's Layout section does not name: {missing:?}"
    );
}
