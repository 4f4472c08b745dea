//! The module boundaries the code is meant to keep, checked on the source itself: no import cycle
//! between the core's top-level modules, the shared domain types and the pure analysis at the
//! bottom, and none of the command line's crates named outside the CLI. (`scripts/test.sh` also
//! builds the library without the `cli` feature, which is the compiler's version of the last.)

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const SRC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src");

/// Top-level modules of the library (not the CLI, which is the binary's).
fn modules() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(SRC)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            let name = p.file_stem()?.to_str()?.to_string();
            let keep = p.is_dir() || p.extension().is_some_and(|e| e == "rs");
            (keep && !["lib", "main", "cli"].contains(&name.as_str())).then_some(name)
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

fn rust_files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    if !path.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in fs::read_dir(path).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            files.extend(rust_files(&p));
        } else if p.extension().is_some_and(|e| e == "rs") {
            files.push(p);
        }
    }
    files
}

fn module_files(module: &str) -> Vec<PathBuf> {
    let dir = Path::new(SRC).join(module);
    let file = Path::new(SRC).join(format!("{module}.rs"));
    let mut files = rust_files(&dir);
    if file.is_file() {
        files.push(file);
    }
    files
}

/// The top-level modules a piece of source names through `crate::`, including inside
/// `use crate::{a, b::c}` groups.
fn named_modules(source: &str, known: &[String]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in source.match_indices("crate::") {
        let rest = &source[at + "crate::".len()..];
        let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            group[..end]
                .split(',')
                .map(|item| item.trim().split("::").next().unwrap_or("").trim())
                .collect()
        } else {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            vec![&rest[..end]]
        };
        for name in names {
            if known.iter().any(|k| k == name) {
                found.insert(name.to_string());
            }
        }
    }
    found
}

fn dependency_graph() -> BTreeMap<String, BTreeSet<String>> {
    let known = modules();
    known
        .iter()
        .map(|m| {
            let mut deps = BTreeSet::new();
            for file in module_files(m) {
                deps.extend(named_modules(&fs::read_to_string(file).unwrap(), &known));
            }
            deps.remove(m);
            (m.clone(), deps)
        })
        .collect()
}

fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, done, path) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|m| visit(m, graph, &mut done, &mut Vec::new()))
}

#[test]
fn the_parser_sees_grouped_and_plain_imports() {
    let known: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    let found = named_modules(
        "use crate::a::X;\nuse crate::{b::Y, c};\nlet z = crate::zz::f();",
        &known,
    );
    assert_eq!(found.into_iter().collect::<Vec<_>>(), ["a", "b", "c"]);
    let mut cyclic = BTreeMap::new();
    cyclic.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    cyclic.insert("b".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(
        find_cycle(&cyclic),
        Some(vec!["a".into(), "b".into(), "a".into()])
    );
}

#[test]
fn no_import_cycle_between_core_modules() {
    let graph = dependency_graph();
    assert!(graph.len() > 10, "found only {:?}", graph.keys());
    assert_eq!(find_cycle(&graph), None, "graph: {graph:#?}");
}

#[test]
fn shared_types_and_pure_analysis_sit_at_the_bottom() {
    let graph = dependency_graph();
    let deps = |m: &str| graph[m].iter().cloned().collect::<Vec<_>>();
    assert!(
        deps("domain").is_empty(),
        "domain uses {:?}",
        deps("domain")
    );
    assert!(
        deps("locale").iter().all(|d| d == "domain"),
        "locale uses {:?}",
        deps("locale")
    );
    assert!(
        deps("notify")
            .iter()
            .all(|d| d == "domain" || d == "locale"),
        "notify uses {:?}",
        deps("notify")
    );
    // Insights are pure functions of a transcript: no storage, no I/O modules.
    assert_eq!(deps("insights"), ["domain"]);
    assert_eq!(deps("consent"), ["domain"]);
    // Events are what every front end hears; they must not pull in the workflows.
    for module in ["recording", "processing", "app"] {
        assert!(!graph["events"].contains(module), "events uses {module}");
    }
}

#[test]
fn the_library_never_names_the_command_line_crates() {
    let mut offenders = Vec::new();
    for module in modules() {
        for file in module_files(&module) {
            let text = fs::read_to_string(&file).unwrap();
            for krate in ["clap::", "indicatif::", "ctrlc::", "anyhow::"] {
                if text.contains(krate) {
                    offenders.push(format!("{} names {krate}", file.display()));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:#?}");
}
