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
];

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

    /// The report for a support lead: entries by helpfulness, escalations, and the most frequent
    /// unanswered errors.
    pub fn report(&self) -> anyhow::Result<String> {
        let mut out = String::from("Entries by helpfulness (solved / didn't help):\n");
        let mut stmt = self.conn.prepare(
            "SELECT entry, SUM(helpful), SUM(1 - helpful) FROM votes GROUP BY entry ORDER BY SUM(helpful) - SUM(1 - helpful) DESC, entry",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        let mut any = false;
        for row in rows {
            let (entry, good, bad) = row?;
            out.push_str(&format!("  {entry:<36} {good:>4} / {bad}\n"));
            any = true;
        }
        if !any {
            out.push_str("  (no votes yet)\n");
        }
        let (open, closed): (i64, i64) = self.conn.query_row(
            "SELECT COUNT(*) - COUNT(closed_at), COUNT(closed_at) FROM escalations",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        out.push_str(&format!("\nEscalations: {open} open, {closed} closed\n"));
        out.push_str("\nMost frequent errors nothing answered (the entries to write next):\n");
        let mut stmt = self.conn.prepare(
            "SELECT signature, COUNT(*), MAX(excerpt) FROM unanswered GROUP BY signature ORDER BY COUNT(*) DESC, signature LIMIT 15",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut any = false;
        for row in rows {
            let (signature, n, excerpt) = row?;
            out.push_str(&format!("  {n:>4}× {signature} — {excerpt}\n"));
            any = true;
        }
        if !any {
            out.push_str("  (none recorded)\n");
        }
        Ok(out)
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
}
