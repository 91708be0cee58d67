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
    /// On a near-miss: the Entra codes (`AADSTS…`) its error reports.
    #[serde(default)]
    pub codes: Vec<String>,
    /// Where the case was collected (a thread, a page): cases of one source are judged
    /// together in cross-validation.
    #[serde(default)]
    pub source: Option<String>,
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
    /// Whether `id` counts as a right answer.
    pub fn accepts(&self, id: &str) -> bool {
        self.expect.as_deref() == Some(id) || self.alt.iter().any(|a| a == id)
    }

    /// The case's cross-validation group: the hash of its source's repository (or site), so
    /// that the cases of one project, whose threads share its words, fall in one fold; `index`
    /// (its place in the file) for a case with no source.
    pub fn group(&self, index: usize) -> u64 {
        self.source.as_deref().map_or(index as u64, |s| {
            crate::text::words::fnv1a_str(&repository(s).to_ascii_lowercase())
        })
    }

    /// Whether `id` is the reference entry of one of the case's codes (`AADSTS700016` →
    /// `aadsts700016`).
    pub fn reference_accepts(&self, id: &str) -> bool {
        self.codes.iter().any(|c| c.to_ascii_lowercase() == id)
    }
}

/// Whether a case of cross-validation group `group` (see [`Case::group`]) falls in fold `k` of
/// `folds`.
pub fn in_fold(group: u64, folds: u64, k: u64) -> bool {
    group % folds == k
}

/// The project a case's source belongs to: `owner/repo` of `owner/repo#12`, of
/// `owner/repo:path` or of a GitHub address, the host of any other address, else the source
/// itself.
pub fn repository(source: &str) -> &str {
    if let Some(rest) = source
        .strip_prefix("https://")
        .or_else(|| source.strip_prefix("http://"))
    {
        let mut parts = rest.split('/');
        let host = parts.next().unwrap_or(rest);
        return match (host, parts.next(), parts.next()) {
            ("github.com", Some(owner), Some(repo)) => {
                let end = host.len() + 1 + owner.len() + 1 + repo.len();
                &rest[host.len() + 1..end]
            }
            _ => host,
        };
    }
    // `owner/repo#12`, and a file of it, `owner/repo:docs/faq.md`.
    source.split(['#', ':']).next().unwrap_or(source)
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

/// A case that was not answered right, and the line that says so.
#[derive(Debug, Clone)]
pub struct Miss {
    pub line: String,
    pub case: Case,
}

/// Auto-replies shown with one confidence, and how many were right.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Bucket {
    pub shown: f32,
    pub replies: usize,
    pub right: usize,
}

/// The figures of one run.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub covered: usize,
    pub right: usize,
    pub wrong: usize,
    pub silent: usize,
    /// Covered pastes answered by a reference entry instead of their curated one.
    pub reference_instead: usize,
    pub uncovered: usize,
    pub false_replies: usize,
    /// Uncovered pastes that carry Entra codes (near-misses with `codes`).
    pub with_codes: usize,
    /// ...answered by the reference entry of one of their codes.
    pub reference_right: usize,
    pub queries: usize,
    pub top1: usize,
    pub top3: usize,
    /// Every case that was not answered right.
    pub misses: Vec<Miss>,
    /// Auto-replies by shown confidence.
    pub calibration: Vec<Bucket>,
}

