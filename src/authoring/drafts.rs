//! Drafts (`kb/drafts/`): entries written by `kb import` (or by hand) that a person reviews
//! before they answer. They are never served. `kb check` reads them: a file that is not an entry,
//! or an id that is taken, is an error; what a reviewer must still fill (a cause, steps, links,
//! something to match) is listed as work to do. `kb promote` checks a draft as strictly as a
//! published entry, records who reviewed it and when, and moves it into the knowledge base.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::kb::{load_str, validate_entry, Entry, Problem, Review};

/// The drafts of a folder, checked.
#[derive(Debug, Default)]
pub struct Checked {
    pub drafts: Vec<Entry>,
    /// Problems that make a draft unreadable or clash with the knowledge base.
    pub errors: Vec<Problem>,
    /// What a reviewer must still fill or fix before promoting.
    pub todo: Vec<Problem>,
}

/// A folder's `*.json` files (none when it cannot be read: a missing `drafts/` is empty).
fn json_files(dir: &Path) -> Vec<PathBuf> {
    crate::kb::json_files(dir).unwrap_or_default()
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

/// The drafts already in `dir`: (id, origin). A file that does not load still takes its id
/// (file name), without an origin.
pub fn existing(dir: &Path) -> Vec<(String, Option<String>)> {
    json_files(dir)
        .into_iter()
        .filter_map(|p| {
            let id = p.file_stem()?.to_str()?.to_string();
            let origin = std::fs::read_to_string(&p)
                .ok()
                .and_then(|text| load_str(&p.display().to_string(), &text).ok())
                .and_then(|e| e.origin);
            Some((id, origin))
        })
        .collect()
}

/// The ids in use (published entries, drafts, drafts of this run) and which draft came from
/// which origin. Taking an id costs the same however many are taken (a page of thousands of
/// identical headings imports in linear time).
#[derive(Debug, Default, Clone)]
pub struct Ids {
    taken: HashSet<String>,
    /// For each base id, the next numbered suffix to try.
    next: HashMap<String, usize>,
    by_origin: HashMap<String, String>,
}

impl Ids {
    pub fn new(published: &[String], existing: &[(String, Option<String>)]) -> Ids {
        let mut ids = Ids::default();
        ids.taken.extend(published.iter().cloned());
        for (id, origin) in existing {
            ids.taken.insert(id.clone());
            if let Some(o) = origin {
                ids.by_origin.entry(o.clone()).or_insert_with(|| id.clone());
            }
        }
        ids
    }

    /// The id for a draft from `origin`: the id of the draft already written from the same
    /// origin (so that importing again updates it), else a new one from the title that no
    /// published entry and no other draft has.
    pub fn id_for(&mut self, title: &str, origin: &str) -> String {
        if let Some(id) = self.by_origin.get(origin) {
            return id.clone();
        }
        let base = base_id(title);
        let mut id = base.clone();
        let mut n = self.next.get(&base).copied().unwrap_or(2);
        while self.taken.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.next.insert(base, n);
        self.taken.insert(id.clone());
        self.by_origin.insert(origin.to_string(), id.clone());
        id
    }
}

/// A stable id from a title: its first words, lower case, joined by `-` (before it is made
/// unique). Reference-shaped ids (`aadsts<digits>`, `graph-…`) get `team-` in front.
pub fn base_id(title: &str) -> String {
    // ASCII letters and digits only (what an entry id may hold), words and length bounded.
    let words: Vec<String> = title
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() > 1 && !crate::text::words::is_stop_word(w))
        .take(6)
        .map(|w| w.chars().take(20).collect())
        .collect();
    let base = if words.is_empty() {
        "imported-section".to_string()
    } else {
        words.join("-")
    };
    let reference_shaped = base.starts_with("graph-")
        || base
            .strip_prefix("aadsts")
            .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
    if reference_shaped {
        format!("team-{base}")
    } else {
        base
    }
}

