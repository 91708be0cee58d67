//! The layers of `src/` and the directions imports may take (ARCHITECTURE.md, "Layers"): a
//! `use` (or a path in code) that reaches up a layer, or files that import each other, fail
//! here. Test modules (`#[cfg(test)] mod tests`) are not counted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use regex::Regex;

use crate::root;

/// The crate's layers, bottom first: a module may import its own files and those of lower
/// layers only.
const LAYERS: &[(&str, u32)] = &[
    ("text", 0),
    ("config", 0),
    ("kb", 1),
    ("engine", 2),
    ("settings", 3),
    ("store", 4),
    ("authoring", 5),
    ("devtools", 6),
    ("ops", 6),
    ("dashboard", 6),
    ("discord", 7),
    ("terminal", 8),
    ("main", 9),
];

/// The Discord adapter's own layers: decisions (pure), then I/O helpers, the settings cache,
/// the shared state, the handlers, and the wiring in `mod.rs`.
const DISCORD: &[(&str, u32)] = &[
    ("decide", 0),
    ("handled", 0),
    ("io", 1),
    ("settings_cache", 2),
    ("pages", 2),
    ("state", 3),
    ("handlers", 4),
    ("probe", 5),
    ("", 5),
];

/// A source file: its module path (`["discord", "io", "send"]`) and text without tests and
/// comments.
struct File {
    path: PathBuf,
    module: Vec<String>,
    code: String,
}

fn files() -> Vec<File> {
    let src = root().join("src");
    let mut out = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel: Vec<String> = p
                    .strip_prefix(&src)
                    .unwrap()
                    .with_extension("")
                    .iter()
                    .map(|s| s.to_string_lossy().into_owned())
                    .collect();
                let module = match rel.last().map(String::as_str) {
                    Some("mod") | Some("lib") => rel[..rel.len() - 1].to_vec(),
                    _ => rel,
                };
                let text = std::fs::read_to_string(&p).unwrap();
                let text = match text.find("#[cfg(test)]\nmod tests") {
                    Some(i) => &text[..i],
                    None => &text[..],
                };
                let code = text
                    .lines()
                    .filter(|l| !l.trim_start().starts_with("//"))
                    .collect::<Vec<_>>()
                    .join("\n");
                out.push(File {
                    path: p,
                    module,
                    code,
                });
            }
        }
    }
    out
}

/// The file a module path lands in: the longest prefix of it that is a file.
fn file_of(modules: &BTreeMap<Vec<String>, PathBuf>, path: &[String]) -> Option<PathBuf> {
    (0..=path.len())
        .rev()
        .find_map(|n| modules.get(&path[..n]).cloned())
}

/// Every module path a file's code names: `crate::…`, `super::…`, `errmedic::…` (the binary),
/// and, in a module's own file, its child modules by name; grouped `use a::{b, c::d}` included.
fn references(file: &File, modules: &BTreeMap<Vec<String>, PathBuf>) -> Vec<Vec<String>> {
    let path = Regex::new(r"\b((?:crate|errmedic|super(?:::super)*|[a-z_][a-z0-9_]*)(?:::[A-Za-z_][A-Za-z0-9_]*)*)::(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)").unwrap();
    let is_mod_file = file
        .path
        .file_name()
        .is_some_and(|n| n == "mod.rs" || n == "lib.rs");
    // The module `super` names: a file's parent; for `mod.rs`, its module's parent.
    let own_module = &file.module;
    let mut out = Vec::new();
    for c in path.captures_iter(&file.code) {
        let head: Vec<&str> = c[1].split("::").collect();
        let mut abs: Vec<String> = match head[0] {
            "crate" | "errmedic" => Vec::new(),
            "super" => {
                let ups = head.iter().take_while(|s| **s == "super").count();
                // `super` in `a/b.rs` (module a::b) is `a`; in `a/mod.rs` (module a) it is the root.
                let base = own_module.len().saturating_sub(ups);
                own_module[..base].to_vec()
            }
            child
                if is_mod_file
                    && modules
                        .contains_key(&[own_module.clone(), vec![child.to_string()]].concat()) =>
            {
                own_module.clone()
            }
            _ => continue,
        };
        let skip = match head[0] {
            "crate" | "errmedic" => 1,
            "super" => head.iter().take_while(|s| **s == "super").count(),
            _ => 0,
        };
        abs.extend(head[skip..].iter().map(|s| s.to_string()));
        let tail = &c[2];
        if let Some(group) = tail.strip_prefix('{') {
            for item in group.trim_end_matches('}').split(',') {
                let first = item.trim().split("::").next().unwrap_or("").trim();
                if !first.is_empty() && first != "self" {
                    out.push([abs.clone(), vec![first.to_string()]].concat());
                } else {
                    out.push(abs.clone());
                }
            }
        } else {
            out.push([abs, vec![tail.to_string()]].concat());
        }
    }
    out
}

