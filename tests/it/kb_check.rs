//! Broken knowledge-base files: every problem is reported with file, entry, field and line.

use errmedic::kb::{load_dir, Problem};

use crate::test_path;

fn problems() -> Vec<Problem> {
    load_dir(&test_path("fixtures/broken_kb"))
        .expect_err("the broken kb must not load")
        .problems
}

/// Asserts a problem in `file` whose text contains `needle`, located on a line; returns it.
fn check(file: &str, entry: Option<&str>, needle: &str) -> Problem {
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
    p.clone()
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
fn an_entry_whose_none_has_an_empty_alternative_or_silences_a_rule_or_its_own_words() {
    for needle in [
        "`none` (`Power BI||update user|good entry`) has an empty alternative",
        "`none` excludes `update user`, which `all` requires",
        "`none` excludes `good entry`, which the entry's own codes or messages hold",
    ] {
        let p = check("bad-entry-none.json", Some("bad-entry-none"), needle);
        assert_eq!(p.field.as_deref(), Some("match.none"), "{p}");
    }
}

#[test]
fn a_rule_whose_none_has_an_empty_alternative() {
    check(
        "bad-rule-none.json",
        Some("bad-rule-none"),
        "`none` (`create user||New-MgUser`) has an empty alternative",
    );
    check(
        "bad-rule-none.json",
        Some("bad-rule-none"),
        "`none` excludes `new user`, which `all` requires",
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

/// A local HTTP server for the link checker: 200, a redirect to 200, 404, 500, a HEAD refused
/// (GET answers), and one too slow to answer. Answers until the test ends.
fn link_server() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                use std::io::{BufRead, BufReader, Write};
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut first = String::new();
                if reader.read_line(&mut first).is_err() {
                    return;
                }
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                }
                let mut parts = first.split_whitespace();
                let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
                let (status, extra) = match (method, path) {
                    (_, "/ok") => ("200 OK", String::new()),
                    (_, "/moved") => ("301 Moved Permanently", "Location: /ok\r\n".to_string()),
                    (_, "/missing") => ("404 Not Found", String::new()),
                    (_, "/broken") => ("500 Internal Server Error", String::new()),
                    ("HEAD", "/nohead") => ("405 Method Not Allowed", String::new()),
                    ("GET", "/nohead") => ("200 OK", String::new()),
                    (_, "/slow") => {
                        std::thread::sleep(std::time::Duration::from_secs(4));
                        ("200 OK", String::new())
                    }
                    _ => ("404 Not Found", String::new()),
                };
                let mut s = stream;
                let _ = write!(
                    s,
                    "HTTP/1.1 {status}\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n"
                );
            });
        }
    });
    base
}

