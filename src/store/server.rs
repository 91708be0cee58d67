//! Each server's own view of the record, for its support lead's dashboard: what errmedic did
//! there per day (counted in memory by [`Tally`] and added in batches, so that a busy server
//! costs the record one write per kind and day, not one per message), the errors nothing
//! answered, entries by helpfulness and escalations. Every query names the server: nothing of
//! one server is read for another's view.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use super::value::Reader;
use super::{now, unanswered_of_row, Store, Unanswered, Value};
use crate::text::dates::civil;

/// How many days the view covers, today included.
pub const DAYS: i64 = 30;

/// How many distinct counts a [`Tally`] keeps between two flushes; beyond it, new keys are
/// dropped (and said so) rather than memory growing without bound.
const TALLY_KEYS: usize = 100_000;

/// What is counted per server and day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// An unprompted answer from a curated entry.
    ReplyCurated,
    /// An unprompted answer from the reference tier.
    ReplyReference,
    /// An error seen and left unanswered (the gate held back, or nothing matched it).
    Silence,
    /// A `/fix` lookup.
    Lookup,
    /// An entry shown in an answer (counted per entry).
    Shown,
}

impl Kind {
    const ALL: [Kind; 5] = [
        Kind::ReplyCurated,
        Kind::ReplyReference,
        Kind::Silence,
        Kind::Lookup,
        Kind::Shown,
    ];

    /// The name stored in the record.
    pub fn name(self) -> &'static str {
        match self {
            Kind::ReplyCurated => "reply_curated",
            Kind::ReplyReference => "reply_reference",
            Kind::Silence => "silence",
            Kind::Lookup => "lookup",
            Kind::Shown => "shown",
        }
    }

    fn of(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// One count: on a server, a day (days since 1970, UTC), of a kind (and entry, or empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub guild: u64,
    pub day: i64,
    pub kind: Kind,
    pub entry: String,
    pub count: i64,
}

/// Counts not yet in the record. Shared by the handlers; [`Tally::flush`] adds them (every few
/// seconds, before a dashboard is read, and at shutdown). A failed flush keeps its counts.
#[derive(Debug, Default)]
pub struct Tally {
    counts: Mutex<HashMap<(u64, i64, Kind, String), i64>>,
}

impl Tally {
    /// Counts one event today.
    pub fn count(&self, guild: u64, kind: Kind, entry: &str) {
        self.count_on(guild, now() / 86_400, kind, entry, 1);
    }

    /// Counts `n` events on a given day.
    pub fn count_on(&self, guild: u64, day: i64, kind: Kind, entry: &str, n: i64) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let key = (guild, day, kind, entry.to_string());
        if let Some(c) = counts.get_mut(&key) {
            *c += n;
        } else if counts.len() < TALLY_KEYS {
            counts.insert(key, n);
        } else {
            tracing::warn!("activity counts are not reaching the record; a count was dropped");
        }
    }

    /// How many distinct counts wait.
    pub fn pending(&self) -> usize {
        self.counts.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    fn take(&self) -> Vec<Activity> {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts
            .drain()
            .map(|((guild, day, kind, entry), count)| Activity {
                guild,
                day,
                kind,
                entry,
                count,
            })
            .collect()
    }

    /// Adds the waiting counts to the record; on failure they wait for the next flush.
    pub fn flush(&self, store: &Store) -> anyhow::Result<usize> {
        let batch = self.take();
        if batch.is_empty() {
            return Ok(0);
        }
        match store.add_activity(&batch) {
            Ok(()) => Ok(batch.len()),
            Err(e) => {
                for a in batch {
                    self.count_on(a.guild, a.day, a.kind, &a.entry, a.count);
                }
                Err(e)
            }
        }
    }
}

/// A day's activity on a server.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ActivityDay {
    /// `YYYY-MM-DD` (UTC), or `total`.
    pub day: String,
    pub replies_curated: i64,
    pub replies_reference: i64,
    pub silences: i64,
    pub lookups: i64,
    pub escalations_opened: i64,
    pub escalations_closed: i64,
}

impl ActivityDay {
    fn add(&mut self, o: &ActivityDay) {
        self.replies_curated += o.replies_curated;
        self.replies_reference += o.replies_reference;
        self.silences += o.silences;
        self.lookups += o.lookups;
        self.escalations_opened += o.escalations_opened;
        self.escalations_closed += o.escalations_closed;
    }
}

