//! The knowledge base's folders, listed.

use std::path::{Path, PathBuf};

/// The `*.json` files of a folder, sorted by name (the one listing of knowledge-base folders:
/// entries, reference packs, drafts).
pub fn json_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    Ok(paths)
}
