//! Reading knowledge-base files from a directory, reporting every problem with file and line.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use super::entry::{Entry, KnowledgeBase};
use super::mentions::{MentionModel, MENTIONS_FILE};
use super::validate::{validate_entry, Problem};

/// Largest knowledge-base file accepted, in bytes.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The largest genre model read (its weights run to a few hundred kilobytes).
const MAX_MODEL_BYTES: u64 = 8 * 1024 * 1024;

/// Loading failed; holds every problem found.
#[derive(Debug, thiserror::Error)]
pub struct LoadError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "the knowledge base has {} problem(s):",
            self.problems.len()
        )?;
        for p in &self.problems {
            writeln!(f, "  {p}")?;
        }
        Ok(())
    }
}

/// Parses one entry from the text of a file. `file` is only used in problem reports.
pub fn load_str(file: &str, text: &str) -> Result<Entry, Problem> {
    serde_json::from_str::<Entry>(text).map_err(|e| Problem {
        file: file.to_string(),
        entry: guess_id(text),
        field: None,
        line: e.line(),
        column: e.column(),
        message: describe_json_error(&e),
    })
}

fn describe_json_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    // serde_json appends " at line L column C"; the problem carries those separately.
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Finds `"id": "..."` in raw text, so that a file that does not parse can still name its entry.
fn guess_id(text: &str) -> Option<String> {
    let at = text.find("\"id\"")?;
    let rest = &text[at + 4..];
    let rest = rest
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('"')?;
    let end = rest.find('"')?;
    Some(rest[..end].to_string())
}

/// Loads every `*.json` file in `dir` (sorted by name), validates the entries and returns the
/// knowledge base, or every problem found.
pub fn load_dir(dir: &Path) -> Result<KnowledgeBase, LoadError> {
    // The reader of genre is the largest file and stands alone: a second thread reads it
    // while the entries are read (the same result and problems either way).
    std::thread::scope(|scope| {
        let mentions = scope.spawn(|| load_mentions(dir));
        let entries = load_entries(dir);
        let mentions = mentions
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        let (entries, mut problems) = entries;
        let mentions = mentions.unwrap_or_else(|p| {
            problems.extend(p);
            None
        });
        if problems.is_empty() {
            Ok(KnowledgeBase { entries, mentions })
        } else {
            Err(LoadError { problems })
        }
    })
}

/// The curated entries of `dir` and its reference tier, with every problem found.
fn load_entries(dir: &Path) -> (Vec<Entry>, Vec<Problem>) {
    let mut problems = Vec::new();
    let dir_problem = |message: String| Problem {
        file: dir.display().to_string(),
        entry: None,
        field: None,
        line: 0,
        column: 0,
        message,
    };
    let paths = match super::files::json_files(dir) {
        Ok(paths) => paths,
        Err(e) => {
            return (
                Vec::new(),
                vec![dir_problem(format!("cannot read the directory: {e}"))],
            )
        }
    };
    if paths.is_empty() {
        problems.push(dir_problem("no *.json entry files in the directory".into()));
    }

    let mut entries = Vec::with_capacity(paths.len());
    // Id → the file that first used it.
    let mut seen: HashMap<String, String> = HashMap::new();
    for path in &paths {
        let file = path.display().to_string();
        let text = match read_bounded(path, MAX_FILE_BYTES) {
            Ok(text) => text,
            Err(message) => {
                problems.push(Problem::file(&file, message));
                continue;
            }
        };
        let entry = match load_str(&file, &text) {
            Ok(entry) => entry,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if stem != entry.id {
            problems.push(Problem {
                line: super::validate::field_line(&text, "id"),
                ..Problem::entry(
                    &file,
                    &entry.id,
                    "id",
                    format!(
                        "the file must be named `{}.json` after the entry's id",
                        entry.id
                    ),
                )
            });
        }
        problems.extend(validate_entry(&file, &text, &entry));
        match seen.get(&entry.id) {
            Some(first) => problems.push(super::validate::duplicate_id(
                &file, &text, &entry.id, first,
            )),
            None => {
                seen.insert(entry.id.clone(), file);
            }
        }
        entries.push(entry);
    }
    // The reference tier, from `reference/` beside the curated entries.
    match super::reference::load_dir(&dir.join("reference")) {
        Ok(pack) => {
            for r in &pack {
                if let Some(first) = seen.get(&r.id) {
                    problems.push(Problem::entry(
                        first,
                        &r.id,
                        "id",
                        "is the id of a reference entry (kb/reference/); a team's entry needs another".into(),
                    ));
                }
            }
            entries.extend(pack.iter().map(|e| e.to_entry()));
        }
        Err(p) => problems.extend(p),
    }
    (entries, problems)
}

/// Reads the learned reader of genre beside the entries in `dir`; `Ok(None)` when there is none.
pub fn load_mentions(dir: &Path) -> Result<Option<MentionModel>, Vec<Problem>> {
    let path = dir.join(MENTIONS_FILE);
    let file = path.display().to_string();
    match std::fs::metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        _ => {}
    }
    let text = read_bounded(&path, MAX_MODEL_BYTES).map_err(|m| vec![Problem::file(&file, m)])?;
    parse_mentions(&file, &text).map(Some)
}

/// Parses and checks a genre model's text; every problem names the file and field.
pub fn parse_mentions(file: &str, text: &str) -> Result<MentionModel, Vec<Problem>> {
    let model: MentionModel = serde_json::from_str(text).map_err(|e| {
        vec![Problem {
            line: e.line(),
            column: e.column(),
            ..Problem::file(file, format!("not a genre model: {e}"))
        }]
    })?;
    let problems: Vec<Problem> = model
        .problems()
        .into_iter()
        .map(|(field, message)| Problem {
            field: Some(field.to_string()),
            ..Problem::file(file, message)
        })
        .collect();
    if problems.is_empty() {
        Ok(model)
    } else {
        Err(problems)
    }
}

/// Reads a file of at most `limit` bytes as UTF-8.
fn read_bounded(path: &Path, limit: u64) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read the file: {e}"))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read the file: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "the file is larger than {limit} bytes, the most such a file may be"
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "the file is not UTF-8 (byte {})",
            e.utf8_error().valid_up_to()
        )
    })
}
