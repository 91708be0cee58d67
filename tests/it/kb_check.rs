//! Broken knowledge-base files: every problem is reported with file, entry, field and line.

use errmedic::kb::{load_dir, Problem};

use crate::test_path;

fn problems() -> Vec<Problem> {
    load_dir(&test_path("fixtures/broken_kb"))
        .expect_err("the broken kb must not load")
        .problems
}

/// Asserts a problem in `file` whose text contains `needle`, located on a line.
fn check(file: &str, entry: Option<&str>, needle: &str) {
    let all = problems();
    let found = all
        .iter()
        .find(|p| p.file.ends_with(file) && p.message.contains(needle));
    let listing: Vec<String> = all.iter().map(|p| p.to_string()).collect();
    let p = found.unwrap_or_else(|| {
        panic!(
            "no problem {needle:?} in {file}; got:\n{}",
            listing.join("\n")
        )
    });
    assert_eq!(p.entry.as_deref(), entry, "{p}");
    assert!(p.line > 0, "{p} has no line");
}

#[test]
fn malformed_json_names_the_line() {
    check("malformed.json", Some("malformed"), "expected `,` or `}`");
}

#[test]
fn unknown_fields_are_rejected() {
    check(
        "unknown-field.json",
        Some("unknown-field"),
        "unknown field `severity`",
    );
}

#[test]
fn duplicate_ids_are_reported() {
    check("good-entry.json", Some("good-entry"), "duplicate id");
    check(
        "duplicate-copy.json",
        Some("good-entry"),
        "must be named `good-entry.json`",
    );
}

#[test]
fn a_pattern_that_does_not_compile() {
    check(
        "bad-pattern.json",
        Some("bad-pattern"),
        "the regex does not compile",
    );
}

#[test]
fn empty_steps() {
    check(
        "empty-steps.json",
        Some("empty-steps"),
        "at least one resolution step",
    );
}

#[test]
fn links_must_be_https() {
    check(
        "http-link.json",
        Some("http-link"),
        "is not an absolute https:// URL",
    );
}

#[test]
fn an_entry_with_nothing_to_match_on() {
    check(
        "nothing-to-match.json",
        Some("nothing-to-match"),
        "nothing to match on",
    );
}

#[test]
fn problems_print_as_file_line_column() {
    let all = problems();
    let p = all
        .iter()
        .find(|p| p.file.ends_with("http-link.json"))
        .unwrap();
    let text = p.to_string();
    assert!(
        text.contains("http-link.json:") && text.contains("entry `http-link` field `links[0].url`"),
        "{text}"
    );
}

#[test]
fn the_good_entry_alone_raises_nothing() {
    let all = problems();
    assert!(
        !all.iter()
            .any(|p| p.file.ends_with("good-entry.json") && !p.message.contains("duplicate")),
        "{all:?}"
    );
}

#[test]
fn an_entry_that_would_not_fit_one_answer_is_rejected() {
    check(
        "too-long.json",
        Some("too-long"),
        "a step may be at most 600",
    );
    check(
        "too-long.json",
        Some("too-long"),
        "at most 1500 fit an answer",
    );
    check("too-long.json", Some("too-long"), "fit one answer");
}

#[test]
fn an_oversized_file_is_rejected_with_its_size() {
    let dir = std::env::temp_dir().join(format!("errmedic-huge-kb-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("huge.json"), vec![b' '; 2 * 1024 * 1024]).unwrap();
    let problems = load_dir(&dir).unwrap_err().problems;
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p.file.ends_with("huge.json") && p.message.contains("larger than")),
        "{problems:?}"
    );
}
