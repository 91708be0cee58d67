//! What only the home server's page shows: drafts waiting for review, and curated entries not
//! reviewed for [`STALE_DAYS`] days — read from the knowledge-base folder when the page is asked.

use std::path::Path;

use crate::authoring::drafts;
use crate::kb::{json_files, load_str};
use crate::text::dates::days_of;

/// After how many days an entry's review is due again.
pub const STALE_DAYS: i64 = 180;

/// A draft waiting for review.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Draft {
    pub id: String,
    pub title: String,
    /// Where it came from (an escalation, a page), when known.
    pub origin: String,
}

/// A curated entry whose review is due.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stale {
    pub id: String,
    pub title: String,
    /// The last review's date, or `never`.
    pub reviewed: String,
}

/// The home server's part of the page.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Home {
    pub drafts: Vec<Draft>,
    pub stale: Vec<Stale>,
}

/// Reads `kb_dir` (its entries and `drafts/`) on day `today` (days since 1970).
pub fn read(kb_dir: &Path, today: i64) -> Home {
    let published = drafts::published_ids(kb_dir);
    let checked = drafts::check_dir(&kb_dir.join("drafts"), &published);
    let drafts = checked
        .drafts
        .into_iter()
        .map(|d| Draft {
            id: d.id,
            title: d.title,
            origin: d.origin.unwrap_or_default(),
        })
        .collect();
    let mut stale: Vec<Stale> = json_files(kb_dir)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            let e = load_str(&p.display().to_string(), &text).ok()?;
            let on = e.reviewed.as_ref().map(|r| r.on.clone());
            let due = on
                .as_deref()
                .and_then(days_of)
                .is_none_or(|d| today - d >= STALE_DAYS);
            due.then(|| Stale {
                id: e.id,
                title: e.title,
                reviewed: on.unwrap_or_else(|| "never".into()),
            })
        })
        .collect();
    stale.sort_by(|a, b| a.reviewed.cmp(&b.reviewed).then(a.id.cmp(&b.id)));
    Home { drafts, stale }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_knowledge_base_reads_and_ages() {
        let kb = Path::new(env!("CARGO_MANIFEST_DIR")).join("kb");
        let now = read(&kb, days_of("2026-12-04").unwrap());
        let later = read(&kb, days_of("2036-12-04").unwrap());
        // Ten years on, every curated entry is due; each is named once.
        assert_eq!(later.stale.len(), json_files(&kb).unwrap().len());
        assert!(now.stale.len() <= later.stale.len());
        let mut ids: Vec<&str> = later.stale.iter().map(|s| s.id.as_str()).collect();
        ids.dedup();
        assert_eq!(ids.len(), later.stale.len());
    }
}
