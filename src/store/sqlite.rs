//! The record in an SQLite file: one connection, used by one caller at a time.

use std::path::Path;
use std::sync::Mutex;

use anyhow::Context;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::Connection;

use super::migrations::{render, Dialect, MIGRATIONS};
use super::value::{Reader, Row, Value};

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Int(n) => ToSqlOutput::from(*n),
            Value::Text(s) => ToSqlOutput::from(s.as_str()),
            Value::Null => ToSqlOutput::from(rusqlite::types::Null),
        })
    }
}

fn read(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(n) => Value::Int(n),
        ValueRef::Real(f) => Value::Int(f as i64),
        ValueRef::Text(t) | ValueRef::Blob(t) => Value::Text(String::from_utf8_lossy(t).into()),
    }
}

/// Queries are written with PostgreSQL's `$1`; SQLite reads the same numbers as `?1`. `{now}`
/// is the database's clock in Unix seconds.
fn placeholders(sql: &str) -> String {
    sql.replace('$', "?")
        .replace("{now}", "CAST(strftime('%s', 'now') AS INTEGER)")
}

pub struct Db {
    conn: Mutex<Connection>,
}

impl Db {
    pub fn open(path: &Path) -> anyhow::Result<Db> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("creating the folder of {}", path.display()))?;
        }
        let conn = Connection::open(path).with_context(|| format!("opening {}", path.display()))?;
        Db::with_connection(conn)
    }

    pub fn in_memory() -> anyhow::Result<Db> {
        Db::with_connection(Connection::open_in_memory()?)
    }

    pub fn with_connection(conn: Connection) -> anyhow::Result<Db> {
        conn.busy_timeout(std::time::Duration::from_secs(2))?;
        let _ = conn.pragma_update(None, "journal_mode", "WAL");
        let version: usize = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
            conn.execute_batch(&format!(
                "BEGIN; {}; PRAGMA user_version = {}; COMMIT;",
                render(sql, Dialect::Sqlite),
                i + 1
            ))
            .with_context(|| format!("applying migration {} to the SQLite record", i + 1))?;
        }
        Ok(Db {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn execute(&self, sql: &str, params: &[Value]) -> anyhow::Result<u64> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&placeholders(sql))?;
        Ok(stmt.execute(rusqlite::params_from_iter(params))? as u64)
    }

    /// One statement run once per set of parameters, in one transaction.
    pub fn execute_many(&self, sql: &str, rows: &[Vec<Value>]) -> anyhow::Result<()> {
        let conn = self.conn();
        let tx = conn.unchecked_transaction()?;
        {
            let mut stmt = tx.prepare_cached(&placeholders(sql))?;
            for params in rows {
                stmt.execute(rusqlite::params_from_iter(params))?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    pub fn query(&self, sql: &str, params: &[Value]) -> anyhow::Result<Vec<Row>> {
        query_on(&self.conn(), sql, params)
    }

    /// Runs `f`'s queries in one read transaction: they see one state of the record.
    pub fn snapshot<T>(
        &self,
        f: impl FnOnce(&mut Reader<'_>) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        let conn = self.conn();
        let tx = conn.unchecked_transaction()?;
        let mut read = |sql: &str, params: &[Value]| query_on(&tx, sql, params);
        let out = f(&mut read)?;
        tx.commit()?;
        Ok(out)
    }
}

fn query_on(conn: &Connection, sql: &str, params: &[Value]) -> anyhow::Result<Vec<Row>> {
    let mut stmt = conn.prepare_cached(&placeholders(sql))?;
    let columns = stmt.column_count();
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(Row((0..columns)
            .map(|i| r.get_ref(i).map(read))
            .collect::<Result<_, _>>()?));
    }
    Ok(out)
}
