//! What the HTTP listener (`ops::http`) asks of the bot: ready when the knowledge base is
//! loaded, every gateway shard this process runs is connected, and the record answers; the
//! gauges read at scrape time (entries served, shards connected).

use std::sync::Arc;
use std::time::Duration;

use poise::serenity_prelude as serenity;
use serenity::{ConnectionStage, ShardManager};

use super::io::reload::{EngineSlot, RecordSlot};
use crate::ops::http::{Probe, Probing};
use crate::ops::metrics::Metrics;

/// How long readiness waits for the record to answer.
const RECORD_WAIT: Duration = Duration::from_secs(2);

/// The bot as the listener sees it.
pub struct Live {
    pub metrics: Arc<Metrics>,
    pub engine: EngineSlot,
    pub record: RecordSlot,
    pub manager: Arc<ShardManager>,
    /// How many shards this process runs (`None`: as many as Discord recommends, known once
    /// they start).
    pub shards: Option<u32>,
}

impl Live {
    /// How many of this process's shards are connected, and how many it runs.
    async fn shards(&self) -> (usize, usize) {
        let runners = self.manager.runners.lock().await;
        let connected = runners
            .values()
            .filter(|r| r.stage == ConnectionStage::Connected)
            .count();
        let expected = self.shards.map_or(runners.len().max(1), |n| n as usize);
        (connected, expected)
    }

    async fn why_not_ready(&self) -> Result<(), String> {
        if self
            .engine
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .kb()
            .entries
            .is_empty()
        {
            return Err("the knowledge base is empty".into());
        }
        let (connected, expected) = self.shards().await;
        if connected < expected {
            return Err(format!(
                "{connected} of {expected} gateway shards connected"
            ));
        }
        let store = self
            .record
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let Some(store) = store else {
            return Err("the record is not open".into());
        };
        let ping = tokio::task::spawn_blocking(move || store.ping());
        match tokio::time::timeout(RECORD_WAIT, ping).await {
            Ok(Ok(Ok(()))) => Ok(()),
            _ => Err("the record does not answer".into()),
        }
    }
}

impl Probe for Live {
    fn ready(&self) -> Probing<'_, Result<(), String>> {
        Box::pin(self.why_not_ready())
    }

    fn metrics(&self) -> Probing<'_, &Metrics> {
        Box::pin(async move {
            let (connected, _) = self.shards().await;
            self.metrics.shards_connected(connected);
            let engine = self
                .engine
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
            let kb = engine.kb();
            self.metrics
                .kb_entries(kb.curated().count(), kb.reference().count());
            &*self.metrics
        })
    }
}
