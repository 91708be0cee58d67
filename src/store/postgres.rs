//! The record in PostgreSQL, shared by several processes: a pool of connections (r2d2), each
//! checked before use, so that connections lost when the server restarts are replaced. A
//! request waits at most [`WAIT`] for a connection, so that a database that is down slows
//! nothing the bot says.

use std::error::Error as StdError;
use std::time::Duration;

use anyhow::Context;
use postgres::types::{private::BytesMut, to_sql_checked, FromSql, IsNull, ToSql, Type};
use postgres::NoTls;
use r2d2_postgres::PostgresConnectionManager;

use super::migrations::{render, Dialect, MIGRATIONS};
use super::value::{Reader, Row, Value};

/// The longest a request waits for a connection.
pub const WAIT: Duration = Duration::from_secs(2);
/// Connections per process.
const POOL: u32 = 8;
/// Held while migrating, so that processes starting together migrate one after another.
const MIGRATION_LOCK: i64 = 0x6572_726d_6564_6963; // "errmedic"

type Boxed = Box<dyn StdError + Sync + Send>;

impl ToSql for Value {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, Boxed> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(n) => match *ty {
                Type::INT2 => i16::try_from(*n)?.to_sql(ty, out),
                Type::INT4 => i32::try_from(*n)?.to_sql(ty, out),
                Type::BOOL => (*n != 0).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
                    n.to_string().to_sql(ty, out)
                }
                _ => n.to_sql(ty, out),
            },
            Value::Text(s) => s.as_str().to_sql(ty, out),
        }
    }

    fn accepts(ty: &Type) -> bool {
        matches!(
            *ty,
            Type::INT2
                | Type::INT4
                | Type::INT8
                | Type::BOOL
                | Type::TEXT
                | Type::VARCHAR
                | Type::BPCHAR
                | Type::NAME
        )
    }

    to_sql_checked!();
}

impl<'a> FromSql<'a> for Value {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Value, Boxed> {
        Ok(match *ty {
            Type::INT2 => Value::Int(i16::from_sql(ty, raw)?.into()),
            Type::INT4 => Value::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT8 => Value::Int(i64::from_sql(ty, raw)?),
            Type::BOOL => Value::Int(bool::from_sql(ty, raw)?.into()),
            _ => Value::Text(String::from_sql(ty, raw)?),
        })
    }

    fn from_sql_null(_: &Type) -> Result<Value, Boxed> {
        Ok(Value::Null)
    }

    fn accepts(ty: &Type) -> bool {
        <Value as ToSql>::accepts(ty)
    }
}

type Pool = r2d2::Pool<PostgresConnectionManager<NoTls>>;

pub struct Db {
    /// Always `Some` until dropped.
    pool: Option<Pool>,
}

/// The driver's connections close by blocking on a runtime of their own, which panics on a
/// thread that drives async tasks — where the bot's state is dropped at shutdown. The pool is
/// dropped on a plain thread instead.
impl Drop for Db {
    fn drop(&mut self) {
        if let Some(pool) = self.pool.take() {
            let _ = std::thread::spawn(move || drop(pool)).join();
        }
    }
}

/// Limits on every connection, unless the URL sets them: a server that is down, unreachable
/// or hung answers within seconds, never holds the bot.
fn bounded(mut config: postgres::Config) -> postgres::Config {
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(WAIT);
    }
    if config.get_tcp_user_timeout().is_none() {
        config.tcp_user_timeout(Duration::from_secs(10));
    }
    config
}

/// Statement and lock limits, set on each new connection (not as startup `options`, which
/// connection poolers such as PgBouncer refuse).
#[derive(Debug)]
struct Limits;

impl r2d2::CustomizeConnection<postgres::Client, postgres::Error> for Limits {
    fn on_acquire(&self, conn: &mut postgres::Client) -> Result<(), postgres::Error> {
        conn.batch_execute("SET statement_timeout = 5000; SET lock_timeout = 5000")
    }
}

impl Db {
    /// Connects to `url` (migrating the schema if needed).
    pub fn open(url: &str) -> anyhow::Result<Db> {
        let config: postgres::Config = url
            .parse()
            .context("reading the PostgreSQL URL (ERRMEDIC_DATABASE)")?;
        let manager = PostgresConnectionManager::new(bounded(config), NoTls);
        let pool = r2d2::Pool::builder()
            .max_size(POOL)
            .min_idle(Some(1))
            .connection_timeout(WAIT)
            .test_on_check_out(true)
            .error_handler(Box::new(r2d2::LoggingErrorHandler))
            .connection_customizer(Box::new(Limits))
            .build_unchecked(manager);
        let db = Db { pool: Some(pool) };
        db.migrate()?;
        Ok(db)
    }

    fn client(&self) -> anyhow::Result<r2d2::PooledConnection<PostgresConnectionManager<NoTls>>> {
        self.pool
            .as_ref()
            .expect("the pool lives until the store is dropped")
            .get()
            .context("no connection to PostgreSQL (is the server up?)")
    }

