//! The dashboard's tables as rows of cells: what the page shows and the CSV downloads hold, from
//! one definition. (The JSON downloads are the same records, serialised.) Pure.

use super::home::Home;
use crate::store::server::ServerView;
use crate::text::dates::civil;

/// The tables a page has, by the name downloads use.
pub const NAMES: &[&str] = &[
    "activity",
    "unanswered",
    "entries",
    "open_escalations",
    "closed_escalations",
    "drafts",
    "stale_entries",
];

/// A table: its header and rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

/// `YYYY-MM-DD HH:MM` (UTC) of Unix seconds.
pub fn when(secs: i64) -> String {
    let (day, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    format!("{} {:02}:{:02}", civil(day), rest / 3600, rest % 3600 / 60)
}

/// A duration in the largest unit that fits (`3 d 4 h`, `2 h 5 min`, `40 s`).
pub fn span(secs: i64) -> String {
    let s = secs.max(0);
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min", s / 60),
        3600..=86_399 => format!("{} h {} min", s / 3600, s % 3600 / 60),
        _ => format!("{} d {} h", s / 86_400, s % 86_400 / 3600),
    }
}

/// The shell line that drafts an entry for an unanswered error.
pub fn draft_command(signature: &str) -> String {
    format!(
        "errmedic kb draft --signature '{}'",
        signature.replace('\'', r"'\''")
    )
}

/// The table called `name`, or `None` when there is no such table (or it is the home server's
/// and this page is not).
pub fn table(name: &str, view: &ServerView, home: Option<&Home>) -> Option<Table> {
    let n = |v: i64| v.to_string();
    Some(match name {
        "activity" => Table {
            headers: vec![
                "day",
                "replies_curated",
                "replies_reference",
                "silences",
                "lookups",
                "escalations_opened",
                "escalations_closed",
            ],
            rows: view
                .activity
                .iter()
                .map(|d| {
                    vec![
                        d.day.clone(),
                        n(d.replies_curated),
                        n(d.replies_reference),
                        n(d.silences),
                        n(d.lookups),
                        n(d.escalations_opened),
                        n(d.escalations_closed),
                    ]
                })
                .collect(),
        },
        "unanswered" => Table {
            headers: vec![
                "signature",
                "count",
                "first_seen",
                "last_seen",
                "last_excerpt",
                "draft_command",
            ],
            rows: view
                .unanswered
                .iter()
                .map(|u| {
                    vec![
                        u.signature.clone(),
                        n(u.count),
                        when(u.first_at),
                        when(u.last_at),
                        u.last_excerpt.clone(),
                        draft_command(&u.signature),
                    ]
                })
                .collect(),
        },
        "entries" => Table {
            headers: vec!["entry", "shown", "solved", "unhelpful", "escalated"],
            rows: view
                .entries
                .iter()
                .map(|e| {
                    vec![
                        e.entry.clone(),
                        n(e.shown),
                        n(e.solved),
                        n(e.unhelpful),
                        n(e.escalated),
                    ]
                })
                .collect(),
        },
        "open_escalations" => Table {
            headers: vec!["thread_id", "opened", "age", "entry"],
            rows: view
                .open_escalations
                .iter()
                .map(|e| {
                    vec![
                        e.thread_id.clone(),
                        when(e.opened_at),
                        span(e.age_secs),
                        e.entry.clone().unwrap_or_default(),
                    ]
                })
                .collect(),
        },
        "closed_escalations" => Table {
            headers: vec!["thread_id", "opened", "closed", "time_to_close", "entry"],
            rows: view
                .closed_escalations
                .iter()
                .map(|e| {
                    vec![
                        e.thread_id.clone(),
                        when(e.opened_at),
                        when(e.closed_at),
                        span(e.secs_to_close),
                        e.entry.clone().unwrap_or_default(),
                    ]
                })
                .collect(),
        },
        "drafts" => Table {
            headers: vec!["id", "title", "origin"],
            rows: home?
                .drafts
                .iter()
                .map(|d| vec![d.id.clone(), d.title.clone(), d.origin.clone()])
                .collect(),
        },
        "stale_entries" => Table {
            headers: vec!["id", "title", "reviewed"],
            rows: home?
                .stale
                .iter()
                .map(|e| vec![e.id.clone(), e.title.clone(), e.reviewed.clone()])
                .collect(),
        },
        _ => return None,
    })
}

/// A table as CSV (RFC 4180). A cell that a spreadsheet would run as a formula is prefixed
/// with `'`.
pub fn csv(t: &Table) -> String {
    let mut out = String::new();
    let line = |cells: &mut dyn Iterator<Item = &str>, out: &mut String| {
        let cells: Vec<String> = cells.map(cell).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    line(&mut t.headers.iter().copied(), &mut out);
    for r in &t.rows {
        line(&mut r.iter().map(String::as_str), &mut out);
    }
    out
}

fn cell(v: &str) -> String {
    let v = if v.starts_with(['=', '+', '-', '@', '\t', '\r']) && v.parse::<f64>().is_err() {
        format!("'{v}")
    } else {
        v.to_string()
    };
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_it_and_disarms_formulas() {
        let t = Table {
            headers: vec!["a", "b"],
            rows: vec![
                vec!["x,y".into(), "say \"hi\"\nthere".into()],
                vec!["=HYPERLINK(\"http://x\")".into(), "-5".into()],
            ],
        };
        assert_eq!(
            csv(&t),
            "a,b\r\n\"x,y\",\"say \"\"hi\"\"\nthere\"\r\n\"'=HYPERLINK(\"\"http://x\"\")\",-5\r\n"
        );
    }

    #[test]
    fn times_read_as_a_person_would() {
        assert_eq!(when(0), "1970-01-01 00:00");
        assert_eq!(when(86_400 + 3_723), "1970-01-02 01:02");
        assert_eq!(span(42), "42 s");
        assert_eq!(span(3_600 * 5 + 120), "5 h 2 min");
        assert_eq!(span(86_400 * 3 + 3_600), "3 d 1 h");
    }

    #[test]
    fn a_draft_command_survives_the_shell() {
        assert_eq!(
            draft_command("it's AADSTS700016"),
            r"errmedic kb draft --signature 'it'\''s AADSTS700016'"
        );
    }

    #[test]
    fn every_named_table_exists_and_home_tables_need_home() {
        let view = ServerView::default();
        let home = Home::default();
        for name in NAMES {
            assert!(table(name, &view, Some(&home)).is_some(), "{name}");
        }
        assert!(table("drafts", &view, None).is_none());
        assert!(table("votes", &view, Some(&home)).is_none());
    }
}
