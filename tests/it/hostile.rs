//! Hostile input: the engine and the knowledge-base loader never panic, on arbitrary text and
//! on text built to be slow or confusing. (Property tests; their time is not asserted here —
//! `errmedic bench` and the notes carry the figures.)

use proptest::prelude::*;

use crate::engine;

fn check_answer(text: &str) {
    for answer in [engine().paste(text), engine().query(text)] {
        for m in &answer.matches {
            assert!((0.0..=1.0).contains(&m.score), "score {}", m.score);
            assert!(m.entry < engine().kb().entries.len());
        }
        assert!(answer.auto_reply.iter().all(|&i| i < answer.matches.len()));
        assert!(answer.auto_reply.len() <= 3);
    }
}

proptest! {
    // 400 cases each in `cargo test`; PROPTEST_CASES=N runs longer.
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(400), ..ProptestConfig::default() })]

    #[test]
    fn any_text_is_answered_without_panic(text in ".{0,2000}") {
        check_answer(&text);
    }

    #[test]
    fn any_bytes_are_answered_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4000)) {
        check_answer(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn error_shaped_noise_is_answered_without_panic(
        parts in proptest::collection::vec(prop_oneof![
            Just("AADSTS50076".to_string()), Just("\\\\u00".to_string()), Just("&#x".to_string()), Just("```".to_string()),
            Just("\\r\\n".to_string()), Just("\u{200b}".to_string()), Just("\u{202e}".to_string()), Just("e\u{301}".to_string()),
            Just("Code: Authorization_RequestDenied".to_string()), Just("(400) Bad Request".to_string()), "[a-zA-Z0-9_.:@{}\\\\ -]{0,30}",
        ], 0..200)
    ) {
        check_answer(&parts.concat());
    }

    #[test]
    fn the_loader_never_panics(text in ".{0,3000}") {
        let _ = errmedic::kb::load_str("fuzz.json", &text);
    }

    #[test]
    fn the_loader_never_panics_on_near_entries(title in ".{0,100}", steps in proptest::collection::vec(".{0,50}", 0..5), regex in ".{0,40}") {
        let entry = serde_json::json!({
            "id": "fuzz-entry", "title": title, "products": ["Graph"], "cause": "c", "steps": steps,
            "match": {"patterns": [{"regex": regex, "weight": 1.0, "why": "w"}]}
        });
        if let Ok(e) = errmedic::kb::load_str("fuzz.json", &entry.to_string()) {
            let _ = errmedic::kb::validate_entry("fuzz.json", &entry.to_string(), &e);
        }
    }
}

#[test]
fn text_built_to_be_slow_is_bounded() {
    let cases: Vec<String> = vec![
        "a".repeat(1 << 20),
        "\n".repeat(1_000_000),
        "AADSTS50076 ".repeat(100_000),
        "Code: Foo_Bar ".repeat(50_000),
        "insufficient ".repeat(100_000),
        "\u{200b}\u{202e}\u{301}".repeat(200_000),
        "[".repeat(500_000),
        "(400) Bad Request (403) Forbidden ".repeat(20_000),
        "x".repeat(70_000) + " AADSTS50078",
    ];
    for text in &cases {
        check_answer(text);
    }
    // Text past the limit is cut, and the answer says so.
    assert!(engine().paste(&cases[0]).truncated);
}

#[test]
fn deeply_nested_json_is_rejected_not_overflowed() {
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let problem = errmedic::kb::load_str("nested.json", &nested).unwrap_err();
    assert!(
        problem.message.contains("recursion limit") || problem.message.contains("invalid type"),
        "{}",
        problem.message
    );
}