fn rank(module: &[String]) -> (u32, u32) {
    let top = module.first().map(String::as_str).unwrap_or("main");
    let layer = LAYERS
        .iter()
        .find(|(m, _)| *m == top)
        .unwrap_or_else(|| {
            panic!("module `{top}` is in no layer: add it to LAYERS and ARCHITECTURE.md")
        })
        .1;
    let inner = if top == "discord" {
        let sub = module.get(1).map(String::as_str).unwrap_or("");
        DISCORD
            .iter()
            .find(|(m, _)| *m == sub)
            .unwrap_or_else(|| panic!("discord::{sub} is in no layer of the adapter"))
            .1
    } else {
        0
    };
    (layer, inner)
}

/// Files and the files they import.
fn graph() -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let files = files();
    let mut modules: BTreeMap<Vec<String>, PathBuf> = files
        .iter()
        .map(|f| (f.module.clone(), f.path.clone()))
        .collect();
    // `main.rs` is its own root: paths resolve in the library.
    modules.retain(|m, _| m.first().map(String::as_str) != Some("main") || m.len() > 1);
    let mut out = BTreeMap::new();
    for f in &files {
        let mut deps = BTreeSet::new();
        for r in references(f, &modules) {
            if let Some(target) = file_of(&modules, &r) {
                if target != f.path {
                    deps.insert(target);
                }
            }
        }
        out.insert(f.path.clone(), deps);
    }
    out
}

fn module_of(path: &Path) -> Vec<String> {
    let rel = path
        .strip_prefix(root().join("src"))
        .unwrap()
        .with_extension("");
    let rel: Vec<String> = rel
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    match rel.last().map(String::as_str) {
        Some("mod") | Some("lib") => rel[..rel.len() - 1].to_vec(),
        _ => rel,
    }
}

#[test]
fn imports_point_down_the_layers() {
    let mut upward = Vec::new();
    for (file, deps) in graph() {
        let (from_module, from) = (module_of(&file), rank(&module_of(&file)));
        if from_module.is_empty() {
            continue; // lib.rs declares the modules
        }
        for dep in deps {
            let to_module = module_of(&dep);
            if to_module.is_empty() {
                continue;
            }
            let to = rank(&to_module);
            let same_module = from_module[0] == to_module[0];
            let up = if same_module {
                to.1 > from.1
            } else {
                to.0 >= from.0
            };
            if up {
                upward.push(format!("{} imports {}", file.display(), dep.display()));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports up the layers:\n{}",
        upward.join("\n")
    );
}

#[test]
fn no_two_files_import_each_other() {
    let g = graph();
    let reaches = |from: &PathBuf, to: &PathBuf| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(n) = todo.pop() {
            if &n == to {
                return true;
            }
            if seen.insert(n.clone()) {
                todo.extend(g.get(&n).into_iter().flatten().cloned());
            }
        }
        false
    };
    let name = |p: &PathBuf| p.strip_prefix(root()).unwrap().display().to_string();
    let mut cycles = Vec::new();
    for (a, deps) in &g {
        for b in deps {
            if reaches(b, a) {
                cycles.push(format!("{} → {} → … → {}", name(a), name(b), name(a)));
            }
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}