/// How an entry fared on a server.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct EntryHelp {
    pub entry: String,
    pub shown: i64,
    pub solved: i64,
    pub unhelpful: i64,
    pub escalated: i64,
}

/// An escalation still open.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OpenEscalation {
    pub thread_id: String,
    pub opened_at: i64,
    pub age_secs: i64,
    pub entry: Option<String>,
}

/// An escalation closed within the view's days.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Closed {
    pub thread_id: String,
    pub opened_at: i64,
    pub closed_at: i64,
    pub secs_to_close: i64,
    pub entry: Option<String>,
}

/// One server's view: the last [`DAYS`] days (open escalations whenever opened).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ServerView {
    pub guild: String,
    /// Unix seconds.
    pub generated_at: i64,
    pub days: i64,
    /// One row per day, oldest first, every day present.
    pub activity: Vec<ActivityDay>,
    pub totals: ActivityDay,
    /// The errors nothing answered, most frequent first (at most 25).
    pub unanswered: Vec<Unanswered>,
    /// The entries that most often did not help first.
    pub entries: Vec<EntryHelp>,
    /// How many escalations are open (the list below shows the oldest 100).
    pub open_count: i64,
    /// Oldest first (at most 100).
    pub open_escalations: Vec<OpenEscalation>,
    /// Last closed first (at most 50).
    pub closed_escalations: Vec<Closed>,
}

impl Store {
    /// Adds counts (one transaction).
    pub fn add_activity(&self, batch: &[Activity]) -> anyhow::Result<()> {
        // In one order everywhere: two transactions adding to the same rows (two processes, or
        // the timer's flush and a page's) wait for each other instead of deadlocking.
        let mut batch: Vec<&Activity> = batch.iter().collect();
        batch.sort_by(|a, b| {
            (a.guild, a.day, a.kind.name(), &a.entry).cmp(&(
                b.guild,
                b.day,
                b.kind.name(),
                &b.entry,
            ))
        });
        let rows: Vec<Vec<Value>> = batch
            .iter()
            .map(|a| {
                vec![
                    a.guild.to_string().into(),
                    a.day.into(),
                    a.kind.name().into(),
                    a.entry.as_str().into(),
                    a.count.into(),
                ]
            })
            .collect();
        self.execute_many(
            "INSERT INTO activity (guild_id, day, kind, entry, count) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (guild_id, day, kind, entry) DO UPDATE SET count = activity.count + excluded.count",
            &rows,
        )
    }

    /// The key dashboard links are signed with when the operator set none: made once (by
    /// whichever process asks first) and kept.
    pub fn dashboard_key(&self, fresh: &str) -> anyhow::Result<String> {
        let kept = self.query("SELECT value FROM keys WHERE name = 'dashboard'", &[])?;
        if let Some(r) = kept.first() {
            return r.text(0);
        }
        self.execute(
            "INSERT INTO keys (name, value) VALUES ('dashboard', $1) ON CONFLICT DO NOTHING",
            &[fresh.into()],
        )?;
        let rows = self.query("SELECT value FROM keys WHERE name = 'dashboard'", &[])?;
        rows.first()
            .ok_or_else(|| anyhow::anyhow!("the dashboard key was not kept"))?
            .text(0)
    }

    /// One server's view at `at` (Unix seconds).
    pub fn server_view(&self, guild: u64, at: i64) -> anyhow::Result<ServerView> {
        // One state of the record: the totals and the tables agree.
        self.snapshot(|q| view_in(q, guild, at))
    }
}