/// True for the id of a reference entry (the general meaning of a code).
pub fn is_reference_id(engine: &Engine, id: &str) -> bool {
    engine
        .kb()
        .get(id)
        .is_some_and(|e| e.tier == crate::kb::Tier::Reference)
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
    /// The miss lines, one per line.
    pub fn miss_lines(&self) -> String {
        self.misses
            .iter()
            .map(|m| m.line.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl fmt::Display for Figures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "calibration (auto-replies by shown confidence):")?;
        for b in &self.calibration {
            writeln!(
                f,
                "  shown {:.1}%: {} replies, {} right ({:.1}%)",
                b.shown * 100.0,
                b.replies,
                b.right,
                pct(b.right, b.replies)
            )?;
        }
        writeln!(
            f,
            "pastes, covered: {} — right {} ({:.1}%), wrong {} ({:.1}%), silent {} ({:.1}%), reference instead {}",
            self.covered,
            self.right,
            self.right_pct(),
            self.wrong,
            self.wrong_pct(),
            self.silent,
            pct(self.silent, self.covered),
            self.reference_instead
        )?;
        writeln!(
            f,
            "pastes, not covered: {} — false replies {} ({:.1}%); with Entra codes {} — reference right {} ({:.1}%)",
            self.uncovered,
            self.false_replies,
            self.false_reply_pct(),
            self.with_codes,
            self.reference_right,
            pct(self.reference_right, self.with_codes)
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

/// The distinct confidences an auto-reply can show, lowest first.
fn shown_values() -> Vec<f32> {
    let mut values = crate::engine::SHOWN.to_vec();
    values.dedup();
    values
}

/// Runs every case through the engine. One pass over the cases, each scored by its kind as
/// `shared/eval/README.md` defines them: kept together so that the figures' rules read in one
/// place.
pub fn run(engine: &Engine, cases: &[Case]) -> Figures {
    let mut f = Figures {
        // The calibration table's buckets are the confidences a reply can show: replies shown
        // alike are judged together against what they showed.
        calibration: shown_values()
            .into_iter()
            .map(|shown| Bucket {
                shown,
                ..Bucket::default()
            })
            .collect(),
        ..Figures::default()
    };
    for case in cases {
        let own = without_own_example(engine, case);
        let engine = own.as_ref().unwrap_or(engine);
        let answer = engine.answer(&case.text, case.mode.mode());
        let ids: Vec<&str> = answer
            .matches
            .iter()
            .map(|m| engine.entry(m.entry).id.as_str())
            .collect();
        let expect = case.expect.as_deref();
        let replied = answer
            .auto_reply
            .first()
            .map(|&i| (ids[i], answer.matches[i].score));
        let mut miss = |line: String| {
            f.misses.push(Miss {
                line,
                case: case.clone(),
            })
        };
        if let (CaseMode::Paste, Some((got, score))) = (case.mode, replied) {
            if expect != Some("ambiguous") {
                // A reply shows one of the shown values exactly (`engine::shown`).
                let bucket = f.calibration.iter_mut().find(|b| b.shown == score);
                debug_assert!(bucket.is_some(), "a reply showed {score}, no shown value");
                if let Some(b) = bucket {
                    b.replies += 1;
                    b.right += (case.accepts(got) || case.reference_accepts(got)) as usize;
                }
            }
        }
        match (case.mode, expect) {
            (_, Some("ambiguous")) => {}
            (CaseMode::Paste, Some(want)) => {
                f.covered += 1;
                match replied {
                    Some((got, _)) if case.accepts(got) => f.right += 1,
                    Some((got, _)) if is_reference_id(engine, got) => {
                        f.reference_instead += 1;
                        miss(format!("REF    {got} (want {want}): {}", short(&case.text)));
                    }
                    Some((got, _)) => {
                        f.wrong += 1;
                        miss(format!("WRONG  {got} (want {want}): {}", short(&case.text)));
                    }
                    None => {
                        f.silent += 1;
                        miss(format!(
                            "SILENT (want {want}; top {:?}): {}",
                            ids.first(),
                            short(&case.text)
                        ));
                    }
                }
            }
            (CaseMode::Paste, None) => {
                f.uncovered += 1;
                if !case.codes.is_empty() {
                    f.with_codes += 1;
                }
                match replied {
                    Some((got, _)) if case.reference_accepts(got) => f.reference_right += 1,
                    Some((got, _)) => {
                        f.false_replies += 1;
                        miss(format!("FALSE  {got}: {}", short(&case.text)));
                    }
                    None if !case.codes.is_empty() => miss(format!(
                        "NOREF  (codes {}; top {:?}): {}",
                        case.codes.join(" "),
                        ids.first(),
                        short(&case.text)
                    )),
                    None => {}
                }
            }
            (CaseMode::Query, Some(want)) => {
                f.queries += 1;
                let hit1 = ids.first().is_some_and(|id| case.accepts(id));
                let hit3 = ids.iter().take(3).any(|id| case.accepts(id));
                f.top1 += hit1 as usize;
                f.top3 += hit3 as usize;
                if !hit1 {
                    miss(format!(
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

/// The engine to judge `case` with when the knowledge base holds an example from the case's own
/// source: the same knowledge base without it, so that a case is never judged by itself.
pub fn without_own_example(engine: &Engine, case: &Case) -> Option<Engine> {
    let source = case.source.as_deref()?;
    let own = |e: &crate::kb::Entry| e.matching.examples.iter().any(|x| x.source == source);
    if !engine.kb().entries.iter().any(own) {
        return None;
    }
    let mut kb = engine.kb().clone();
    for e in &mut kb.entries {
        e.matching.examples.retain(|x| x.source != source);
    }
    Some(Engine::new(kb))
}

/// What the engine read in a case and how it decided, for a person reading a miss.
pub fn explain(engine: &Engine, case: &Case) -> String {
    let own = without_own_example(engine, case);
    let engine = own.as_ref().unwrap_or(engine);
    let a = engine.answer(&case.text, case.mode.mode());
    let mut out = String::new();
    let g = &a.gate;
    out.push_str(&format!(
        "    gate: {} | form: {} | learned {} | microsoft {} | foreign {:?}\n",
        if g.why.is_empty() { "-" } else { &g.why },
        g.facts.form.describe(),
        g.facts
            .learned
            .map_or("-".to_string(), |l| format!("{:.2}", l.mention)),
        g.facts.microsoft,
        a.extracted.foreign
    ));
    if !g.features.is_empty() {
        let x: Vec<String> = crate::engine::FEATURE_NAMES
            .iter()
            .zip(&g.features)
            .map(|(n, v)| format!("{n}={v:.2}"))
            .collect();
        out.push_str(&format!("    features: {}\n", x.join(" ")));
    }
    out.push_str(&format!(
        "    codes {:?} statuses {:?}\n",
        a.extracted.codes, a.extracted.statuses
    ));
    for m in a.matches.iter().take(3) {
        out.push_str(&format!(
            "    {:<34} p {:.2} points {:.2}{} — {}\n",
            engine.entry(m.entry).id,
            m.score,
            m.points,
            if m.strong { " strong" } else { "" },
            m.reasons.join("; ")
        ));
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::{parse_cases, repository, run, shown_values};

    #[test]
    fn replies_are_judged_against_the_confidence_they_showed() {
        let kb = crate::kb::load_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("kb"))
            .unwrap();
        let engine = crate::engine::Engine::new(kb);
        // A code and its whole message, a rule only, a wrong entry, a false reply, and silence.
        let lines = [
            r#"{"text": "AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed.", "mode": "paste", "expect": "grant-revoked"}"#,
            r#"{"text": "In Graph Explorer the request for a group's members keeps failing with 403 Forbidden, while other requests work", "mode": "paste", "expect": "graph-exo-access-denied"}"#,
            r#"{"text": "AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed.", "mode": "paste", "expect": "token-expired"}"#,
            r#"{"text": "AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed.", "mode": "paste", "expect": null}"#,
            r#"{"text": "morning all, coffee anyone?", "mode": "paste", "expect": null}"#,
        ];
        let cases = parse_cases("own", &lines.join("\n")).unwrap();
        let f = run(&engine, &cases);
        let shown: Vec<f32> = f.calibration.iter().map(|b| b.shown).collect();
        assert_eq!(shown, shown_values());
        assert!(
            shown.len() >= 2 && shown.windows(2).all(|w| w[0] < w[1]),
            "{shown:?}"
        );
        let replies: usize = f.calibration.iter().map(|b| b.replies).sum();
        let right: usize = f.calibration.iter().map(|b| b.right).sum();
        assert_eq!((replies, right), (4, 2), "{f}");
        // The rule's reply shows less than the code's, and each is counted under its own.
        let low = &f.calibration[0];
        let high = f.calibration.last().unwrap();
        assert!(low.shown < high.shown, "{f}");
        assert_eq!((low.replies, low.right), (1, 1), "{f}");
        assert_eq!((high.replies, high.right), (3, 1), "{f}");
        let line = format!("shown {:.1}%: 3 replies, 1 right", high.shown * 100.0);
        assert!(f.to_string().contains(&line), "{f}");
    }

    #[test]
    fn a_source_s_repository_groups_its_threads() {
        for (source, repo) in [
            ("AzureAD/MSAL#12", "AzureAD/MSAL"),
            (
                "KelvinTegelaar/CIPP:docs/troubleshooting.md",
                "KelvinTegelaar/CIPP",
            ),
            ("https://github.com/AzureAD/MSAL/issues/12", "AzureAD/MSAL"),
            (
                "https://github.com/MicrosoftDocs/entra-docs/blob/0a1b/docs/x.md",
                "MicrosoftDocs/entra-docs",
            ),
            (
                "https://learn.microsoft.com/en-us/answers/questions/1/x",
                "learn.microsoft.com",
            ),
            ("https://github.com", "github.com"),
            (
                "written for the held-out set",
                "written for the held-out set",
            ),
        ] {
            assert_eq!(repository(source), repo, "{source}");
        }
    }
}
