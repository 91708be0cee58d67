//! The dashboard as this process serves it: each server's activity counted here and added to
//! the record in batches, the key links are signed with, and the views the HTTP listener's
//! `/d/<token>` asks for (the counts not yet added are added first, so that a page shows
//! everything this process saw).

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use super::io::reload::RecordSlot;
use crate::config::Secret;
use crate::dashboard::{home, Reading, Source, View};
use crate::store::server::Tally;
use crate::store::Store;

/// What the dashboard needs of the bot.
pub struct Pages {
    pub tally: Arc<Tally>,
    pub record: RecordSlot,
    /// The operator's key (`ERRMEDIC_DASHBOARD_KEY`), if set.
    pub configured_key: Option<Secret>,
    key: OnceLock<Arc<[u8]>>,
    /// One flush at a time: a page's flush waits for the timer's under way, so that the page
    /// reads what it wrote.
    flushing: tokio::sync::Mutex<()>,
    pub kb_dir: PathBuf,
    pub home_guild: Option<u64>,
}

impl Pages {
    pub fn new(
        record: RecordSlot,
        configured_key: Option<Secret>,
        kb_dir: PathBuf,
        home_guild: Option<u64>,
    ) -> Pages {
        Pages {
            tally: Arc::default(),
            record,
            configured_key,
            key: OnceLock::new(),
            flushing: tokio::sync::Mutex::new(()),
            kb_dir,
            home_guild,
        }
    }

    async fn with_record<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> anyhow::Result<T> + Send + 'static,
    ) -> anyhow::Result<T> {
        let store = self
            .record
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or_else(|| anyhow::anyhow!("the record is not open"))?;
        tokio::task::spawn_blocking(move || f(&store)).await?
    }

    /// Adds the counted activity to the record; what cannot be added waits for the next time.
    pub async fn flush(&self) -> anyhow::Result<usize> {
        let _one = self.flushing.lock().await;
        if self.tally.pending() == 0 {
            return Ok(0);
        }
        let tally = self.tally.clone();
        self.with_record(move |s| tally.flush(s)).await
    }

    /// The key links are signed with: the operator's, or else the one kept in the record (made
    /// by whichever process asked first).
    pub async fn key(&self) -> anyhow::Result<Arc<[u8]>> {
        if let Some(k) = self.key.get() {
            return Ok(k.clone());
        }
        let key: Arc<[u8]> = match &self.configured_key {
            Some(k) => k.expose().as_bytes().into(),
            None => {
                let fresh = crate::dashboard::token::fresh_key()?;
                self.with_record(move |s| s.dashboard_key(&fresh))
                    .await?
                    .into_bytes()
                    .into()
            }
        };
        Ok(self.key.get_or_init(|| key).clone())
    }

    async fn view_of(&self, guild: u64, now: i64) -> anyhow::Result<View> {
        if let Err(e) = self.flush().await {
            tracing::warn!(error = %format!("{e:#}"), "activity not yet added to the record");
        }
        let server = self.with_record(move |s| s.server_view(guild, now)).await?;
        let home = if Some(guild) == self.home_guild {
            let dir = self.kb_dir.clone();
            Some(
                tokio::task::spawn_blocking(move || home::read(&dir, now.div_euclid(86_400)))
                    .await?,
            )
        } else {
            None
        };
        Ok(View { server, home })
    }
}

/// The listener's side: views, and the key to check links with.
pub struct Served(pub Arc<Pages>);

impl Source for Served {
    fn view(&self, guild: u64, now: i64) -> Reading<'_> {
        Box::pin(self.0.view_of(guild, now))
    }

    fn key(&self) -> crate::dashboard::routes::Keying<'_> {
        Box::pin(async move { self.0.key().await })
    }
}