fn view_in(q: &mut Reader<'_>, guild: u64, at: i64) -> anyhow::Result<ServerView> {
    let today = at.div_euclid(86_400);
    let first_day = today - DAYS + 1;
    let since = first_day * 86_400;
    let g: Value = guild.to_string().into();
    let mut days: BTreeMap<i64, ActivityDay> = (first_day..=today)
        .map(|d| {
            (
                d,
                ActivityDay {
                    day: civil(d),
                    ..ActivityDay::default()
                },
            )
        })
        .collect();
    for r in q(
            "SELECT day, kind, CAST(SUM(count) AS BIGINT) FROM activity
             WHERE guild_id = $1 AND day >= $2 AND day <= $3 AND kind <> 'shown' GROUP BY day, kind",
            &[g.clone(), first_day.into(), today.into()],
        )? {
            let (day, kind, n) = (r.int(0)?, r.text(1)?, r.int(2)?);
            let Some(d) = days.get_mut(&day) else {
                continue;
            };
            match Kind::of(&kind) {
                Some(Kind::ReplyCurated) => d.replies_curated += n,
                Some(Kind::ReplyReference) => d.replies_reference += n,
                Some(Kind::Silence) => d.silences += n,
                Some(Kind::Lookup) => d.lookups += n,
                Some(Kind::Shown) | None => {}
            }
        }
    for (column, opened) in [("opened_at", true), ("closed_at", false)] {
        for r in q(
                &format!(
                    "SELECT {column} / 86400, COUNT(*) FROM escalations
                     WHERE guild_id = $1 AND thread_id <> '' AND {column} >= $2 GROUP BY {column} / 86400"
                ),
                &[g.clone(), since.into()],
            )? {
                if let Some(d) = days.get_mut(&r.int(0)?) {
                    if opened {
                        d.escalations_opened += r.int(1)?;
                    } else {
                        d.escalations_closed += r.int(1)?;
                    }
                }
            }
    }
    let activity: Vec<ActivityDay> = days.into_values().collect();
    let mut totals = ActivityDay {
        day: "total".into(),
        ..ActivityDay::default()
    };
    for d in &activity {
        totals.add(d);
    }
    let open_count = q(
                "SELECT COUNT(*) FROM escalations WHERE guild_id = $1 AND closed_at IS NULL AND thread_id <> ''",
                std::slice::from_ref(&g),
            )?
            .first()
            .map_or(Ok(0), |r| r.int(0))?;
    Ok(ServerView {
            open_count,
            guild: guild.to_string(),
            generated_at: at,
            days: DAYS,
            activity,
            totals,
            unanswered: unanswered_of(q, &g, since)?,
            entries: entries_of(q, &g, first_day, since)?,
            open_escalations: q(
                    "SELECT thread_id, opened_at, entry FROM escalations
                     WHERE guild_id = $1 AND closed_at IS NULL AND thread_id <> '' ORDER BY opened_at, id LIMIT 100",
                    std::slice::from_ref(&g),
                )?
                .iter()
                .map(|r| {
                    Ok(OpenEscalation {
                        thread_id: r.text(0)?,
                        opened_at: r.int(1)?,
                        age_secs: (at - r.int(1)?).max(0),
                        entry: r.opt_text(2)?,
                    })
                })
                .collect::<anyhow::Result<_>>()?,
            closed_escalations: q(
                    "SELECT thread_id, opened_at, closed_at, entry FROM escalations
                     WHERE guild_id = $1 AND closed_at >= $2 AND thread_id <> '' ORDER BY closed_at DESC, id DESC LIMIT 50",
                    &[g, since.into()],
                )?
                .iter()
                .map(|r| {
                    let (opened, closed) = (r.int(1)?, r.int(2)?);
                    Ok(Closed {
                        thread_id: r.text(0)?,
                        opened_at: opened,
                        closed_at: closed,
                        secs_to_close: (closed - opened).max(0),
                        entry: r.opt_text(3)?,
                    })
                })
                .collect::<anyhow::Result<_>>()?,
        })
}

fn unanswered_of(q: &mut Reader<'_>, g: &Value, since: i64) -> anyhow::Result<Vec<Unanswered>> {
    q(
            "SELECT signature, COUNT(*), MIN(at), MAX(at),
                    (SELECT excerpt FROM unanswered u2 WHERE u2.guild_id = $1 AND u2.signature = u.signature ORDER BY id DESC LIMIT 1)
             FROM unanswered u WHERE guild_id = $1 AND at >= $2
             GROUP BY signature ORDER BY COUNT(*) DESC, signature LIMIT 25",
            &[g.clone(), since.into()],
        )?
        .iter()
        .map(unanswered_of_row)
        .collect()
}

