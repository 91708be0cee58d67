//! The shared development evaluation set must meet the accuracy bars. On a clone without
//! `../shared/eval/`, the test says so and passes.

use errmedic::eval::{parse_cases, run};

use crate::{engine, root};

#[test]
fn dev_eval_meets_the_bars() {
    let dir = root().join("../shared/eval");
    let files = ["dev_pastes.jsonl", "dev_queries.jsonl"];
    if !files.iter().all(|f| dir.join(f).exists()) {
        eprintln!(
            "note: {} has no dev evaluation files; skipping the accuracy bars",
            dir.display()
        );
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
    assert!(fig.right_pct() >= 90.0, "right below 90%:\n{report}");
    assert!(fig.wrong_pct() <= 3.0, "wrong above 3%:\n{report}");
    assert!(
        fig.false_reply_pct() <= 2.0,
        "false replies above 2%:\n{report}"
    );
    assert!(fig.top1_pct() >= 95.0, "top-1 below 95%:\n{report}");
    assert!(fig.top3_pct() >= 98.0, "top-3 below 98%:\n{report}");
}
