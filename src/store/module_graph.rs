//! The stores' module graphs are acyclic: in `src/store/mysql/` and `src/store/redis/`, no
//! module uses (directly or through others) a module that uses it. Edges are read from the
//! production source (comments and the `tests` module left out): `super::NAME` and
//! `crate::store::<store>::NAME` in a child name the sibling `NAME` (or the parent, `mod`,
//! when `NAME` is not a sibling); `NAME::` in `mod.rs` names its child `NAME`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every module of `dir` (by file stem) and the modules of `dir` it uses.
fn edges(dir: &Path, store: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut sources = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("store folder").flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "rs") {
            let stem = path
                .file_stem()
                .expect("stem")
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(&path).expect("source");
            sources.insert(stem, production_code(&text));
        }
    }
    let names: BTreeSet<String> = sources.keys().cloned().collect();
    let long = format!("crate::store::{store}::");
    sources
        .iter()
        .map(|(module, code)| {
            let mut used = BTreeSet::new();
            if module == "mod" {
                for child in names.iter().filter(|n| *n != "mod") {
                    if mentions(code, &format!("{child}::")) {
                        used.insert(child.clone());
                    }
                }
            } else {
                for path in paths_after(&code.replace(&long, "super::"), "super::") {
                    let target = if names.contains(&path) {
                        path
                    } else {
                        "mod".into()
                    };
                    if target != "super" && &target != module {
                        used.insert(target);
                    }
                }
            }
            (module.clone(), used)
        })
        .collect()
}

/// `text` without line comments and without its `#[cfg(test)] mod tests`.
fn production_code(text: &str) -> String {
    let text = text
        .find("#[cfg(test)]\nmod tests")
        .map_or(text, |end| &text[..end]);
    text.lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether `code` has `word` where it starts an identifier.
fn mentions(code: &str, word: &str) -> bool {
    code.match_indices(word).any(|(at, _)| {
        !code[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
    })
}

/// The first path segment after each `prefix` in `code` (each item of a `{...}` group).
fn paths_after(code: &str, prefix: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in code.match_indices(prefix) {
        let rest = &code[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            found.extend(group.split(',').map(first_segment));
        } else {
            found.push(first_segment(rest));
        }
    }
    found.into_iter().filter(|s| !s.is_empty()).collect()
}

/// The identifier at the start of `path`.
fn first_segment(path: &str) -> String {
    path.trim()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// A cycle in `graph`, if any (as the modules on it).
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            return Some(path[start..].to_vec());
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_checker_finds_a_circle_and_reads_groups() {
    let code = production_code("use super::{a, b as c};\n// use super::d;\nuse super::e::F;");
    assert_eq!(paths_after(&code, "super::"), ["a", "b", "e"]);
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a", &["b"][..]),
        ("b", &["c"][..]),
        ("c", &["a"][..]),
        ("d", &[][..]),
    ]
    .into_iter()
    .map(|(n, e)| (n.into(), e.iter().map(|s| s.to_string()).collect()))
    .collect();
    assert_eq!(cycle(&graph).map(|c| c.len()), Some(3));
    let mut dag = graph.clone();
    dag.insert("c".into(), BTreeSet::new());
    assert_eq!(cycle(&dag), None);
}

#[test]
fn the_stores_module_graphs_have_no_circle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store");
    for store in ["mysql", "redis", "sdk_csv"] {
        let graph = edges(&root.join(store), store);
        assert!(graph.len() > 3, "{store}: {graph:?}");
        assert!(
            graph.values().any(|used| !used.is_empty()),
            "{store}: edges were read"
        );
        assert_eq!(cycle(&graph), None, "{store}: {graph:?}");
    }
}

/// The store folder's own modules: each file (but `mod.rs`, the trait's home and every
/// module's parent) and each store folder as one node; an edge where one names another
/// (`super::NAME` in a file or a folder's `mod.rs`, `crate::store::NAME` anywhere).
fn top_level_edges(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    named_after(
        &module_sources(root, "mod", "crate::store::"),
        "crate::store::",
    )
}

/// The production code of each module directly in `dir`: each file but `skip.rs`, and each
/// folder as one module (every file under it but `tests.rs`; a file named like a folder and
/// the folder are one module). `super::` in those files and in a folder's `mod.rs` names
/// `dir`'s module: it is written as `parent` (`dir`'s path, e.g. `crate::store::`).
fn module_sources(dir: &Path, skip: &str, parent: &str) -> BTreeMap<String, String> {
    let mut sources: BTreeMap<String, String> = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("folder").flatten() {
        let path = entry.path();
        let stem = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        let code = if path.is_dir() {
            let top =
                production_code(&std::fs::read_to_string(path.join("mod.rs")).unwrap_or_default());
            let mut code = top.replace("super::", parent);
            code.push_str(&production_under(&path, true));
            code
        } else if path.extension().is_some_and(|e| e == "rs") && stem != skip {
            production_code(&std::fs::read_to_string(&path).expect("source"))
                .replace("super::", parent)
        } else {
            continue;
        };
        let module = sources.entry(stem).or_default();
        module.push_str(&code);
        module.push('\n');
    }
    sources
}

/// Each of `sources`' modules and the others it names after `prefix`.
fn named_after(
    sources: &BTreeMap<String, String>,
    prefix: &str,
) -> BTreeMap<String, BTreeSet<String>> {
    let names: BTreeSet<String> = sources.keys().cloned().collect();
    sources
        .iter()
        .map(|(module, code)| {
            let used = paths_after(code, prefix)
                .into_iter()
                .filter(|n| names.contains(n) && n != module)
                .collect();
            (module.clone(), used)
        })
        .collect()
}

#[test]
fn the_store_folders_own_modules_have_no_circle() {
    let graph = top_level_edges(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store"));
    let selector = &graph["built_in"];
    for store in ["entry", "file", "sdk_csv", "mysql", "redis"] {
        assert!(
            selector.contains(store),
            "the selector lists {store}: {selector:?}"
        );
    }
    assert!(graph["mysql"].contains("entry"), "{graph:?}");
    assert_eq!(cycle(&graph), None, "{graph:?}");
}

/// The production code of every `.rs` file under `dir` (but its own `mod.rs` when
/// `skip_mod`), tests modules and `tests.rs` files left out.
fn production_under(dir: &Path, skip_mod: bool) -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(dir).expect("folder").flatten() {
        let path = entry.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        if path.is_dir() {
            text.push_str(&production_under(&path, false));
        } else if path.extension().is_some_and(|e| e == "rs")
            && name.as_deref() != Some("tests.rs")
            && !(skip_mod && name.as_deref() == Some("mod.rs"))
        {
            text.push_str(&production_code(
                &std::fs::read_to_string(&path).expect("source"),
            ));
            text.push('\n');
        }
    }
    text
}

/// The core's modules (each file and folder of `src/` but `lib.rs`) and the others each
/// names (`crate::NAME`).
fn crate_edges(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    named_after(&module_sources(src, "lib", "crate::"), "crate::")
}

/// The core's modules form a graph without a circle: the store family (encryption at rest
/// included) uses neither `history` nor the client above it.
#[test]
fn the_cores_modules_have_no_circle() {
    let graph = crate_edges(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(graph["history"].contains("store"), "{graph:?}");
    assert!(graph["client"].contains("store"), "{graph:?}");
    assert_eq!(cycle(&graph), None, "{graph:?}");
}
