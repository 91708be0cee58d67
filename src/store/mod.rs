//! The record: votes on answers, escalations, per-server settings and errors nothing
//! answered — in an SQLite file (one process) or PostgreSQL (several processes sharing it).
//! Opened once, migrated on open (one set of migrations, `migrations`); every query is written
//! once, in the SQL both share, and run by the database's driver (`sqlite`, `postgres`). Every
//! call is small and synchronous: callers on an async runtime run them on a blocking thread.
//! What two processes may both write is kept right by the database's constraints: one open
//! escalation per conversation, one vote per person per answer and entry, one settings row
//! per server.

mod migrations;
pub mod postgres;
mod report;
pub mod server;
#[cfg(test)]
use crate::text::dates::civil;
mod sqlite;
mod value;

use std::path::Path;

use crate::config::Database;
use crate::settings::{Overrides, Setting};
use value::Reader;
pub use value::{Row, Value};

/// Votes on one entry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EntryVotes {
    pub entry: String,
    pub solved: i64,
    pub unhelpful: i64,
}

/// An error nothing answered, grouped by its signature.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unanswered {
    pub signature: String,
    pub count: i64,
    /// Unix seconds of the first and last time it was seen.
    pub first_at: i64,
    pub last_at: i64,
    /// The last excerpt, redacted.
    pub last_excerpt: String,
}

/// The record summarised for a support lead.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    pub entries: Vec<EntryVotes>,
    pub escalations_open: i64,
    pub escalations_closed: i64,
    pub unanswered: Vec<Unanswered>,
}

/// An unanswered error's row: signature, count, first and last time, last excerpt.
fn unanswered_of_row(r: &Row) -> anyhow::Result<Unanswered> {
    Ok(Unanswered {
        signature: r.text(0)?,
        count: r.int(1)?,
        first_at: r.int(2)?,
        last_at: r.int(3)?,
        last_excerpt: r.text(4)?,
    })
}

/// Which escalation a draft is written from.
#[derive(Debug, Clone, Copy)]
pub enum DraftKey<'a> {
    Thread(&'a str),
    Id(i64),
}

/// What a draft entry is written from: an escalation's original error (redacted), the codes and
/// products read, how staff resolved it, and the messages they marked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DraftSource {
    pub id: i64,
    pub thread_id: String,
    pub original: String,
    pub codes: Vec<String>,
    pub products: Vec<String>,
    pub outcome: String,
    pub notes: Vec<String>,
}

/// An escalation as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escalation {
    pub conversation: String,
    pub thread_id: String,
    pub reporter: String,
    pub summary: String,
    pub closed: bool,
    /// The server it was opened in (none in a direct message).
    pub guild: Option<u64>,
    /// The entry whose answer did not help, if one was shown.
    pub entry: Option<String>,
}

/// The database behind the record.
enum Db {
    Sqlite(sqlite::Db),
    Postgres(postgres::Db),
}

/// The record.
pub struct Store {
    db: Db,
    /// How many times a server's settings were read (tests count reads).
    settings_reads: std::sync::atomic::AtomicU64,
}

/// The outcome of claiming a conversation's escalation (see [`Store::claim_escalation`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// This caller claimed it (the claim's token): it creates the thread and then calls
    /// [`Store::escalation_opened`] (or [`Store::abandon_claim`]) with the token.
    Claimed(ClaimToken),
    /// The conversation has an open escalation in this thread.
    Open(String),
    /// Another caller claimed it and is creating the thread now.
    Pending,
}

/// How long a claim may wait for its thread before another caller takes it over (the process
/// that claimed it died in between). Measured by the database's clock; well beyond the time a
/// thread may take to create.
pub const STALE_CLAIM_SECS: i64 = 120;

/// Names one claim, and no other, even after it was taken over (row ids can be reused).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimToken {
    conversation: String,
    nonce: String,
}