/// Why a draft was not written.
#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    /// Not an entry id: no path is built from it.
    #[error("`{0}` is not an entry id (lowercase letters and digits in words joined by `-`); nothing was written")]
    BadId(String),
    /// A person changed the draft (or wrote it) since it was last written here.
    #[error("{} was edited since it was written, so it was not replaced; move it aside (or promote it) to write it again", .0.display())]
    Edited(PathBuf),
    /// A draft from another origin holds this id (written at the same time): kept.
    #[error("{} holds a draft from elsewhere, so it was not replaced; try again for a new id", .0.display())]
    Taken(PathBuf),
    #[error("writing {path}: {error}", path = .0.display(), error = .1)]
    Io(PathBuf, std::io::Error),
}

/// Writes a draft as `dir/<id>.json`. An earlier draft of the same id is replaced only when it
/// is exactly what was written here last (nobody edited it): what was written is fingerprinted
/// in `dir/.written/<id>`.
pub fn write(dir: &Path, entry: &Entry) -> Result<PathBuf, DraftError> {
    if !crate::kb::validate::is_valid_id(&entry.id) {
        return Err(DraftError::BadId(entry.id.clone()));
    }
    let path = dir.join(format!("{}.json", entry.id));
    let marks = dir.join(".written");
    let mark = marks.join(&entry.id);
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |e| DraftError::Io(p, e)
    };
    let exists = match std::fs::read(&path) {
        Ok(current) => {
            // Another origin's draft under this id (taken by a write at the same time): never
            // replaced.
            if origin_of(&current).is_some_and(|o| entry.origin.as_ref() != Some(&o)) {
                return Err(DraftError::Taken(path));
            }
            let written = std::fs::read_to_string(&mark).unwrap_or_default();
            if written.trim() != fingerprint(&current) {
                return Err(DraftError::Edited(path));
            }
            true
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(DraftError::Io(path, e)),
    };
    let json = to_json(entry).map_err(|e| DraftError::Io(path.clone(), e))?;
    std::fs::create_dir_all(&marks).map_err(io(&marks))?;
    if exists {
        std::fs::write(&path, &json).map_err(io(&path))?;
    } else {
        // A new draft appears whole (written aside, then linked in), and never over one that
        // appeared meanwhile.
        let aside = marks.join(format!(
            ".new-{}-{}-{:?}",
            entry.id,
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::write(&aside, &json).map_err(io(&aside))?;
        let linked = std::fs::hard_link(&aside, &path);
        let _ = std::fs::remove_file(&aside);
        match linked {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(DraftError::Taken(path))
            }
            Err(e) => return Err(DraftError::Io(path, e)),
        }
    }
    std::fs::write(&mark, fingerprint(json.as_bytes())).map_err(io(&mark))?;
    Ok(path)
}

/// The `origin` of a draft file as written (`None` when it has none or is not JSON).
fn origin_of(bytes: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    value.get("origin")?.as_str().map(str::to_string)
}

fn to_json(entry: &Entry) -> std::io::Result<String> {
    let mut json = serde_json::to_string_pretty(entry).map_err(std::io::Error::other)?;
    json.push('\n');
    Ok(json)
}

/// A fingerprint of a file's bytes (FNV-1a, 64 bits): enough to tell an edit.
fn fingerprint(bytes: &[u8]) -> String {
    let hash = crate::text::words::fnv1a(bytes.iter().map(|&b| u64::from(b)));
    format!("{hash:016x}")
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
    if !crate::kb::validate::is_valid_id(id) {
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
    let json = to_json(&entry).map_err(PromoteError::Io)?;
    std::fs::write(&to, json).map_err(PromoteError::Io)?;
    std::fs::remove_file(&from).map_err(PromoteError::Io)?;
    let _ = std::fs::remove_file(kb.join("drafts").join(".written").join(id));
    let written = to;
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
        let mut ids = Ids::new(&[], &existing);
        assert_eq!(
            ids.id_for("Token expired", "escalation 9"),
            "token-expired-2"
        );
        assert_eq!(
            ids.id_for("Sync fails again", "page.md#sync-fails"),
            "sync-fails"
        );
        assert_eq!(
            ids.id_for("Token expired", "escalation 10"),
            "token-expired-3"
        );
    }

    #[test]
    fn ids_come_from_titles_and_stay_clear_of_the_reference_tier() {
        let mut ids = Ids::new(&["token-expired".to_string()], &[]);
        assert_eq!(ids.id_for("Token expired!", "a"), "token-expired-2");
        assert_eq!(base_id("The user was not found"), "user-not-found");
        assert_eq!(base_id("AADSTS7000012"), "team-aadsts7000012");
        assert_eq!(
            base_id("Connexion refusée par le service"),
            "connexion-refus-par-le-service"
        );
        assert!(base_id(&"长".repeat(200)).len() < 40);
    }

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("errmedic-drafts-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn entry(id: &str) -> Entry {
        serde_json::from_value(serde_json::json!({
            "id": id, "title": "Sync fails", "products": ["Entra"], "cause": "", "steps": [],
            "links": [], "tags": [], "match": {"codes": ["AADSTS50076"]}
        }))
        .unwrap()
    }

    #[test]
    fn a_draft_is_written_only_under_an_entry_id_and_an_edited_one_is_never_replaced() {
        let dir = scratch("write");
        for bad in ["../escape", "a/b", "", "x\\y", ".hidden"] {
            assert!(
                matches!(write(&dir, &entry(bad)), Err(DraftError::BadId(_))),
                "{bad:?}"
            );
        }
        assert!(!dir.exists() || std::fs::read_dir(&dir).unwrap().count() == 0);
        let path = write(&dir, &entry("sync-fails")).unwrap();
        // Written again unchanged: replaced (an import run twice updates its own drafts).
        write(&dir, &entry("sync-fails")).unwrap();
        // A person edits it: never replaced.
        std::fs::write(
            &path,
            std::fs::read_to_string(&path)
                .unwrap()
                .replace("Sync fails", "Sync fails (reviewed)"),
        )
        .unwrap();
        assert!(matches!(
            write(&dir, &entry("sync-fails")),
            Err(DraftError::Edited(_))
        ));
        assert!(std::fs::read_to_string(&path)
            .unwrap()
            .contains("(reviewed)"));
        // A broken or origin-less file under the id is a person's: kept as edited, and its id
        // is taken.
        std::fs::write(dir.join("broken.json"), "{ not json").unwrap();
        let mut e = entry("broken");
        e.origin = Some("page.md#broken".into());
        assert!(matches!(write(&dir, &e), Err(DraftError::Edited(_))));
        assert!(existing(&dir).iter().any(|(id, _)| id == "broken"));
        // A draft someone wrote by hand (no fingerprint) is not replaced either.
        std::fs::write(dir.join("by-hand.json"), "{}").unwrap();
        assert!(matches!(
            write(&dir, &entry("by-hand")),
            Err(DraftError::Edited(_))
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_draft_from_another_origin_is_never_replaced_even_when_written_at_once() {
        let dir = scratch("origins");
        let from = |origin: &str| {
            let mut e = entry("sync-fails");
            e.origin = Some(origin.to_string());
            e
        };
        let path = write(&dir, &from("thread 1")).unwrap();
        assert!(matches!(
            write(&dir, &from("thread 2")),
            Err(DraftError::Taken(_))
        ));
        assert!(std::fs::read_to_string(&path).unwrap().contains("thread 1"));
        // Eight writers from eight origins race for one id: exactly one draft is written, and
        // it is whole.
        let dir = scratch("race");
        let results: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|i| {
                    let (dir, e) = (&dir, from(&format!("thread {i}")));
                    s.spawn(move || write(dir, &e))
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let won = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(won, 1, "{results:?}");
        assert!(results
            .iter()
            .all(|r| r.is_ok() || matches!(r, Err(DraftError::Taken(_)))));
        let written: Entry =
            serde_json::from_str(&std::fs::read_to_string(dir.join("sync-fails.json")).unwrap())
                .unwrap();
        assert!(written.origin.unwrap().starts_with("thread "));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn only_entry_ids_are_promoted() {
        let dir = std::env::temp_dir();
        assert!(matches!(
            promote(&dir, "../etc/passwd", "a", "2026-01-01"),
            Err(PromoteError::BadId(_))
        ));
    }
}
