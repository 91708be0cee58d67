//! The shared development evaluation sets (dev, dev2 and dev3, pooled) must meet the accuracy
//! bars, and the collected tuning split must not slip back. Where
//! `../shared/eval/` is missing, the test says so; with `ERRMEDIC_REQUIRE_EVAL` set (CI sets it
//! when the folder exists) a missing folder fails instead of passing unmeasured.

use errmedic::devtools::eval::{parse_cases, run};

use crate::{engine, root};

#[test]
fn dev_eval_meets_the_bars() {
    let dir = root().join("../shared/eval");
    let files = [
        "dev_pastes.jsonl",
        "dev2_pastes.jsonl",
        "dev3_pastes.jsonl",
        "dev_queries.jsonl",
        "dev2_queries.jsonl",
        "dev3_queries.jsonl",
    ];
    if !files.iter().all(|f| dir.join(f).exists()) {
        let note = format!(
            "{} lacks the dev evaluation files: the accuracy bars were NOT checked",
            dir.display()
        );
        assert!(
            std::env::var_os("ERRMEDIC_REQUIRE_EVAL").is_none(),
            "{note}"
        );
        eprintln!("note: {note}");
        return;
    }
    let mut cases = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(dir.join(f)).unwrap();
        cases.extend(parse_cases(f, &text).unwrap());
    }
    let fig = run(engine(), &cases);
    let report = format!("{fig}\n{}", fig.miss_lines());
    assert!(
        fig.covered > 0 && fig.uncovered > 0 && fig.queries > 0,
        "{report}"
    );
    assert!(fig.right_pct() >= 92.0, "right below 92%:\n{report}");
    assert_eq!(fig.wrong, 0, "wrong answers:\n{report}");
    assert!(
        fig.false_reply_pct() <= 1.0,
        "false replies above 1%:\n{report}"
    );
    assert!(fig.top1_pct() >= 97.0, "top-1 below 97%:\n{report}");
    assert!(fig.top3_pct() >= 100.0, "top-3 below 100%:\n{report}");
    // The reference tier: near-misses with Entra codes answered by one of their codes' entries,
    // and never instead of a team's entry.
    assert!(
        fig.reference_right as f64 >= 0.85 * fig.with_codes as f64,
        "reference answers below 85%:\n{report}"
    );
    assert_eq!(fig.reference_instead, 0, "reference instead:\n{report}");
}

/// The collected tuning split (real pastes from public threads, `tests/collected/tune.jsonl`): what
/// matching was improved against must stay improved — no wrong answer, and false replies and
/// silences no worse than when the floor was set. (The frozen split is never tested here: its
/// figures are taken once, at the end of a round.)
#[test]
fn the_collected_tuning_split_does_not_slip_back() {
    let path = root().join("tests/collected/tune.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let cases = parse_cases("tune.jsonl", &text).unwrap();
    let fig = run(engine(), &cases);
    let report = format!("{fig}\n{}", fig.miss_lines());
    assert!(fig.covered >= 150 && fig.uncovered >= 300, "{report}");
    assert_eq!(fig.wrong, 0, "wrong answers:\n{report}");
    // 92% until rounds 22 and 23 joined the split (read on arrival: 30 of 43 and 1 of 5 right),
    // 91.5% until round 24 joined it (73 of 99 on arrival), then 89.5%, then 91.2% until
    // rounds 25 and 26 joined it (40 of 75 and 28 of 45 on arrival), 88.0% until round 27
    // joined it (34 of 68 and 25 of 64 on arrival), 83.1% until round 29 joined it (24 of 43
    // on arrival), 82.3% until round 30 joined it (33 of 70 on arrival), 81.4% until round 31
    // joined it (22 of 44 on arrival), 81.1% until round 32 joined it (6 of 10 on arrival),
    // 80.9% until round 33 joined it (26 of 36 on arrival), 80.6% until round 34 joined it (6
    // of 11 on arrival), 81.7% until round 35 joined it (43 of 78 on arrival), 81.5% until
    // round 36 joined it (21 of 39 on arrival), 80.4% until rounds 37 to 39 joined it (46 of
    // 79, 15 of 30 and 3 of 4 on arrival), 78.6% until rounds 40 to 42 joined it (20 of 49, 9
    // of 25 and 1 of 5 on arrival), 77.3% until round 43 joined it (36 of 53 on arrival),
    // 77.4% until round 44 joined it (9 of 32 on arrival), 76.8% until rounds 45 and 46
    // joined it (16 of 23 and 1 of 1 on arrival), 76.6% until round 47 joined it (18 of 24 on
    // arrival) and the reader of genre was refitted with it, 76.0% until round 48 joined it (7
    // of 11 on arrival), 76.6% until round 49 joined it (14 of 28 on arrival), 76.9% until
    // round 50 joined it (16 of 17 on arrival), the same with round 51 (1 of 1 on arrival),
    // 77.1% until rounds 52 and 53 joined it (9 of 14 and 4 of 6 on arrival), 77.5% until
    // Graph's invalidRequest went to the malformed-request entry and round 54 joined it (13 of
    // 20 on arrival) and round 55 (1 of 1); the floor is what the split reads now (1,384 of
    // 1,754), less four cases, and its false replies (154 of 9,412) plus a few.
    assert!(fig.right_pct() >= 78.5, "right below 78.5%:\n{report}");
    assert!(
        fig.false_reply_pct() <= 1.7,
        "false replies above 1.7%:\n{report}"
    );
    assert!(
        fig.reference_right as f64 >= 0.9 * fig.with_codes as f64,
        "reference answers below 90%:\n{report}"
    );
}
