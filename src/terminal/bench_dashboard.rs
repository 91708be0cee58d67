//! `errmedic bench-dashboard`: how long a server's dashboard takes to make (read the record,
//! draw the page) with `--events` recorded for that server — and as many for another server —
//! against the same on an empty record, in the same run. Medians and p99 in milliseconds.

use std::path::Path;

use crate::dashboard::{home, page, View};
use crate::devtools::bench::{measure, Stats};
use crate::store::Store;

/// The figures, one line each.
pub fn run(
    events: usize,
    iterations: usize,
    kb_dir: &Path,
    database: Option<&str>,
) -> anyhow::Result<String> {
    let now = crate::text::dates::unix_now();
    let scratch =
        std::env::temp_dir().join(format!("errmedic-bench-dashboard-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch)?;
    let open = |name: &str| -> anyhow::Result<Store> {
        match database {
            Some(url) => {
                let url = crate::store::postgres::scratch_database(url)?;
                Store::connect(&crate::config::Database::Postgres(
                    crate::config::Secret::new(url),
                ))
            }
            None => Store::open(&scratch.join(name)),
        }
    };
    let (guild, other) = (900_000_000_000_000_001u64, 900_000_000_000_000_003u64);
    let empty = open("empty.sqlite3")?;
    let full = open("full.sqlite3")?;
    full.sample_events(guild, events, now)?;
    full.sample_events(other, events, now)?;
    let mut out = String::new();
    let mut line = |name: &str, s: Stats| {
        out.push_str(&format!(
            "{name:<34} {:>9.2} ms median {:>9.2} ms p99\n",
            s.median / 1000.0,
            s.p99 / 1000.0
        ))
    };
    let page_of = |store: &Store, with_home: bool| -> anyhow::Result<String> {
        let server = store.server_view(guild, now)?;
        let home = with_home.then(|| home::read(kb_dir, now.div_euclid(86_400)));
        let view = View { server, home };
        Ok(page::render(&view.server, view.home.as_ref()))
    };
    let size = page_of(&full, true)?.len();
    let mut failed = None;
    for (name, store, with_home) in [
        ("page, empty record (baseline)".to_string(), &empty, false),
        ("page, empty record, home server".to_string(), &empty, true),
        (format!("page, {events} events"), &full, false),
        (format!("page, {events} events, home server"), &full, true),
    ] {
        let s = measure(iterations, &[""], |_| {
            if let Err(e) = page_of(store, with_home) {
                failed = Some(e);
            }
        });
        line(&name, s);
    }
    if let Some(e) = failed {
        return Err(e);
    }
    let view = full.server_view(guild, now)?;
    let s = measure(iterations, &[""], |_| {
        std::hint::black_box(page::render(&view, None));
    });
    line("drawing only (no record)", s);
    let _ = std::fs::remove_dir_all(&scratch);
    out.push_str(&format!(
        "events per server: {events} (and as many for another server); page: {size} bytes; record: {}\n",
        if database.is_some() { "PostgreSQL" } else { "SQLite" }
    ));
    Ok(out)
}
