//! Evaluation: runs case files (JSON Lines of `text`, `mode`, `expect`, `alt`) through the
//! engine and computes the figures: pastes answered right, wrong or not at all, false replies,
//! and lookup top-1 / top-3.

use std::fmt;

use serde::Deserialize;

use crate::engine::{Engine, Mode};

/// One evaluation case.
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    pub text: String,
    pub mode: CaseMode,
    /// An entry id, `"ambiguous"` (not scored), or null (must not be answered).
    pub expect: Option<String>,
    #[serde(default)]
    pub alt: Vec<String>,
    #[serde(default)]
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CaseMode {
    Paste,
    Query,
}

impl CaseMode {
    pub fn mode(self) -> Mode {
        match self {
            CaseMode::Paste => Mode::Paste,
            CaseMode::Query => Mode::Query,
        }
    }
}

impl Case {
    fn accepts(&self, id: &str) -> bool {
        self.expect.as_deref() == Some(id) || self.alt.iter().any(|a| a == id)
    }
}

/// Parses JSON Lines of cases; `file` names the source in errors.
pub fn parse_cases(file: &str, text: &str) -> anyhow::Result<Vec<Case>> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l)
                .map_err(|e| anyhow::anyhow!("{file}:{}: not a case: {e}", i + 1))
        })
        .collect()
}

/// The figures of one run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub covered: usize,
    pub right: usize,
    pub wrong: usize,
    pub silent: usize,
    pub uncovered: usize,
    pub false_replies: usize,
    pub queries: usize,
    pub top1: usize,
    pub top3: usize,
    /// One line per case that was not answered right.
    pub misses: Vec<String>,
}

fn pct(n: usize, d: usize) -> f64 {
    if d == 0 {
        100.0
    } else {
        100.0 * n as f64 / d as f64
    }
}

impl Figures {
    pub fn right_pct(&self) -> f64 {
        pct(self.right, self.covered)
    }
    pub fn wrong_pct(&self) -> f64 {
        pct(self.wrong, self.covered)
    }
    pub fn false_reply_pct(&self) -> f64 {
        pct(self.false_replies, self.uncovered)
    }
    pub fn top1_pct(&self) -> f64 {
        pct(self.top1, self.queries)
    }
    pub fn top3_pct(&self) -> f64 {
        pct(self.top3, self.queries)
    }
}

impl fmt::Display for Figures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "pastes, covered: {} — right {} ({:.1}%), wrong {} ({:.1}%), silent {} ({:.1}%)",
            self.covered,
            self.right,
            self.right_pct(),
            self.wrong,
            self.wrong_pct(),
            self.silent,
            pct(self.silent, self.covered)
        )?;
        writeln!(
            f,
            "pastes, not covered: {} — false replies {} ({:.1}%)",
            self.uncovered,
            self.false_replies,
            self.false_reply_pct()
        )?;
        write!(
            f,
            "queries: {} — top-1 {} ({:.1}%), top-3 {} ({:.1}%)",
            self.queries,
            self.top1,
            self.top1_pct(),
            self.top3,
            self.top3_pct()
        )
    }
}

fn short(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 90 {
        format!("{}…", one_line.chars().take(89).collect::<String>())
    } else {
        one_line
    }
}

/// Runs every case through the engine.
pub fn run(engine: &Engine, cases: &[Case]) -> Figures {
    let mut f = Figures::default();
    for case in cases {
        let answer = engine.answer(&case.text, case.mode.mode());
        let ids: Vec<&str> = answer
            .matches
            .iter()
            .map(|m| engine.entry(m.entry).id.as_str())
            .collect();
        let expect = case.expect.as_deref();
        match (case.mode, expect) {
            (_, Some("ambiguous")) => {}
            (CaseMode::Paste, Some(want)) => {
                f.covered += 1;
                match engine.auto_reply_id(&answer) {
                    Some(got) if case.accepts(got) => f.right += 1,
                    Some(got) => {
                        f.wrong += 1;
                        f.misses
                            .push(format!("WRONG  {got} (want {want}): {}", short(&case.text)));
                    }
                    None => {
                        f.silent += 1;
                        f.misses.push(format!(
                            "SILENT (want {want}; top {:?}): {}",
                            ids.first(),
                            short(&case.text)
                        ));
                    }
                }
            }
            (CaseMode::Paste, None) => {
                f.uncovered += 1;
                if let Some(got) = engine.auto_reply_id(&answer) {
                    f.false_replies += 1;
                    f.misses
                        .push(format!("FALSE  {got}: {}", short(&case.text)));
                }
            }
            (CaseMode::Query, Some(want)) => {
                f.queries += 1;
                let hit1 = ids.first().is_some_and(|id| case.accepts(id));
                let hit3 = ids.iter().take(3).any(|id| case.accepts(id));
                f.top1 += hit1 as usize;
                f.top3 += hit3 as usize;
                if !hit1 {
                    f.misses.push(format!(
                        "QUERY  top {:?} (want {want}): {}",
                        &ids[..ids.len().min(3)],
                        short(&case.text)
                    ));
                }
            }
            (CaseMode::Query, None) => {}
        }
    }
    f
}
