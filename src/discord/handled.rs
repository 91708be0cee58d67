//! What tests observe: the ids of the events the bot has finished handling.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use poise::serenity_prelude::FullEvent;

/// Ids of the events (messages, edits, deletions, interactions) the bot has finished
/// handling — replies sent, records written — and how many times each (a message's creation,
/// edits and deletion share its id). Tests wait on it instead of a clock.
#[derive(Debug)]
pub struct Handled {
    ids: Mutex<HashMap<u64, u32>>,
    changed: tokio::sync::watch::Sender<u64>,
}

impl Default for Handled {
    fn default() -> Self {
        Handled {
            ids: Mutex::new(HashMap::new()),
            changed: tokio::sync::watch::channel(0).0,
        }
    }
}

impl Handled {
    pub(super) fn done(&self, id: u64) {
        *self
            .ids
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(id)
            .or_default() += 1;
        self.changed.send_modify(|n| *n += 1);
    }

    /// How many events with this id (a message or interaction id) have been handled.
    pub fn count(&self, id: u64) -> u32 {
        self.ids
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
            .copied()
            .unwrap_or(0)
    }

    /// Whether an event with this id has been handled.
    pub fn contains(&self, id: u64) -> bool {
        self.count(id) > 0
    }

    /// Waits until `n` events with this id have been handled; false on timeout.
    pub async fn wait_for_count(&self, id: u64, n: u32, timeout: Duration) -> bool {
        let mut changes = self.changed.subscribe();
        let waiting = async {
            while self.count(id) < n {
                if changes.changed().await.is_err() {
                    return false;
                }
            }
            true
        };
        tokio::time::timeout(timeout, waiting)
            .await
            .unwrap_or(false)
    }

    /// Waits until an event with this id has been handled; false on timeout.
    pub async fn wait(&self, id: u64, timeout: Duration) -> bool {
        self.wait_for_count(id, 1, timeout).await
    }
}

/// The id an event is known by in [`Handled`].
pub(super) fn event_id(event: &FullEvent) -> Option<u64> {
    match event {
        FullEvent::Message { new_message } => Some(new_message.id.get()),
        FullEvent::MessageUpdate { event, .. } => Some(event.id.get()),
        FullEvent::MessageDelete {
            deleted_message_id, ..
        } => Some(deleted_message_id.get()),
        FullEvent::InteractionCreate { interaction } => Some(interaction.id().get()),
        _ => None,
    }
}
