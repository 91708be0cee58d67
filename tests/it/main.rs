//! Integration tests, compiled into one binary. Shared helpers live here.

mod cases;
mod cli;
mod console;
mod discord;
mod eval_bars;
mod hostile;
mod import;
mod kb_check;
mod kb_shipped;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use errmedic::engine::Engine;

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Path of a file under `tests/`.
pub fn test_path(rel: &str) -> PathBuf {
    root().join("tests").join(rel)
}

/// The engine over the shipped knowledge base, built once.
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let kb = errmedic::kb::load_dir(&root().join("kb")).expect("the shipped kb loads");
        Engine::new(kb)
    })
}