impl ClaimToken {
    fn new(conversation: &str) -> ClaimToken {
        use std::hash::{BuildHasher, Hasher};
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(0);
        // Randomly keyed per process, over the process, the time and a counter.
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(std::process::id());
        h.write_u64(NEXT.fetch_add(1, Ordering::Relaxed));
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        ClaimToken {
            conversation: conversation.to_string(),
            nonce: format!("claim:{:016x}{:08x}", h.finish(), std::process::id()),
        }
    }
}

fn now() -> i64 {
    crate::text::dates::unix_now()
}

/// A paste marked Solved, waiting to become an example of its entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleCandidate {
    pub id: i64,
    /// Seconds since the epoch.
    pub at: i64,
    pub entry: String,
    /// The paste, redacted.
    pub text: String,
    /// The Discord message the answer replied to.
    pub message: String,
}

impl Store {
    /// Opens (creating if needed) the record and applies pending migrations.
    pub fn connect(database: &Database) -> anyhow::Result<Store> {
        match database {
            Database::Sqlite(path) => Store::open(path),
            Database::Postgres(url) => {
                Ok(Store::with(Db::Postgres(postgres::Db::open(url.expose())?)))
            }
        }
    }

    /// Opens (creating if needed) the SQLite file at `path`.
    pub fn open(path: &Path) -> anyhow::Result<Store> {
        Ok(Store::with(Db::Sqlite(sqlite::Db::open(path)?)))
    }

    /// An in-memory SQLite store, for tests.
    pub fn in_memory() -> anyhow::Result<Store> {
        Ok(Store::with(Db::Sqlite(sqlite::Db::in_memory()?)))
    }

