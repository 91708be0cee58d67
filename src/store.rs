//! The record: votes on answers, escalations and pastes nothing answered, in SQLite. Opened
//! once, migrated on open; every write is small and synchronous (callers on an async runtime run
//! them on a blocking thread). `report` summarises the record for a support lead.

use std::path::Path;

use anyhow::Context;
use rusqlite::{params, Connection};

/// Schema versions, applied in order; the database's `user_version` says how many ran.
const MIGRATIONS: &[&str] = &[
    "CREATE TABLE votes (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        entry TEXT NOT NULL,
        helpful INTEGER NOT NULL,
        user_id TEXT NOT NULL,
        message_id TEXT NOT NULL
    );
    CREATE TABLE escalations (
        id INTEGER PRIMARY KEY,
        opened_at INTEGER NOT NULL,
        conversation TEXT NOT NULL UNIQUE,
        thread_id TEXT NOT NULL,
        reporter TEXT NOT NULL,
        summary TEXT NOT NULL,
        closed_at INTEGER,
        outcome TEXT
    );
    CREATE TABLE unanswered (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        signature TEXT NOT NULL,
        excerpt TEXT NOT NULL
    );
    CREATE INDEX unanswered_signature ON unanswered(signature);",
    // A conversation may be escalated again after its escalation was closed: one *open*
    // escalation per conversation, and the closed ones kept as history.
    "CREATE TABLE escalations_v2 (
        id INTEGER PRIMARY KEY,
        opened_at INTEGER NOT NULL,
        conversation TEXT NOT NULL,
        thread_id TEXT NOT NULL,
        reporter TEXT NOT NULL,
        summary TEXT NOT NULL,
        closed_at INTEGER,
        outcome TEXT
    );
    INSERT INTO escalations_v2 SELECT * FROM escalations;
    DROP TABLE escalations;
    ALTER TABLE escalations_v2 RENAME TO escalations;
    CREATE UNIQUE INDEX escalations_open ON escalations(conversation) WHERE closed_at IS NULL;
    CREATE INDEX escalations_thread ON escalations(thread_id);",
    // What a draft entry is written from: the original error (redacted), the codes and products
    // read, and the messages staff mark for the draft.
    "ALTER TABLE escalations ADD COLUMN original TEXT NOT NULL DEFAULT '';
    ALTER TABLE escalations ADD COLUMN codes TEXT NOT NULL DEFAULT '';
    ALTER TABLE escalations ADD COLUMN products TEXT NOT NULL DEFAULT '';
    CREATE TABLE escalation_notes (
        id INTEGER PRIMARY KEY,
        thread_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        text TEXT NOT NULL
    );
    CREATE INDEX escalation_notes_thread ON escalation_notes(thread_id);",
];

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

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "Entries by helpfulness (solved / didn't help):")?;
        for e in &self.entries {
            writeln!(f, "  {:<36} {:>4} / {}", e.entry, e.solved, e.unhelpful)?;
        }
        if self.entries.is_empty() {
            writeln!(f, "  (no votes yet)")?;
        }
        let mut worst: Vec<&EntryVotes> = self.entries.iter().filter(|e| e.unhelpful > 0).collect();
        worst.sort_by(|a, b| b.unhelpful.cmp(&a.unhelpful).then(a.entry.cmp(&b.entry)));
        if !worst.is_empty() {
            writeln!(f, "\nMost often didn't help (the entries to improve):")?;
            for e in worst.iter().take(10) {
                writeln!(f, "  {:<36} {:>4}", e.entry, e.unhelpful)?;
            }
        }
        writeln!(
            f,
            "\nEscalations: {} open, {} closed",
            self.escalations_open, self.escalations_closed
        )?;
        writeln!(
            f,
            "\nMost frequent errors nothing answered (the entries to write next):"
        )?;
        for u in &self.unanswered {
            writeln!(
                f,
                "  {:>4}× {} — since {}, last {} — {}",
                u.count,
                u.signature,
                crate::kb::drafts::civil(u.first_at.div_euclid(86_400)),
                crate::kb::drafts::civil(u.last_at.div_euclid(86_400)),
                u.last_excerpt
            )?;
        }
        if self.unanswered.is_empty() {
            writeln!(f, "  (none recorded)")?;
        }
        Ok(())
    }
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

