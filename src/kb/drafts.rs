//! Drafts (`kb/drafts/`): entries written by `kb import` (or by hand) that a person reviews
//! before they answer. They are never served. `kb check` reads them: a file that is not an entry,
//! or an id that is taken, is an error; what a reviewer must still fill (a cause, steps, links,
//! something to match) is listed as work to do. `kb promote` checks a draft as strictly as a
//! published entry, records who reviewed it and when, and moves it into the knowledge base.

use std::path::{Path, PathBuf};

use super::{load_str, validate_entry, Entry, Problem, Review};

/// The drafts of a folder, checked.
#[derive(Debug, Default)]
pub struct Checked {
    pub drafts: Vec<Entry>,
    /// Problems that make a draft unreadable or clash with the knowledge base.
    pub errors: Vec<Problem>,
    /// What a reviewer must still fill or fix before promoting.
    pub todo: Vec<Problem>,
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = read
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
}

/// Checks every draft in `dir` against the published ids.
pub fn check_dir(dir: &Path, published: &[String]) -> Checked {
    let mut out = Checked::default();
    for path in json_files(dir) {
        let file = path.display().to_string();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                out.errors
                    .push(Problem::file(&file, format!("cannot read the file: {e}")));
                continue;
            }
        };
        let entry = match load_str(&file, &text) {
            Ok(e) => e,
            Err(p) => {
                out.errors.push(p);
                continue;
            }
        };
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if stem != entry.id {
            out.errors.push(Problem::entry(
                &file,
                &entry.id,
                "id",
                format!("the file must be named `{}.json` after the id", entry.id),
            ));
        }
        if published.contains(&entry.id) {
            out.errors.push(Problem::entry(
                &file,
                &entry.id,
                "id",
                "is already the id of a published entry; a draft needs an id of its own".into(),
            ));
        }
        out.todo.extend(validate_entry(&file, &text, &entry));
        out.drafts.push(entry);
    }
    out
}

/// Ids of the published entries of a knowledge base — its file names, read even when the
/// knowledge base does not load.
pub fn published_ids(dir: &Path) -> Vec<String> {
    json_files(dir)
        .into_iter()
        .filter_map(|p| p.file_stem()?.to_str().map(String::from))
        .collect()
}

/// The drafts already in `dir`: (id, origin).
pub fn existing(dir: &Path) -> Vec<(String, Option<String>)> {
    json_files(dir)
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            let e = load_str(&p.display().to_string(), &text).ok()?;
            Some((e.id, e.origin))
        })
        .collect()
}

/// The id for a draft from `origin`: the id of the draft already written from the same origin
/// (so that importing again updates it), else a new one from the title that no published entry
/// and no other draft has.
pub fn id_for(
    title: &str,
    origin: &str,
    published: &[String],
    existing: &[(String, Option<String>)],
) -> String {
    if let Some((id, _)) = existing.iter().find(|(_, o)| o.as_deref() == Some(origin)) {
        return id.clone();
    }
    let mut taken: Vec<String> = published.to_vec();
    taken.extend(existing.iter().map(|(id, _)| id.clone()));
    crate::import::id_for(title, &taken)
}

/// Writes a draft as `dir/<id>.json`, replacing an earlier draft of the same id.
pub fn write(dir: &Path, entry: &Entry) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("{}.json", entry.id));
    let mut json = serde_json::to_string_pretty(entry).map_err(std::io::Error::other)?;
    json.push('\n');
    std::fs::write(&path, json)
        .map_err(|e| std::io::Error::new(e.kind(), format!("writing {}: {e}", path.display())))?;
    Ok(path)
}

/// Today's date, `YYYY-MM-DD` (UTC).
pub fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    civil(days)
}

/// The date of a day counted from 1970-01-01 (Howard Hinnant's algorithm).
pub fn civil(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Why a draft could not be promoted.
#[derive(Debug)]
pub enum PromoteError {
    /// Not an entry id (lowercase words joined by `-`): nothing outside `drafts/` is touched.
    BadId(String),
    NoDraft(PathBuf),
    Exists(PathBuf),
    /// The draft, checked as a published entry, has these problems.
    Problems(Vec<Problem>),
    Io(std::io::Error),
}

impl std::fmt::Display for PromoteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PromoteError::BadId(id) => write!(
                f,
                "`{id}` is not an entry id (lowercase letters and digits in words joined by `-`)"
            ),
            PromoteError::NoDraft(p) => write!(f, "there is no draft {}", p.display()),
            PromoteError::Exists(p) => {
                write!(
                    f,
                    "{} exists already; a draft never replaces a published entry",
                    p.display()
                )
            }
            PromoteError::Problems(ps) => {
                writeln!(f, "the draft is not ready ({} problem(s)):", ps.len())?;
                for p in ps {
                    writeln!(f, "  {p}")?;
                }
                Ok(())
            }
            PromoteError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// Promotes draft `id` of `kb/drafts/` into `kb/`: checked as a published entry, marked reviewed
/// by `by` on `on`, written, and the draft removed. Returns the new file.
pub fn promote(kb: &Path, id: &str, by: &str, on: &str) -> Result<PathBuf, PromoteError> {
    if !super::validate::is_valid_id(id) {
        return Err(PromoteError::BadId(id.to_string()));
    }
    let from = kb.join("drafts").join(format!("{id}.json"));
    let to = kb.join(format!("{id}.json"));
    let text = std::fs::read_to_string(&from).map_err(|_| PromoteError::NoDraft(from.clone()))?;
    if to.exists() {
        return Err(PromoteError::Exists(to));
    }
    let file = from.display().to_string();
    let mut entry = load_str(&file, &text).map_err(|p| PromoteError::Problems(vec![p]))?;
    if entry.id != id {
        return Err(PromoteError::Problems(vec![Problem::entry(
            &file,
            &entry.id,
            "id",
            format!("must be `{id}`, the file's name; a draft never replaces another entry"),
        )]));
    }
    let problems = validate_entry(&file, &text, &entry);
    if !problems.is_empty() {
        return Err(PromoteError::Problems(problems));
    }
    entry.reviewed = Some(Review {
        on: on.to_string(),
        by: by.to_string(),
    });
    let written = write(kb, &entry).map_err(PromoteError::Io)?;
    std::fs::remove_file(&from).map_err(PromoteError::Io)?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_from_elsewhere_keeps_its_id_and_the_same_origin_updates_its_own() {
        let existing = vec![
            (
                "token-expired".to_string(),
                Some("escalation 3".to_string()),
            ),
            (
                "sync-fails".to_string(),
                Some("page.md#sync-fails".to_string()),
            ),
        ];
        assert_eq!(
            id_for("Token expired", "escalation 9", &[], &existing),
            "token-expired-2"
        );
        assert_eq!(
            id_for("Sync fails again", "page.md#sync-fails", &[], &existing),
            "sync-fails"
        );
    }

    #[test]
    fn only_entry_ids_are_promoted() {
        let dir = std::env::temp_dir();
        assert!(matches!(
            promote(&dir, "../etc/passwd", "a", "2026-01-01"),
            Err(PromoteError::BadId(_))
        ));
    }

    #[test]
    fn days_become_dates() {
        assert_eq!(civil(0), "1970-01-01");
        assert_eq!(civil(20_419), "2025-11-27");
        assert_eq!(civil(19_782), "2024-02-29");
    }
}