    fn with(db: Db) -> Store {
        Store {
            db,
            settings_reads: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// How many times a server's settings were read from this store.
    #[doc(hidden)]
    pub fn reads(&self) -> anyhow::Result<u64> {
        Ok(self
            .settings_reads
            .load(std::sync::atomic::Ordering::Relaxed))
    }

    /// Whether the record answers (for readiness): one trivial query.
    pub fn ping(&self) -> anyhow::Result<()> {
        self.query("SELECT 1", &[]).map(|_| ())
    }

    /// Which database this is, for logs.
    pub fn kind(&self) -> &'static str {
        match self.db {
            Db::Sqlite(_) => "SQLite",
            Db::Postgres(_) => "PostgreSQL",
        }
    }

    fn execute(&self, sql: &str, params: &[Value]) -> anyhow::Result<u64> {
        match &self.db {
            Db::Sqlite(db) => db.execute(sql, params),
            Db::Postgres(db) => db.execute(sql, params),
        }
    }

    fn execute_many(&self, sql: &str, rows: &[Vec<Value>]) -> anyhow::Result<()> {
        match &self.db {
            Db::Sqlite(db) => db.execute_many(sql, rows),
            Db::Postgres(db) => db.execute_many(sql, rows),
        }
    }

    /// Runs `f`'s queries in one read transaction (one state of the record).
    fn snapshot<T>(
        &self,
        f: impl FnOnce(&mut Reader<'_>) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        match &self.db {
            Db::Sqlite(db) => db.snapshot(f),
            Db::Postgres(db) => db.snapshot(f),
        }
    }

    fn query(&self, sql: &str, params: &[Value]) -> anyhow::Result<Vec<Row>> {
        match &self.db {
            Db::Sqlite(db) => db.query(sql, params),
            Db::Postgres(db) => db.query(sql, params),
        }
    }

    /// Every value of every table, one per line (`table: value`): what tests search for
    /// anything that must never be stored.
    #[doc(hidden)]
    pub fn dump(&self) -> anyhow::Result<String> {
        let (tables, row) = match self.db {
            Db::Sqlite(_) => (
                "SELECT name FROM sqlite_master WHERE type = 'table'",
                "SELECT * FROM {table}",
            ),
            Db::Postgres(_) => (
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()",
                "SELECT row_to_json(t)::text FROM {table} t",
            ),
        };
        let mut out = String::new();
        for t in self.query(tables, &[])? {
            let table = t.text(0)?;
            for r in self.query(&row.replace("{table}", &table), &[])? {
                for v in &r.0 {
                    out.push_str(&format!("{table}: {v:?}\n"));
                }
            }
        }
        Ok(out)
    }

    /// Records a Solved / Didn't help vote on an answer. A person's second vote on the same
    /// answer and entry replaces the first.
    pub fn vote(
        &self,
        entry: &str,
        helpful: bool,
        user_id: u64,
        message_id: u64,
        guild: Option<u64>,
    ) -> anyhow::Result<()> {
        self.execute(
            "INSERT INTO votes (at, entry, helpful, user_id, message_id, guild_id) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (message_id, user_id, entry) DO UPDATE SET at = excluded.at, helpful = excluded.helpful",
            &[
                now().into(),
                entry.into(),
                helpful.into(),
                user_id.to_string().into(),
                message_id.to_string().into(),
                guild.map(|g| g.to_string()).into(),
            ],
        )?;
        Ok(())
    }

    /// The escalation open for a conversation, if any (a claim whose thread is still being
    /// created has an empty `thread_id`).
    pub fn open_escalation_of(&self, conversation: &str) -> anyhow::Result<Option<Escalation>> {
        Ok(self
            .escalations_where("conversation = $1 AND closed_at IS NULL", conversation)?
            .pop())
    }

    /// Every escalation of a conversation, oldest first.
    pub fn escalations_of(&self, conversation: &str) -> anyhow::Result<Vec<Escalation>> {
        self.escalations_where("conversation = $1", conversation)
    }

    fn escalations_where(&self, condition: &str, value: &str) -> anyhow::Result<Vec<Escalation>> {
        self.query(
            &format!(
                "SELECT conversation, thread_id, reporter, summary, closed_at IS NOT NULL, guild_id, entry FROM escalations WHERE {condition} ORDER BY id"
            ),
            &[value.into()],
        )?
        .iter()
        .map(|r| {
            Ok(Escalation {
                conversation: r.text(0)?,
                thread_id: r.text(1)?,
                reporter: r.text(2)?,
                summary: r.text(3)?,
                closed: r.bool(4)?,
                guild: r.opt_text(5)?.and_then(|g| g.parse().ok()),
                entry: r.opt_text(6)?,
            })
        })
        .collect()
    }

    /// Records a new escalation thread. Fails when the conversation already has an open one.
    pub fn open_escalation(&self, e: &Escalation) -> anyhow::Result<()> {
        self.execute(
            "INSERT INTO escalations (opened_at, conversation, thread_id, reporter, summary, guild_id, entry) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                now().into(),
                e.conversation.as_str().into(),
                e.thread_id.as_str().into(),
                e.reporter.as_str().into(),
                e.summary.as_str().into(),
                e.guild.map(|g| g.to_string()).into(),
                e.entry.clone().into(),
            ],
        )?;
        Ok(())
    }

    /// Claims the escalation of a conversation before its thread is created, so that of two
    /// requests at once — in one process or two — exactly one creates a thread. A claim left
    /// without a thread for [`STALE_CLAIM_SECS`] (its process died) is taken over.
    pub fn claim_escalation(&self, conversation: &str, reporter: &str) -> anyhow::Result<Claim> {
        self.execute(
            &format!("DELETE FROM escalations WHERE conversation = $1 AND closed_at IS NULL AND thread_id = '' AND opened_at < {{now}} - {STALE_CLAIM_SECS}"),
            &[conversation.into()],
        )?;
        // While the thread is being created, the summary holds the claim's token.
        let token = ClaimToken::new(conversation);
        let claimed = self.execute(
            "INSERT INTO escalations (opened_at, conversation, thread_id, reporter, summary) VALUES ({now}, $1, '', $2, $3)
             ON CONFLICT DO NOTHING",
            &[conversation.into(), reporter.into(), token.nonce.as_str().into()],
        )?;
        if claimed == 1 {
            return Ok(Claim::Claimed(token));
        }
        Ok(match self.open_escalation_of(conversation)? {
            Some(e) if !e.thread_id.is_empty() => Claim::Open(e.thread_id),
            // Pending, or closed in between: the caller asks again.
            _ => Claim::Pending,
        })
    }