fn entries_of(
    q: &mut Reader<'_>,
    g: &Value,
    first_day: i64,
    since: i64,
) -> anyhow::Result<Vec<EntryHelp>> {
    let mut entries: BTreeMap<String, EntryHelp> = BTreeMap::new();
    let mut rows: Vec<(String, [i64; 4])> = Vec::new();
    for r in q(
        "SELECT entry, CAST(SUM(count) AS BIGINT) FROM activity
             WHERE guild_id = $1 AND day >= $2 AND kind = 'shown' GROUP BY entry",
        &[g.clone(), first_day.into()],
    )? {
        rows.push((r.text(0)?, [r.int(1)?, 0, 0, 0]));
    }
    for r in q(
            "SELECT entry, SUM(helpful), SUM(1 - helpful) FROM votes WHERE guild_id = $1 AND at >= $2 GROUP BY entry",
            &[g.clone(), since.into()],
        )? {
            rows.push((r.text(0)?, [0, r.int(1)?, r.int(2)?, 0]));
        }
    for r in q(
            "SELECT entry, COUNT(*) FROM escalations
             WHERE guild_id = $1 AND opened_at >= $2 AND thread_id <> '' AND entry IS NOT NULL GROUP BY entry",
            &[g.clone(), since.into()],
        )? {
            rows.push((r.text(0)?, [0, 0, 0, r.int(1)?]));
        }
    for (entry, [shown, solved, unhelpful, escalated]) in rows {
        let e = entries.entry(entry.clone()).or_insert_with(|| EntryHelp {
            entry,
            ..EntryHelp::default()
        });
        e.shown += shown;
        e.solved += solved;
        e.unhelpful += unhelpful;
        e.escalated += escalated;
    }
    let mut out: Vec<EntryHelp> = entries.into_values().collect();
    out.sort_by(|a, b| {
        (b.unhelpful + b.escalated)
            .cmp(&(a.unhelpful + a.escalated))
            .then(b.unhelpful.cmp(&a.unhelpful))
            .then(b.shown.cmp(&a.shown))
            .then(a.entry.cmp(&b.entry))
    });
    Ok(out)
}

impl Store {
    /// Fills the record with `n` events of server `guild` spread over the view's days before
    /// `at` — votes, errors nothing answered, escalations (half closed) and counted activity —
    /// for benchmarks and tests of the dashboard. Deterministic.
    #[doc(hidden)]
    pub fn sample_events(&self, guild: u64, n: usize, at: i64) -> anyhow::Result<()> {
        let g = guild.to_string();
        let spread = |i: usize| at - (i as i64 * 7_919) % (DAYS * 86_400);
        let entries = [
            "token-expired",
            "mfa-expired",
            "grant-revoked",
            "bad-request-400",
        ];
        let (votes, unanswered, escalations) = (n * 3 / 10, n * 4 / 10, n / 10);
        let activity = n - votes - unanswered - escalations;
        let rows: Vec<Vec<Value>> = (0..votes)
            .map(|i| {
                vec![
                    spread(i).into(),
                    entries[i % entries.len()].into(),
                    (i % 3 != 0).into(),
                    format!("{}", i % 500).into(),
                    format!("{guild}{i}").into(),
                    g.as_str().into(),
                ]
            })
            .collect();
        self.execute_many(
            "INSERT INTO votes (at, entry, helpful, user_id, message_id, guild_id) VALUES ($1, $2, $3, $4, $5, $6)",
            &rows,
        )?;
        let rows: Vec<Vec<Value>> = (0..unanswered)
            .map(|i| {
                vec![
                    spread(i).into(),
                    format!("error signature {}", (i * i) % 400).into(),
                    format!(
                        "Something failed: error signature {} on host-{i}",
                        (i * i) % 400
                    )
                    .into(),
                    format!("u{guild}{i}").into(),
                    g.as_str().into(),
                ]
            })
            .collect();
        self.execute_many(
            "INSERT INTO unanswered (at, signature, excerpt, message_id, guild_id) VALUES ($1, $2, $3, $4, $5)",
            &rows,
        )?;
        let rows: Vec<Vec<Value>> = (0..escalations)
            .map(|i| {
                let opened = spread(i);
                let closed = (i % 2 == 0).then_some(opened + 3_600 + i as i64);
                vec![
                    opened.into(),
                    format!("{guild}:conversation:{i}").into(),
                    format!("{}{i}", guild / 2).into(),
                    "1".into(),
                    "summary".into(),
                    closed.into(),
                    g.as_str().into(),
                    entries[i % entries.len()].into(),
                ]
            })
            .collect();
        self.execute_many(
            "INSERT INTO escalations (opened_at, conversation, thread_id, reporter, summary, closed_at, guild_id, entry) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &rows,
        )?;
        let tally = Tally::default();
        for i in 0..activity {
            let kind = Kind::ALL[i % Kind::ALL.len()];
            let entry = if kind == Kind::Shown {
                entries[i % entries.len()]
            } else {
                ""
            };
            tally.count_on(guild, spread(i).div_euclid(86_400), kind, entry, 1);
        }
        tally.flush(self)?;
        Ok(())
    }
}