/// The SQLite record.
pub struct Store {
    conn: Connection,
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

impl Store {
    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    pub fn open(path: &Path) -> anyhow::Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("creating the folder of {}", path.display()))?;
        }
        let conn = Connection::open(path).with_context(|| format!("opening {}", path.display()))?;
        Store::with_connection(conn)
    }

    /// An in-memory store, for tests.
    pub fn in_memory() -> anyhow::Result<Store> {
        Store::with_connection(Connection::open_in_memory()?)
    }

    fn with_connection(conn: Connection) -> anyhow::Result<Store> {
        conn.busy_timeout(std::time::Duration::from_secs(2))?;
        let _ = conn.pragma_update(None, "journal_mode", "WAL");
        let version: usize = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
            conn.execute_batch(&format!(
                "BEGIN; {sql}; PRAGMA user_version = {}; COMMIT;",
                i + 1
            ))
            .with_context(|| format!("applying migration {}", i + 1))?;
        }
        Ok(Store { conn })
    }

    /// Records a Solved / Didn't help vote on an answer.
    pub fn vote(
        &self,
        entry: &str,
        helpful: bool,
        user_id: u64,
        message_id: u64,
    ) -> anyhow::Result<()> {
        self.conn.execute(
            "INSERT INTO votes (at, entry, helpful, user_id, message_id) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![now(), entry, helpful, user_id.to_string(), message_id.to_string()],
        )?;
        Ok(())
    }

    /// The escalation open for a conversation, if any.
    pub fn open_escalation_of(&self, conversation: &str) -> anyhow::Result<Option<Escalation>> {
        Ok(self
            .escalations_where("conversation = ?1 AND closed_at IS NULL", conversation)?
            .pop())
    }

    /// Every escalation of a conversation, oldest first.
    pub fn escalations_of(&self, conversation: &str) -> anyhow::Result<Vec<Escalation>> {
        self.escalations_where("conversation = ?1", conversation)
    }

    fn escalations_where(&self, condition: &str, value: &str) -> anyhow::Result<Vec<Escalation>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT conversation, thread_id, reporter, summary, closed_at IS NOT NULL FROM escalations WHERE {condition} ORDER BY id"
        ))?;
        let rows = stmt.query_map(params![value], |r| {
            Ok(Escalation {
                conversation: r.get(0)?,
                thread_id: r.get(1)?,
                reporter: r.get(2)?,
                summary: r.get(3)?,
                closed: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records a new escalation thread. Fails when the conversation already has an open one.
    pub fn open_escalation(&self, e: &Escalation) -> anyhow::Result<()> {
        self.conn.execute(
            "INSERT INTO escalations (opened_at, conversation, thread_id, reporter, summary) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![now(), e.conversation, e.thread_id, e.reporter, e.summary],
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
        self.conn.execute(
            "UPDATE escalations SET original = ?1, codes = ?2, products = ?3 WHERE thread_id = ?4",
            params![original, codes.join(" "), products.join("|"), thread_id],
        )?;
        Ok(())
    }

    /// Keeps a message staff marked for the draft of the escalation in `thread_id` (redacted by
    /// the caller). False when the thread holds no escalation.
    pub fn escalation_note(&self, thread_id: &str, text: &str) -> anyhow::Result<bool> {
        let known: bool = self.conn.query_row(
            "SELECT COUNT(*) > 0 FROM escalations WHERE thread_id = ?1",
            params![thread_id],
            |r| r.get(0),
        )?;
        if known {
            self.conn.execute(
                "INSERT INTO escalation_notes (thread_id, at, text) VALUES (?1, ?2, ?3)",
                params![thread_id, now(), text],
            )?;
        }
        Ok(known)
    }

    /// What a draft is written from, for the escalation in a thread or with a record id: the
    /// latest one when a thread was escalated more than once.
    pub fn draft_source(&self, key: DraftKey<'_>) -> anyhow::Result<Option<DraftSource>> {
        let (condition, value) = match key {
            DraftKey::Thread(t) => ("thread_id = ?1", t.to_string()),
            DraftKey::Id(id) => ("id = ?1", id.to_string()),
        };
        let row = self.conn.query_row(
            &format!("SELECT id, thread_id, original, codes, products, COALESCE(outcome, '') FROM escalations WHERE {condition} ORDER BY id DESC LIMIT 1"),
            params![value],
            |r| {
                Ok(DraftSource {
                    id: r.get(0)?,
                    thread_id: r.get(1)?,
                    original: r.get(2)?,
                    codes: r
                        .get::<_, String>(3)?
                        .split_whitespace()
                        .map(String::from)
                        .collect(),
                    products: r
                        .get::<_, String>(4)?
                        .split('|')
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect(),
                    outcome: r.get(5)?,
                    notes: Vec::new(),
                })
            },
        );
        let mut source = match row {
            Ok(s) => s,
            Err(rusqlite::Error::QueryReturnedNoRows) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let mut stmt = self
            .conn
            .prepare("SELECT text FROM escalation_notes WHERE thread_id = ?1 ORDER BY id")?;
        source.notes = stmt
            .query_map(params![source.thread_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(Some(source))
    }

    /// Closes the escalation whose thread is `thread_id`, with an outcome. False when there is
    /// no such open escalation.
    pub fn close_escalation(&self, thread_id: &str, outcome: &str) -> anyhow::Result<bool> {
        let n = self.conn.execute(
            "UPDATE escalations SET closed_at = ?1, outcome = ?2 WHERE thread_id = ?3 AND closed_at IS NULL",
            params![now(), outcome, thread_id],
        )?;
        Ok(n > 0)
    }

    /// Records a paste that looked like an error but that nothing answered. `signature` groups
    /// the same error (its codes, or its first words).
    pub fn unanswered(&self, signature: &str, excerpt: &str) -> anyhow::Result<()> {
        self.conn.execute(
            "INSERT INTO unanswered (at, signature, excerpt) VALUES (?1, ?2, ?3)",
            params![now(), signature, excerpt],
        )?;
        Ok(())
    }

    /// What a support lead needs to decide what to teach next: entries by helpfulness (and the
    /// ones that most often did not help), escalations, and the errors nothing answered — how
    /// often, since when, and the last redacted excerpt.
    pub fn report_data(&self) -> anyhow::Result<Report> {
        let mut stmt = self.conn.prepare(
            "SELECT entry, SUM(helpful), SUM(1 - helpful) FROM votes GROUP BY entry ORDER BY SUM(helpful) - SUM(1 - helpful) DESC, entry",
        )?;
        let entries = stmt
            .query_map([], |r| {
                Ok(EntryVotes {
                    entry: r.get(0)?,
                    solved: r.get(1)?,
                    unhelpful: r.get(2)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let (open, closed): (i64, i64) = self.conn.query_row(
            "SELECT COUNT(*) - COUNT(closed_at), COUNT(closed_at) FROM escalations",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut stmt = self.conn.prepare(
            "SELECT signature, COUNT(*), MIN(at), MAX(at),
                    (SELECT excerpt FROM unanswered u2 WHERE u2.signature = u.signature ORDER BY id DESC LIMIT 1)
             FROM unanswered u GROUP BY signature ORDER BY COUNT(*) DESC, signature LIMIT 25",
        )?;
        let unanswered = stmt
            .query_map([], |r| {
                Ok(Unanswered {
                    signature: r.get(0)?,
                    count: r.get(1)?,
                    first_at: r.get(2)?,
                    last_at: r.get(3)?,
                    last_excerpt: r.get(4)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
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

    #[test]
    fn votes_escalations_and_gaps_appear_in_the_report() {
        let s = Store::in_memory().unwrap();
        s.vote("token-expired", true, 1, 10).unwrap();
        s.vote("token-expired", true, 2, 10).unwrap();
        s.vote("mfa-expired", false, 1, 11).unwrap();
        let e = Escalation {
            conversation: "c1".into(),
            thread_id: "t1".into(),
            reporter: "1".into(),
            summary: "s".into(),
            closed: false,
        };
        s.open_escalation(&e).unwrap();
        assert_eq!(s.open_escalation_of("c1").unwrap(), Some(e.clone()));
        assert!(
            s.open_escalation(&Escalation {
                thread_id: "t2".into(),
                ..e.clone()
            })
            .is_err(),
            "one open escalation per conversation"
        );
        assert!(s.close_escalation("t1", "fixed").unwrap());
        assert!(!s.close_escalation("t1", "again").unwrap());
        assert_eq!(s.open_escalation_of("c1").unwrap(), None);
        s.unanswered("AADSTS700016", "AADSTS700016: Application …")
            .unwrap();
        s.unanswered("AADSTS700016", "AADSTS700016: Application …")
            .unwrap();
        let r = s.report().unwrap();
        assert!(r.contains("token-expired") && r.contains("   2 / 0"), "{r}");
        assert!(r.contains("Escalations: 0 open, 1 closed"), "{r}");
        assert!(r.contains("   2× AADSTS700016"), "{r}");
    }

    #[test]
    fn a_closed_conversation_can_be_escalated_again_and_both_are_kept() {
        let s = Store::in_memory().unwrap();
        let first = Escalation {
            conversation: "reply:1".into(),
            thread_id: "t1".into(),
            reporter: "9".into(),
            summary: "first".into(),
            closed: false,
        };
        s.open_escalation(&first).unwrap();
        assert!(s.close_escalation("t1", "fixed").unwrap());
        let second = Escalation {
            thread_id: "t2".into(),
            summary: "second".into(),
            ..first.clone()
        };
        s.open_escalation(&second).unwrap();
        assert_eq!(s.open_escalation_of("reply:1").unwrap(), Some(second));
        assert!(s.close_escalation("t2", "fixed again").unwrap());
        let all = s.escalations_of("reply:1").unwrap();
        assert_eq!(all.len(), 2);
        assert!(all.iter().all(|e| e.closed));
    }

    #[test]
    fn a_record_of_the_first_schema_is_migrated_with_its_escalations() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(&format!(
            "BEGIN; {}; PRAGMA user_version = 1; COMMIT;",
            MIGRATIONS[0]
        ))
        .unwrap();
        conn.execute(
            "INSERT INTO escalations (opened_at, conversation, thread_id, reporter, summary) VALUES (1, 'c', 't', 'r', 's')",
            [],
        )
        .unwrap();
        let s = Store::with_connection(conn).unwrap();
        assert_eq!(s.open_escalation_of("c").unwrap().unwrap().thread_id, "t");
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
    }

    #[test]
    fn the_report_keeps_the_last_excerpt_and_names_what_did_not_help() {
        let s = Store::in_memory().unwrap();
        s.unanswered("backup failed quota", "zzz first excerpt")
            .unwrap();
        s.unanswered("backup failed quota", "aaa last excerpt")
            .unwrap();
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
    }
}