    /// Completes a claim: its thread was created. False when the claim was lost (taken over
    /// as stale): the thread is then not recorded, and the caller says so.
    pub fn escalation_opened(&self, claim: &ClaimToken, e: &Escalation) -> anyhow::Result<bool> {
        let n = self.execute(
            "UPDATE escalations SET thread_id = $1, reporter = $2, summary = $3, guild_id = $6, entry = $7
             WHERE conversation = $4 AND closed_at IS NULL AND thread_id = '' AND summary = $5",
            &[
                e.thread_id.as_str().into(),
                e.reporter.as_str().into(),
                e.summary.as_str().into(),
                claim.conversation.as_str().into(),
                claim.nonce.as_str().into(),
                e.guild.map(|g| g.to_string()).into(),
                e.entry.clone().into(),
            ],
        )?;
        Ok(n == 1)
    }

    /// Gives a claim up (the thread could not be created).
    pub fn abandon_claim(&self, claim: &ClaimToken) -> anyhow::Result<()> {
        self.execute(
            "DELETE FROM escalations WHERE conversation = $1 AND closed_at IS NULL AND thread_id = '' AND summary = $2",
            &[claim.conversation.as_str().into(), claim.nonce.as_str().into()],
        )?;
        Ok(())
    }

    /// Records what a draft of the escalation in `thread_id` is written from: the original error
    /// (redacted), and the codes and products read from it.
    pub fn escalation_details(
        &self,
        thread_id: &str,
        original: &str,
        codes: &[String],
        products: &[String],
    ) -> anyhow::Result<()> {
        self.execute(
            "UPDATE escalations SET original = $1, codes = $2, products = $3 WHERE thread_id = $4",
            &[
                original.into(),
                codes.join(" ").into(),
                products.join("|").into(),
                thread_id.into(),
            ],
        )?;
        Ok(())
    }

    /// Keeps a message staff marked for the draft of the escalation in `thread_id` (redacted by
    /// the caller). False when the thread holds no escalation.
    pub fn escalation_note(&self, thread_id: &str, text: &str) -> anyhow::Result<bool> {
        let known = !self
            .query(
                "SELECT 1 FROM escalations WHERE thread_id = $1 LIMIT 1",
                &[thread_id.into()],
            )?
            .is_empty();
        if known {
            self.execute(
                "INSERT INTO escalation_notes (thread_id, at, text) VALUES ($1, $2, $3)",
                &[thread_id.into(), now().into(), text.into()],
            )?;
        }
        Ok(known)
    }

    /// What a draft is written from, for the escalation in a thread or with a record id: the
    /// latest one when a thread was escalated more than once.
    pub fn draft_source(&self, key: DraftKey<'_>) -> anyhow::Result<Option<DraftSource>> {
        let (condition, value) = match key {
            DraftKey::Thread(t) => ("thread_id = $1", Value::from(t)),
            DraftKey::Id(id) => ("id = $1", Value::from(id)),
        };
        let rows = self.query(
            &format!("SELECT id, thread_id, original, codes, products, outcome FROM escalations WHERE {condition} ORDER BY id DESC LIMIT 1"),
            &[value],
        )?;
        let Some(r) = rows.first() else {
            return Ok(None);
        };
        let thread_id = r.text(1)?;
        let notes = self
            .query(
                "SELECT text FROM escalation_notes WHERE thread_id = $1 ORDER BY id",
                &[thread_id.as_str().into()],
            )?
            .iter()
            .map(|n| n.text(0))
            .collect::<anyhow::Result<_>>()?;
        Ok(Some(DraftSource {
            id: r.int(0)?,
            thread_id,
            original: r.text(2)?,
            codes: r.text(3)?.split_whitespace().map(String::from).collect(),
            products: r
                .text(4)?
                .split('|')
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            outcome: r.text(5)?,
            notes,
        }))
    }