    fn migrate(&self) -> anyhow::Result<()> {
        let mut client = self.client()?;
        let mut tx = client.transaction()?;
        // Another process migrating holds the lock; waiting longer than this is a problem to
        // report, not a reason to hang at start.
        tx.batch_execute("SET LOCAL lock_timeout = '20s'; SET LOCAL statement_timeout = '60s'")?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .context("waiting for another process to finish migrating the record")?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS errmedic_schema (version BIGINT NOT NULL)")?;
        let version: i64 = match tx.query_opt("SELECT version FROM errmedic_schema", &[])? {
            Some(row) => row.get(0),
            None => {
                tx.execute("INSERT INTO errmedic_schema (version) VALUES (0)", &[])?;
                0
            }
        };
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.batch_execute(&render(sql, Dialect::Postgres))
                .with_context(|| format!("applying migration {} to PostgreSQL", i + 1))?;
            tx.execute(
                "UPDATE errmedic_schema SET version = $1",
                &[&(i as i64 + 1)],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn execute(&self, sql: &str, params: &[Value]) -> anyhow::Result<u64> {
        let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
        Ok(self.client()?.execute(render_now(sql).as_ref(), &params)?)
    }

    /// Runs `f`'s queries in one read-only, repeatable-read transaction: they see one state of
    /// the record.
    pub fn snapshot<T>(
        &self,
        f: impl FnOnce(&mut Reader<'_>) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        let mut client = self.client()?;
        let mut tx = client
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        let out = {
            let mut read = |sql: &str, params: &[Value]| -> anyhow::Result<Vec<Row>> {
                let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
                tx.query(render_now(sql).as_ref(), &params)?
                    .iter()
                    .map(|r| {
                        Ok(Row((0..r.len())
                            .map(|i| r.try_get::<_, Value>(i))
                            .collect::<Result<_, _>>()?))
                    })
                    .collect()
            };
            f(&mut read)?
        };
        tx.commit()?;
        Ok(out)
    }

    /// One statement run once per set of parameters, in one transaction.
    pub fn execute_many(&self, sql: &str, rows: &[Vec<Value>]) -> anyhow::Result<()> {
        let mut client = self.client()?;
        let mut tx = client.transaction()?;
        let stmt = tx.prepare(render_now(sql).as_ref())?;
        for params in rows {
            let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
            tx.execute(&stmt, &params)?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn query(&self, sql: &str, params: &[Value]) -> anyhow::Result<Vec<Row>> {
        let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
        let rows = self.client()?.query(render_now(sql).as_ref(), &params)?;
        rows.iter()
            .map(|r| {
                Ok(Row((0..r.len())
                    .map(|i| r.try_get::<_, Value>(i))
                    .collect::<Result<_, _>>()?))
            })
            .collect()
    }
}

/// `{now}` in a query: the database's clock, in Unix seconds (one clock for every process).
fn render_now(sql: &str) -> std::borrow::Cow<'_, str> {
    if sql.contains("{now}") {
        sql.replace("{now}", "CAST(EXTRACT(EPOCH FROM now()) AS BIGINT)")
            .into()
    } else {
        sql.into()
    }
}

/// A new, empty database on the server of `url`, and its URL: each test gets its own.
#[doc(hidden)]
pub fn scratch_database(url: &str) -> anyhow::Result<String> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let config: postgres::Config = url.parse()?;
    let mut client = config.connect(NoTls)?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let name = format!(
        "errmedic_test_{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    );
    client.batch_execute(&format!("CREATE DATABASE {name}"))?;
    Ok(with_dbname(url, &name))
}

/// `url` with its database name replaced.
fn with_dbname(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// Whether a test may use PostgreSQL: `ERRMEDIC_TEST_POSTGRES` names a server (and this
/// machine has one). Without it the test's PostgreSQL part is skipped, and it says so on the
/// terminal (even when output is captured); with `ERRMEDIC_REQUIRE_POSTGRES=1` a missing server
/// fails it.
#[doc(hidden)]
pub fn test_server(test: &str) -> Option<String> {
    use std::io::Write;
    match std::env::var("ERRMEDIC_TEST_POSTGRES") {
        Ok(url) if !url.trim().is_empty() => Some(url.trim().to_string()),
        _ => {
            assert!(
                std::env::var("ERRMEDIC_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "{test}: ERRMEDIC_REQUIRE_POSTGRES=1 but ERRMEDIC_TEST_POSTGRES is not set"
            );
            let _ = writeln!(
                std::io::stderr(),
                "{test}: PostgreSQL half skipped: ERRMEDIC_TEST_POSTGRES is not set (.ci/run starts a throwaway server and sets it)"
            );
            None
        }
    }
}

/// A fresh database for one test on the server named by `ERRMEDIC_TEST_POSTGRES` (see
/// [`test_server`]).
#[doc(hidden)]
pub fn test_database(test: &str) -> Option<String> {
    let url = test_server(test)?;
    Some(
        scratch_database(&url)
            .unwrap_or_else(|e| panic!("ERRMEDIC_TEST_POSTGRES: no scratch database: {e:#}")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_store_can_be_dropped_where_async_tasks_run() {
        let Some(url) = tokio::task::spawn_blocking(|| test_database("dropped_on_the_runtime"))
            .await
            .unwrap()
        else {
            return;
        };
        let db = tokio::task::spawn_blocking(move || {
            let db = Db::open(&url).unwrap();
            db.execute("SELECT 1", &[]).unwrap();
            db
        })
        .await
        .unwrap();
        // On a worker of the runtime, as the bot's state is at shutdown.
        tokio::spawn(async move { drop(db) }).await.unwrap();
    }

    #[test]
    fn a_database_name_is_replaced_and_the_rest_kept() {
        assert_eq!(
            with_dbname(
                "postgres://u:p@127.0.0.1:5433/postgres?sslmode=disable",
                "t1"
            ),
            "postgres://u:p@127.0.0.1:5433/t1?sslmode=disable"
        );
        assert_eq!(
            with_dbname("postgresql://127.0.0.1", "t2"),
            "postgresql://127.0.0.1/t2"
        );
    }
}
