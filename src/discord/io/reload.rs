//! The knowledge base, reloaded in every process. `/kb reload` reloads the process that runs
//! it and notes the reload in the shared record; every other process sees the note within
//! `ERRMEDIC_KB_FOLLOW_SECS` and reloads from its own `kb/` (each process reads the same
//! knowledge base). A knowledge base that does not load is refused and logged; the one in use
//! stays.

use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use crate::engine::Engine;
use crate::kb::LoadError;
use crate::store::Store;

/// The engine in use; a reload swaps it whole, and answers in flight keep theirs.
pub type EngineSlot = Arc<RwLock<Arc<Engine>>>;

/// Puts `engine` in use; answers in flight keep the one they started with.
pub fn swap(slot: &EngineSlot, engine: Engine) {
    *slot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(engine);
}

/// Loads and checks the knowledge base in `dir`, on a blocking thread.
pub async fn load(dir: PathBuf) -> anyhow::Result<Result<Engine, LoadError>> {
    Ok(tokio::task::spawn_blocking(move || crate::kb::load_dir(&dir).map(Engine::new)).await?)
}

/// Follows reloads made in other processes.
#[derive(Debug, Clone)]
pub struct Follow {
    pub dir: PathBuf,
    pub every: Duration,
}

impl Follow {
    /// Checks the record every `every`; when a reload newer than `seen` is noted, reloads
    /// `engine`. Ends when nobody else holds the engine (the bot stopped).
    pub async fn run(self, engine: EngineSlot, record: RecordSlot, seen: Arc<AtomicI64>) {
        let mut tick = tokio::time::interval(self.every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tick.tick().await;
        loop {
            tick.tick().await;
            if Arc::strong_count(&engine) == 1 {
                return;
            }
            let Some(store) = record.read().unwrap_or_else(|e| e.into_inner()).clone() else {
                continue;
            };
            let last = match tokio::task::spawn_blocking(move || store.last_kb_reload()).await {
                Ok(Ok(n)) => n,
                Ok(Err(e)) => {
                    tracing::debug!(error = %format!("{e:#}"), "could not check for reloads");
                    continue;
                }
                Err(_) => continue,
            };
            if last <= seen.load(Ordering::SeqCst) {
                continue;
            }
            match load(self.dir.clone()).await {
                Ok(Ok(new)) => {
                    let n = new.kb().curated().count();
                    swap(&engine, new);
                    tracing::info!(
                        entries = n,
                        reload = last,
                        "knowledge base reloaded, as another process did"
                    );
                }
                Ok(Err(e)) => {
                    tracing::error!(problems = e.problems.len(), reload = last, "another process reloaded the knowledge base, but it does not load here; the current one stays");
                }
                Err(e) => tracing::error!(error = %e, "reloading the knowledge base failed"),
            }
            // Tried once per reload: a broken one is not retried every tick.
            seen.fetch_max(last, Ordering::SeqCst);
        }
    }
}

/// The record, or `None` while it cannot be opened.
pub type RecordSlot = Arc<RwLock<Option<Arc<Store>>>>;