#[test]
fn kb_links_lists_broken_links_with_their_entries() {
    let base = link_server();
    let dir = std::env::temp_dir().join(format!("errmedic-links-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let links: Vec<serde_json::Value> = ["ok", "moved", "missing", "broken", "nohead", "slow"]
        .iter()
        .map(|p| serde_json::json!({"title": p, "url": format!("{base}/{p}")}))
        .collect();
    let entry = serde_json::json!({
        "id": "linked", "title": "Linked", "products": ["Graph"], "cause": "c",
        "steps": ["s"], "links": links, "match": {"codes": ["LinkedCode"]}
    });
    std::fs::write(dir.join("linked.json"), entry.to_string()).unwrap();
    let (code, text, _) = crate::run_errmedic(
        &dir,
        &[],
        &[
            "kb",
            "links",
            "--kb",
            dir.to_str().unwrap(),
            "--timeout",
            "1",
        ],
    );
    assert_eq!(code, 1, "{text}");
    for broken in [
        "/missing  HTTP 404",
        "/broken  HTTP 500",
        "/slow  timed out",
    ] {
        assert!(text.contains(broken), "{broken} not listed:\n{text}");
    }
    for fine in ["/ok ", "/moved ", "/nohead "] {
        assert!(!text.contains(fine), "{fine} listed as broken:\n{text}");
    }
    assert!(
        text.contains("in linked") && text.contains("6 link(s) checked, 3 broken"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn stale_entries_are_named() {
    let dir = std::env::temp_dir().join(format!("errmedic-stale-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (id, reviewed) in [
        ("old-entry", Some("2020-01-01")),
        ("never-reviewed", None),
        ("fresh-entry", Some("2999-01-01")),
    ] {
        let mut e = serde_json::json!({
            "id": id, "title": id, "products": ["Graph"], "cause": "c", "steps": ["s"],
            "links": [{"title": "t", "url": "https://example.com/x"}],
            "match": {"codes": [format!("Code_{}", id.replace('-', "_"))], "keywords": ["k"]}
        });
        if let Some(on) = reviewed {
            e["reviewed"] = serde_json::json!({"on": on, "by": "a"});
        }
        std::fs::write(dir.join(format!("{id}.json")), e.to_string()).unwrap();
    }
    let (code, text, _) = crate::run_errmedic(
        &dir,
        &[],
        &[
            "kb",
            "check",
            dir.to_str().unwrap(),
            "--stale-after",
            "180d",
        ],
    );
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("stale: old-entry was last reviewed"),
        "{text}"
    );
    assert!(
        text.contains("stale: never-reviewed has never been reviewed"),
        "{text}"
    );
    assert!(
        !text.contains("stale: fresh-entry") && text.contains("2 entries not reviewed"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_team_entry_cannot_take_a_reference_entry_s_id() {
    let dir = std::env::temp_dir().join(format!("errmedic-ref-clash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("reference")).unwrap();
    std::fs::copy(
        crate::root().join("kb/reference/graph.json"),
        dir.join("reference/graph.json"),
    )
    .unwrap();
    let entry = serde_json::json!({
        "id": "graph-toomanyrequests", "title": "Throttled", "products": ["Graph"], "cause": "c",
        "steps": ["s"], "match": {"codes": ["TeamThrottleCode"]}
    });
    std::fs::write(dir.join("graph-toomanyrequests.json"), entry.to_string()).unwrap();
    let e = errmedic::kb::load_dir(&dir).unwrap_err();
    assert!(
        e.problems
            .iter()
            .any(|p| p.to_string().contains("is the id of a reference entry")),
        "{e}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_refusal_rule_needs_a_refusal_s_status() {
    let p = check(
        "bad-refusal.json",
        Some("bad-refusal"),
        "`refusal` needs a group that holds",
    );
    assert_eq!(p.field.as_deref(), Some("match.rules[0]"), "{p}");
}

#[test]
fn localized_messages_name_their_language_and_hold_words_and_no_placeholder() {
    check(
        "bad-localized.json",
        Some("bad-localized"),
        "is not one of de, es",
    );
    check(
        "bad-localized.json",
        Some("bad-localized"),
        "holds a placeholder",
    );
    check(
        "bad-localized.json",
        Some("bad-localized"),
        "needs at least one word",
    );
}

#[test]
fn a_broken_genre_model_names_its_file_and_fields() {
    let all = problems();
    let said: Vec<String> = all
        .iter()
        .filter(|p| p.file.ends_with("genre/mentions.json"))
        .map(|p| p.to_string())
        .collect();
    for want in [
        "field `threshold`: 5 is not a probability",
        "field `weights`: `this error here` is not a feature",
    ] {
        assert!(
            said.iter().any(|s| s.contains(want)),
            "{want:?} not in {said:?}"
        );
    }
}

#[test]
fn a_genre_model_that_is_not_one_names_its_line() {
    let problems = errmedic::kb::parse_mentions("m.json", "{\n  \"weights\": []\n}").unwrap_err();
    assert_eq!(problems.len(), 1);
    assert!(problems[0].line == 2, "{}", problems[0]);
    assert!(
        problems[0].to_string().contains("not a genre model"),
        "{}",
        problems[0]
    );
}
