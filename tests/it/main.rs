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
mod layers;
mod localized;
mod secrets;

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

/// The `errmedic` binary run in `dir` with `env` set (no Discord token, no RUST_LOG from the
/// test's own environment, nothing on stdin): (exit code, stdout, stderr).
pub fn run_errmedic(dir: &Path, env: &[(&str, &Path)], args: &[&str]) -> (i32, String, String) {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_errmedic"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("DISCORD_TOKEN")
        .env_remove("RUST_LOG")
        .stdin(std::process::Stdio::null());
    for (name, value) in env {
        command.env(name, value);
    }
    let out = command.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The engine over the shipped knowledge base, built once.
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let kb = errmedic::kb::load_dir(&root().join("kb")).expect("the shipped kb loads");
        Engine::new(kb)
    })
}