    /// Closes the escalation whose thread is `thread_id`, with an outcome. False when there is
    /// no such open escalation.
    pub fn close_escalation(&self, thread_id: &str, outcome: &str) -> anyhow::Result<bool> {
        let n = self.execute(
            "UPDATE escalations SET closed_at = $1, outcome = $2 WHERE thread_id = $3 AND closed_at IS NULL",
            &[now().into(), outcome.into(), thread_id.into()],
        )?;
        Ok(n > 0)
    }

    /// Records a paste that looked like an error but that nothing answered. `signature` groups
    /// the same error (its codes, or its first words). A message is recorded once, however
    /// often (and by whichever process) it is seen.
    pub fn unanswered(
        &self,
        signature: &str,
        excerpt: &str,
        message: Option<u64>,
        guild: Option<u64>,
    ) -> anyhow::Result<()> {
        self.execute(
            "INSERT INTO unanswered (at, signature, excerpt, message_id, guild_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            &[
                now().into(),
                signature.into(),
                excerpt.into(),
                message.map(|m| m.to_string()).into(),
                guild.map(|g| g.to_string()).into(),
            ],
        )?;
        Ok(())
    }

    /// Keeps the (redacted) paste whose answer with `entry` was marked Solved, as a candidate
    /// example for the entry (once per message and entry).
    pub fn example_candidate(&self, entry: &str, text: &str, message: u64) -> anyhow::Result<()> {
        self.execute(
            "INSERT INTO example_candidates (at, entry, text, message_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            &[
                now().into(),
                entry.into(),
                text.into(),
                message.to_string().into(),
            ],
        )?;
        Ok(())
    }

    /// Candidate examples waiting for a person, oldest first.
    pub fn example_candidates(&self) -> anyhow::Result<Vec<ExampleCandidate>> {
        self.query(
            "SELECT id, at, entry, text, message_id FROM example_candidates ORDER BY id",
            &[],
        )?
        .iter()
        .map(|r| {
            Ok(ExampleCandidate {
                id: r.int(0)?,
                at: r.int(1)?,
                entry: r.text(2)?,
                text: r.text(3)?,
                message: r.text(4)?,
            })
        })
        .collect()
    }

    /// Removes a candidate example (accepted into the knowledge base, or dropped); whether it
    /// was there.
    pub fn drop_example_candidate(&self, id: i64) -> anyhow::Result<bool> {
        Ok(self.execute("DELETE FROM example_candidates WHERE id = $1", &[id.into()])? > 0)
    }

    /// Notes a `/kb reload` (by a staff member); returns its number, which only grows.
    pub fn kb_reloaded(&self, by: u64) -> anyhow::Result<i64> {
        let rows = self.query(
            "INSERT INTO kb_reloads (at, by_user) VALUES ($1, $2) RETURNING id",
            &[now().into(), by.to_string().into()],
        )?;
        rows.first()
            .ok_or_else(|| anyhow::anyhow!("the record returned no id for the reload"))?
            .int(0)
    }

    /// The number of the last `/kb reload` in any process (0: none yet).
    pub fn last_kb_reload(&self) -> anyhow::Result<i64> {
        let rows = self.query("SELECT COALESCE(MAX(id), 0) FROM kb_reloads", &[])?;
        rows.first().map_or(Ok(0), |r| r.int(0))
    }

    /// A server's own settings (nothing set: all `None`).
    pub fn server_settings(&self, guild: u64) -> anyhow::Result<Overrides> {
        self.settings_reads
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let rows = self.query(
            "SELECT auto_reply_channels, escalation_channel, support_role, staff_role, cooldown_secs, user_rate_secs, auto_replies, updated_by, updated_at
             FROM server_settings WHERE guild_id = $1",
            &[guild.to_string().into()],
        )?;
        let Some(r) = rows.first() else {
            return Ok(Overrides::default());
        };
        let id = |i: usize| -> anyhow::Result<Option<u64>> {
            Ok(r.opt_text(i)?.and_then(|t| t.parse().ok()))
        };
        let secs = |i: usize| -> anyhow::Result<Option<u64>> {
            Ok(r.opt_int(i)?.map(|n| n.max(0) as u64))
        };
        Ok(Overrides {
            auto_reply_channels: r
                .opt_text(0)?
                .map(|t| t.split(',').filter_map(|c| c.trim().parse().ok()).collect()),
            escalation_channel: id(1)?,
            support_role: id(2)?,
            staff_role: id(3)?,
            cooldown_secs: secs(4)?,
            user_rate_secs: secs(5)?,
            auto_replies: r.opt_int(6)?.map(|n| n != 0),
            changed: r
                .text(7)?
                .parse()
                .ok()
                .map(|by| (by, r.int(8).unwrap_or(0))),
        })
    }

    /// Sets one of a server's settings (`None`: back to the default), saying who changed it.
    pub fn change_setting(
        &self,
        guild: u64,
        setting: Setting,
        value: Option<&crate::settings::Value>,
        by: u64,
    ) -> anyhow::Result<()> {
        use crate::settings::Value as V;
        let stored = match value {
            None => Value::Null,
            Some(V::Channels(ids)) => {
                Value::Text(ids.iter().map(u64::to_string).collect::<Vec<_>>().join(","))
            }
            Some(V::Channel(id) | V::Role(id)) => Value::Text(id.to_string()),
            Some(V::Seconds(s)) => Value::Int(*s as i64),
            Some(V::Switch(b)) => Value::from(*b),
        };
        let column = setting.column();
        self.execute(
            &format!(
                "INSERT INTO server_settings (guild_id, {column}, updated_at, updated_by) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (guild_id) DO UPDATE SET {column} = excluded.{column}, updated_at = excluded.updated_at, updated_by = excluded.updated_by"
            ),
            &[guild.to_string().into(), stored, now().into(), by.to_string().into()],
        )?;
        Ok(())
    }

    /// What a support lead needs to decide what to teach next: entries by helpfulness (and the
    /// ones that most often did not help), escalations, and the errors nothing answered — how
    /// often, since when, and the last redacted excerpt.
    pub fn report_data(&self) -> anyhow::Result<Report> {
        let entries = self
            .query(
                "SELECT entry, SUM(helpful), SUM(1 - helpful) FROM votes GROUP BY entry ORDER BY SUM(helpful) - SUM(1 - helpful) DESC, entry",
                &[],
            )?
            .iter()
            .map(|r| {
                Ok(EntryVotes {
                    entry: r.text(0)?,
                    solved: r.int(1)?,
                    unhelpful: r.int(2)?,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let counts = self.query(
            "SELECT COUNT(*) - COUNT(closed_at), COUNT(closed_at) FROM escalations WHERE thread_id <> '' OR closed_at IS NOT NULL",
            &[],
        )?;
        let (open, closed) = match counts.first() {
            Some(r) => (r.int(0)?, r.int(1)?),
            None => (0, 0),
        };
        let unanswered = self
            .query(
                "SELECT signature, COUNT(*), MIN(at), MAX(at),
                        (SELECT excerpt FROM unanswered u2 WHERE u2.signature = u.signature ORDER BY id DESC LIMIT 1)
                 FROM unanswered u GROUP BY signature ORDER BY COUNT(*) DESC, signature LIMIT 25",
                &[],
            )?
            .iter()
            .map(unanswered_of_row)
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Report {
            entries,
            escalations_open: open,
            escalations_closed: closed,
            unanswered,
        })
    }

    /// The unanswered error with this signature, over every server (`kb draft --signature`).
    pub fn unanswered_signature(&self, signature: &str) -> anyhow::Result<Option<Unanswered>> {
        let rows = self.query(
            "SELECT signature, COUNT(*), MIN(at), MAX(at),
                    (SELECT excerpt FROM unanswered u2 WHERE u2.signature = $1 ORDER BY id DESC LIMIT 1)
             FROM unanswered WHERE signature = $1 GROUP BY signature",
            &[signature.into()],
        )?;
        rows.first().map(unanswered_of_row).transpose()
    }

    /// The report as text (see [`Store::report_data`]).
    pub fn report(&self) -> anyhow::Result<String> {
        Ok(self.report_data()?.to_string())
    }
}

#[cfg(test)]
mod tests;
