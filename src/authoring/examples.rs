//! Adding an example paste to a curated entry's file (`errmedic kb examples`): redacted, with
//! its source, checked as strictly as the entry itself, never twice.

use std::path::{Path, PathBuf};

use crate::kb::{load_str, validate_entry, Entry, Example, Problem};

/// Why an example was not added.
#[derive(Debug, thiserror::Error)]
pub enum ExampleError {
    #[error("`{0}` is not an entry id (lowercase letters and digits in words joined by `-`)")]
    BadId(String),
    #[error("there is no curated entry {}", .0.display())]
    NoEntry(PathBuf),
    #[error("{} already holds this example", .0.display())]
    AlreadyThere(PathBuf),
    #[error("the entry would not pass the check: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Problems(Vec<Problem>),
    #[error("{path}: {error}", path = .0.display(), error = .1)]
    Io(PathBuf, std::io::Error),
}

/// Adds `example` (its text redacted first) to the entry `id` in `kb_dir/<id>.json`.
pub fn add(kb_dir: &Path, id: &str, example: Example) -> Result<PathBuf, ExampleError> {
    if !crate::kb::validate::is_valid_id(id) {
        return Err(ExampleError::BadId(id.to_string()));
    }
    let path = kb_dir.join(format!("{id}.json"));
    let file = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ExampleError::NoEntry(path.clone()),
        _ => ExampleError::Io(path.clone(), e),
    })?;
    let mut entry: Entry = load_str(&file, &text).map_err(|p| ExampleError::Problems(vec![p]))?;
    let example = Example {
        text: crate::text::redact::redact(example.text.trim()).text,
        source: example.source.trim().to_string(),
    };
    let examples = &mut entry.matching.examples;
    if examples
        .iter()
        .any(|x| x.text == example.text || x.source == example.source)
    {
        return Err(ExampleError::AlreadyThere(path));
    }
    examples.push(example);
    let mut json = serde_json::to_string_pretty(&entry)
        .map_err(|e| ExampleError::Io(path.clone(), std::io::Error::other(e)))?;
    json.push('\n');
    let problems = validate_entry(&file, &json, &entry);
    if !problems.is_empty() {
        return Err(ExampleError::Problems(problems));
    }
    std::fs::write(&path, json).map_err(|e| ExampleError::Io(path.clone(), e))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_example_is_added_redacted_once_and_checked() {
        let dir = std::env::temp_dir().join(format!("errmedic-examples-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let entry = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("kb/token-expired.json"),
        )
        .unwrap();
        let before = load_str("t", &entry).unwrap().matching.examples.len();
        std::fs::write(dir.join("token-expired.json"), entry).unwrap();
        let x = |text: &str, source: &str| Example {
            text: text.into(),
            source: source.into(),
        };
        let paste = "sync failed: AADSTS700082: The refresh token has expired due to inactivity. client_secret=abc123def456ghi789";
        let path = add(&dir, "token-expired", x(paste, "thread 1")).unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        assert!(written.contains("AADSTS700082") && !written.contains("abc123def456ghi789"));
        assert!(matches!(
            add(&dir, "token-expired", x(paste, "thread 1")),
            Err(ExampleError::AlreadyThere(_))
        ));
        assert!(matches!(
            add(&dir, "token-expired", x("too short", "thread 2")),
            Err(ExampleError::Problems(_))
        ));
        assert!(matches!(
            add(&dir, "../etc", x(paste, "thread 3")),
            Err(ExampleError::BadId(_))
        ));
        assert!(matches!(
            add(&dir, "no-such-entry", x(paste, "thread 3")),
            Err(ExampleError::NoEntry(_))
        ));
        // The entry still loads, with its example.
        let e = load_str("t", &std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(e.matching.examples.len(), before + 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
