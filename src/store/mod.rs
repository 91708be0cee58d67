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
mod sqlite;
mod value;

use std::path::Path;

use crate::config::Database;
use crate::settings::{Overrides, Setting};
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
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
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
    ) -> anyhow::Result<()> {
        self.execute(
            "INSERT INTO votes (at, entry, helpful, user_id, message_id) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (message_id, user_id, entry) DO UPDATE SET at = excluded.at, helpful = excluded.helpful",
            &[
                now().into(),
                entry.into(),
                helpful.into(),
                user_id.to_string().into(),
                message_id.to_string().into(),
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
                "SELECT conversation, thread_id, reporter, summary, closed_at IS NOT NULL FROM escalations WHERE {condition} ORDER BY id"
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
            })
        })
        .collect()
    }

    /// Records a new escalation thread. Fails when the conversation already has an open one.
    pub fn open_escalation(&self, e: &Escalation) -> anyhow::Result<()> {
        self.execute(
            "INSERT INTO escalations (opened_at, conversation, thread_id, reporter, summary) VALUES ($1, $2, $3, $4, $5)",
            &[
                now().into(),
                e.conversation.as_str().into(),
                e.thread_id.as_str().into(),
                e.reporter.as_str().into(),
                e.summary.as_str().into(),
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
            "UPDATE escalations SET thread_id = $1, reporter = $2, summary = $3
             WHERE conversation = $4 AND closed_at IS NULL AND thread_id = '' AND summary = $5",
            &[
                e.thread_id.as_str().into(),
                e.reporter.as_str().into(),
                e.summary.as_str().into(),
                claim.conversation.as_str().into(),
                claim.nonce.as_str().into(),
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
    ) -> anyhow::Result<()> {
        self.execute(
            "INSERT INTO unanswered (at, signature, excerpt, message_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            &[
                now().into(),
                signature.into(),
                excerpt.into(),
                message.map(|m| m.to_string()).into(),
            ],
        )?;
        Ok(())
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
            .map(|r| {
                Ok(Unanswered {
                    signature: r.text(0)?,
                    count: r.int(1)?,
                    first_at: r.int(2)?,
                    last_at: r.int(3)?,
                    last_excerpt: r.text(4)?,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Report {
            entries,
            escalations_open: open,
            escalations_closed: closed,
            unanswered,
        })
    }

    /// The report as text (see [`Store::report_data`]).
    pub fn report(&self) -> anyhow::Result<String> {
        Ok(self.report_data()?.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;
    use crate::settings::Value as V;

    /// Runs a test on an SQLite record, and on a PostgreSQL one when a server is given
    /// (`ERRMEDIC_TEST_POSTGRES`; otherwise it says it skipped that half).
    fn on_each(test: &str, f: impl Fn(Store)) {
        f(Store::in_memory().unwrap());
        if let Some(url) = postgres::test_database(test) {
            f(Store::connect(&Database::Postgres(Secret::new(url))).unwrap());
        }
    }

    fn escalation(conversation: &str, thread: &str) -> Escalation {
        Escalation {
            conversation: conversation.into(),
            thread_id: thread.into(),
            reporter: "1".into(),
            summary: "s".into(),
            closed: false,
        }
    }

    #[test]
    fn votes_escalations_and_gaps_appear_in_the_report() {
        on_each("votes_escalations_and_gaps_appear_in_the_report", |s| {
            s.vote("token-expired", true, 1, 10).unwrap();
            s.vote("token-expired", true, 2, 10).unwrap();
            s.vote("mfa-expired", false, 1, 11).unwrap();
            let e = escalation("c1", "t1");
            s.open_escalation(&e).unwrap();
            assert_eq!(s.open_escalation_of("c1").unwrap(), Some(e.clone()));
            assert!(
                s.open_escalation(&escalation("c1", "t2")).is_err(),
                "one open escalation per conversation"
            );
            assert!(s.close_escalation("t1", "fixed").unwrap());
            assert!(!s.close_escalation("t1", "again").unwrap());
            assert_eq!(s.open_escalation_of("c1").unwrap(), None);
            s.unanswered("AADSTS700016", "AADSTS700016: Application …", None)
                .unwrap();
            s.unanswered("AADSTS700016", "AADSTS700016: Application …", None)
                .unwrap();
            let r = s.report().unwrap();
            assert!(r.contains("token-expired") && r.contains("   2 / 0"), "{r}");
            assert!(r.contains("Escalations: 0 open, 1 closed"), "{r}");
            assert!(r.contains("   2× AADSTS700016"), "{r}");
        });
    }

    #[test]
    fn a_second_vote_by_the_same_person_replaces_the_first() {
        on_each("a_second_vote_by_the_same_person_replaces_the_first", |s| {
            s.vote("token-expired", true, 1, 10).unwrap();
            s.vote("token-expired", false, 1, 10).unwrap();
            s.vote("token-expired", true, 2, 10).unwrap();
            let r = s.report_data().unwrap();
            assert_eq!(r.entries.len(), 1);
            assert_eq!((r.entries[0].solved, r.entries[0].unhelpful), (1, 1));
        });
    }

    #[test]
    fn a_closed_conversation_can_be_escalated_again_and_both_are_kept() {
        on_each("a_closed_conversation_can_be_escalated_again", |s| {
            let first = escalation("reply:1", "t1");
            s.open_escalation(&first).unwrap();
            assert!(s.close_escalation("t1", "fixed").unwrap());
            let second = escalation("reply:1", "t2");
            s.open_escalation(&second).unwrap();
            assert_eq!(s.open_escalation_of("reply:1").unwrap(), Some(second));
            assert!(s.close_escalation("t2", "fixed again").unwrap());
            let all = s.escalations_of("reply:1").unwrap();
            assert_eq!(all.len(), 2);
            assert!(all.iter().all(|e| e.closed));
        });
    }

    #[test]
    fn one_claim_per_conversation_and_the_others_see_its_thread() {
        on_each("one_claim_per_conversation", |s| {
            let Claim::Claimed(c) = s.claim_escalation("c", "1").unwrap() else {
                panic!("the first request claims it")
            };
            assert_eq!(s.claim_escalation("c", "2").unwrap(), Claim::Pending);
            assert!(s.escalation_opened(&c, &escalation("c", "t9")).unwrap());
            assert_eq!(
                s.claim_escalation("c", "2").unwrap(),
                Claim::Open("t9".into())
            );
            // A claim given up leaves nothing behind.
            let Claim::Claimed(d) = s.claim_escalation("d", "1").unwrap() else {
                panic!("claimed")
            };
            s.abandon_claim(&d).unwrap();
            assert_eq!(s.open_escalation_of("d").unwrap(), None);
            assert!(matches!(
                s.claim_escalation("d", "1").unwrap(),
                Claim::Claimed(_)
            ));
            let r = s.report_data().unwrap();
            assert_eq!(
                r.escalations_open, 1,
                "a claim still pending is not counted"
            );
        });
    }

    #[test]
    fn claims_from_many_threads_at_once_open_one_escalation() {
        let dir = std::env::temp_dir().join(format!("errmedic-claims-{}", std::process::id()));
        let path = dir.join("record.sqlite3");
        let mut targets = vec![Database::Sqlite(path)];
        if let Some(url) = postgres::test_database("claims_from_many_threads_at_once") {
            targets.push(Database::Postgres(Secret::new(url)));
        }
        for target in targets {
            let stores: Vec<Store> = (0..4).map(|_| Store::connect(&target).unwrap()).collect();
            for round in 0..10 {
                let conversation = format!("same-{round}");
                let start = std::sync::Barrier::new(stores.len());
                let claimed = std::thread::scope(|scope| {
                    let handles: Vec<_> = stores
                        .iter()
                        .map(|s| {
                            let (start, conversation) = (&start, &conversation);
                            scope.spawn(move || {
                                start.wait();
                                s.claim_escalation(conversation, "1").unwrap()
                            })
                        })
                        .collect();
                    handles
                        .into_iter()
                        .map(|h| h.join().unwrap())
                        .filter(|c| matches!(c, Claim::Claimed(_)))
                        .count()
                });
                assert_eq!(claimed, 1, "{} round {round}", stores[0].kind());
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_claim_taken_over_as_stale_is_not_completed_by_its_first_owner() {
        on_each("a_claim_taken_over_as_stale", |s| {
            let Claim::Claimed(old) = s.claim_escalation("c", "1").unwrap() else {
                panic!("claimed")
            };
            // The first owner's process stalled: its claim is older than the limit.
            s.execute(
                &format!(
                    "UPDATE escalations SET opened_at = opened_at - {} WHERE conversation = 'c'",
                    STALE_CLAIM_SECS + 5
                ),
                &[],
            )
            .unwrap();
            let Claim::Claimed(new) = s.claim_escalation("c", "2").unwrap() else {
                panic!("a stale claim is taken over")
            };
            assert_ne!(old, new);
            // The first owner finishes late: neither its thread nor its give-up touches the
            // new claim.
            assert!(!s.escalation_opened(&old, &escalation("c", "late")).unwrap());
            s.abandon_claim(&old).unwrap();
            assert!(s.escalation_opened(&new, &escalation("c", "t2")).unwrap());
            assert_eq!(s.open_escalation_of("c").unwrap().unwrap().thread_id, "t2");
        });
    }

    #[test]
    fn knowledge_base_reloads_are_numbered_in_order() {
        on_each("knowledge_base_reloads_are_numbered", |s| {
            assert_eq!(s.last_kb_reload().unwrap(), 0);
            let first = s.kb_reloaded(9).unwrap();
            let second = s.kb_reloaded(9).unwrap();
            assert!(second > first && first > 0);
            assert_eq!(s.last_kb_reload().unwrap(), second);
        });
    }

    #[test]
    fn settings_are_kept_per_server_and_reset_to_the_default() {
        on_each("settings_are_kept_per_server", |s| {
            assert_eq!(s.server_settings(7).unwrap(), Overrides::default());
            s.change_setting(
                7,
                Setting::AutoReplyChannels,
                Some(&V::Channels(vec![1, 2])),
                9,
            )
            .unwrap();
            s.change_setting(7, Setting::Cooldown, Some(&V::Seconds(30)), 9)
                .unwrap();
            s.change_setting(7, Setting::AutoReplies, Some(&V::Switch(false)), 9)
                .unwrap();
            s.change_setting(7, Setting::SupportRole, Some(&V::Role(5)), 9)
                .unwrap();
            s.change_setting(8, Setting::AutoReplyChannels, Some(&V::Channels(vec![])), 9)
                .unwrap();
            let o = s.server_settings(7).unwrap();
            assert_eq!(o.auto_reply_channels, Some(vec![1, 2]));
            assert_eq!(o.cooldown_secs, Some(30));
            assert_eq!(o.auto_replies, Some(false));
            assert_eq!(o.support_role, Some(5));
            assert_eq!(o.staff_role, None);
            assert_eq!(o.changed.map(|(by, _)| by), Some(9), "who changed it last");
            assert_eq!(
                s.server_settings(8).unwrap().auto_reply_channels,
                Some(vec![]),
                "every channel, set, is not the default"
            );
            s.change_setting(7, Setting::Cooldown, None, 9).unwrap();
            assert_eq!(s.server_settings(7).unwrap().cooldown_secs, None);
            assert_eq!(s.server_settings(7).unwrap().support_role, Some(5));
        });
    }

    #[test]
    fn connections_lost_when_the_server_restarts_are_replaced() {
        let Some(url) = postgres::test_database("connections_lost_are_replaced") else {
            return;
        };
        let s = Store::connect(&Database::Postgres(Secret::new(url))).unwrap();
        s.vote("x", true, 1, 1).unwrap();
        // What a restart does to the pool: every connection to the database is cut.
        let cut = s
            .query(
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
                &[],
            )
            .unwrap();
        assert!(cut[0].int(0).is_ok());
        s.query("SELECT pg_terminate_backend(pg_backend_pid())", &[])
            .ok();
        for i in 0..3 {
            s.vote("x", true, 2 + i, 1).unwrap();
        }
        assert_eq!(s.report_data().unwrap().entries[0].solved, 4);
    }

    #[test]
    fn a_record_of_the_first_schema_is_migrated_with_its_escalations() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(&format!(
            "BEGIN; {}; PRAGMA user_version = 1; COMMIT;",
            migrations::render(migrations::MIGRATIONS[0], migrations::Dialect::Sqlite)
        ))
        .unwrap();
        conn.execute(
            "INSERT INTO escalations (opened_at, conversation, thread_id, reporter, summary) VALUES (1, 'c', 't', 'r', 's')",
            [],
        )
        .unwrap();
        conn.execute_batch(
            "INSERT INTO votes (at, entry, helpful, user_id, message_id) VALUES (1, 'e', 1, 'u', 'm'), (2, 'e', 0, 'u', 'm')",
        )
        .unwrap();
        let s = Store::with(Db::Sqlite(sqlite::Db::with_connection(conn).unwrap()));
        assert_eq!(s.open_escalation_of("c").unwrap().unwrap().thread_id, "t");
        let r = s.report_data().unwrap();
        assert_eq!(
            (r.entries[0].solved, r.entries[0].unhelpful),
            (0, 1),
            "a doubled vote keeps the last"
        );
    }

    #[test]
    fn migrations_run_once_and_the_folder_is_created() {
        let dir = std::env::temp_dir().join(format!("errmedic-store-{}", std::process::id()));
        let path = dir.join("nested/record.sqlite3");
        {
            let s = Store::open(&path).unwrap();
            s.vote("x", true, 1, 1).unwrap();
        }
        let s = Store::open(&path).unwrap();
        assert!(s.report().unwrap().contains("x"));
        std::fs::remove_dir_all(&dir).unwrap();
        if let Some(url) = postgres::test_database("migrations_run_once") {
            let target = Database::Postgres(Secret::new(url));
            Store::connect(&target)
                .unwrap()
                .vote("x", true, 1, 1)
                .unwrap();
            let s = Store::connect(&target).unwrap();
            assert!(s.report().unwrap().contains("x"));
        }
    }

    #[test]
    fn the_report_keeps_the_last_excerpt_and_names_what_did_not_help() {
        on_each("the_report_keeps_the_last_excerpt", |s| {
            s.unanswered("backup failed quota", "zzz first excerpt", None)
                .unwrap();
            // The same message seen twice (two shards, an edit) counts once.
            for _ in 0..2 {
                s.unanswered("backup failed quota", "aaa last excerpt", Some(77))
                    .unwrap();
            }
            s.vote("mfa-expired", false, 1, 1).unwrap();
            s.vote("mfa-expired", false, 2, 1).unwrap();
            s.vote("token-expired", true, 1, 2).unwrap();
            let r = s.report_data().unwrap();
            assert_eq!(r.unanswered[0].count, 2);
            assert_eq!(r.unanswered[0].last_excerpt, "aaa last excerpt");
            assert!(r.unanswered[0].first_at <= r.unanswered[0].last_at);
            let text = r.to_string();
            assert!(text.contains("Most often didn't help"), "{text}");
            assert!(
                text.contains("mfa-expired") && text.contains("since "),
                "{text}"
            );
            let json = serde_json::to_value(&r).unwrap();
            assert_eq!(json["unanswered"][0]["signature"], "backup failed quota");
            assert_eq!(json["entries"][0]["entry"], "token-expired");
        });
    }
}
