//! `errmedic calibrate`: fits the weights of the auto-reply gate (a logistic model over the
//! features of `engine::decide`) on evaluation cases, and says how the fit does on cases it did
//! not see (k-fold cross-validation). Its reliability table of the shipped gate, run by the
//! engine of a day on a round of cases as the round arrived, is the reading the shown confidence
//! is taken from (`SHOWN` in `engine::decide`; the readings in `tests/collected/README.md`): on
//! cases the rules were improved against, it overstates.

use std::fmt::Write as _;

use crate::devtools::eval::{Case, CaseMode};
use crate::engine::{
    band, band_bounds, Engine, BANDS, BIAS, FEATURES, FEATURE_NAMES, REPLY_AT, WEIGHTS,
};

/// One case as the gate sees it: the best candidate's features, whether a rule vetoed it, and
/// whether that candidate is the right answer.
#[derive(Debug, Clone)]
pub struct Sample {
    pub x: [f32; FEATURES],
    pub vetoed: bool,
    pub right: bool,
    /// The case has an answer in the knowledge base.
    pub covered: bool,
    /// The cross-validation fold of the case: from its source, so that cases of one thread
    /// are never split between fitting and judging.
    pub group: u64,
}

/// The samples of paste cases that have at least one candidate.
pub fn samples(engine: &Engine, cases: &[Case]) -> Vec<Sample> {
    cases
        .iter()
        .enumerate()
        .filter(|(_, c)| c.mode == CaseMode::Paste && c.expect.as_deref() != Some("ambiguous"))
        .filter_map(|(i, c)| {
            // Never judged with its own example.
            let own = crate::devtools::eval::without_own_example(engine, c);
            let engine = own.as_ref().unwrap_or(engine);
            let a = engine.paste(&c.text);
            let top = a.matches.first()?;
            let mut x = [0.0; FEATURES];
            x.copy_from_slice(a.gate.features.get(..FEATURES)?);
            Some(Sample {
                x,
                vetoed: a.gate.vetoed,
                right: c.accepts(&engine.entry(top.entry).id)
                    || c.reference_accepts(&engine.entry(top.entry).id),
                covered: c.expect.is_some(),
                group: c.group(i),
            })
        })
        .collect()
}

/// Replies in each of the gate's confidence bands and how many were right: (replies, right).
pub fn reliability(m: &Model, samples: &[Sample]) -> [(usize, usize); 4] {
    let mut table = [(0, 0); 4];
    for s in samples.iter().filter(|s| !s.vetoed) {
        let p = m.probability(&s.x);
        if let Some(b) = band(p) {
            table[b].0 += 1;
            table[b].1 += usize::from(s.right);
        }
    }
    table
}

/// The observed rates of a reliability table made monotone (pooling adjacent bands that
/// disagree, weighted by their replies): what each band is shown as. A band without replies
/// takes the band below's value (the first, its lower bound).
pub fn pooled(table: &[(usize, usize); 4]) -> [f32; 4] {
    // Blocks of adjacent bands: (replies, right, bands).
    let mut blocks: Vec<(usize, usize, usize)> = Vec::new();
    for &(n, right) in table {
        blocks.push((n, right, 1));
        while blocks.len() > 1 {
            let (n2, r2, _) = blocks[blocks.len() - 1];
            let (n1, r1, _) = blocks[blocks.len() - 2];
            // An empty block never forces a pool; otherwise the higher must not show less.
            if n1 == 0 || n2 == 0 || (r1 as f32 / n1 as f32) <= (r2 as f32 / n2 as f32) {
                break;
            }
            let (n, r, k) = blocks.pop().unwrap_or_default();
            let last = blocks.last_mut().expect("two blocks");
            *last = (last.0 + n, last.1 + r, last.2 + k);
        }
    }
    let mut out = [0.0; 4];
    let mut band = 0;
    let mut previous = BANDS[0];
    for (n, r, k) in blocks {
        let rate = if n == 0 {
            previous
        } else {
            r as f32 / n as f32
        };
        for _ in 0..k {
            out[band] = rate;
            band += 1;
        }
        previous = rate;
    }
    out
}

/// Weights and bias of a logistic model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub weights: [f32; FEATURES],
    pub bias: f32,
}

impl Model {
    pub fn probability(&self, x: &[f32; FEATURES]) -> f32 {
        let z = self.bias + x.iter().zip(self.weights).map(|(x, w)| x * w).sum::<f32>();
        1.0 / (1.0 + (-z).exp())
    }
}

/// Fits a logistic model by gradient descent on the log loss with an L2 penalty `l2` on the
/// weights (not the bias). Deterministic.
pub fn fit(samples: &[Sample], l2: f32) -> Model {
    let mut m = Model {
        weights: [0.0; FEATURES],
        bias: 0.0,
    };
    let n = samples.len().max(1) as f32;
    let rate = 0.5;
    for _ in 0..20_000 {
        let mut gw = [0.0f32; FEATURES];
        let mut gb = 0.0f32;
        for s in samples {
            let err = m.probability(&s.x) - if s.right { 1.0 } else { 0.0 };
            for (g, x) in gw.iter_mut().zip(s.x) {
                *g += err * x;
            }
            gb += err;
        }
        for (w, g) in m.weights.iter_mut().zip(gw) {
            *w -= rate * (g / n + l2 * *w);
        }
        m.bias -= rate * gb / n;
    }
    m
}

/// Replies the model would make on `samples` (vetoes kept): (right, wrong on covered cases,
/// false replies on uncovered ones).
pub fn replies(m: &Model, samples: &[Sample]) -> (usize, usize, usize) {
    tally(samples.iter().map(|s| (m.probability(&s.x), s)), REPLY_AT)
}

/// The replies among samples with their probabilities, at threshold `at` (vetoes kept):
/// (right, wrong on covered cases, false replies on uncovered ones).
fn tally<'a>(scored: impl Iterator<Item = (f32, &'a Sample)>, at: f32) -> (usize, usize, usize) {
    let (mut right, mut wrong, mut false_replies) = (0, 0, 0);
    for (_, s) in scored.filter(|(p, s)| !s.vetoed && *p >= at) {
        match (s.right, s.covered) {
            (true, _) => right += 1,
            (false, true) => wrong += 1,
            (false, false) => false_replies += 1,
        }
    }
    (right, wrong, false_replies)
}

/// The fit on all samples, and k-fold cross-validation, as a report.
pub fn report(samples: &[Sample], l2: f32, folds: usize) -> String {
    let mut out = String::new();
    // The shipped gate first: on cases it was not fitted on, what its replies' bands are worth.
    let shipped = Model {
        weights: WEIGHTS,
        bias: BIAS,
    };
    let table = reliability(&shipped, samples);
    let _ = writeln!(
        out,
        "the shipped gate on these cases (band → observed right):"
    );
    write_table(&mut out, &table);
    let shown: Vec<String> = pooled(&table).iter().map(|v| format!("{v:.3}")).collect();
    let _ = writeln!(
        out,
        "pooled (a higher band never less): [{}] (a confidence to show only if no rule was improved against these cases)\n",
        shown.join(", ")
    );
    let (r, w, f) = replies(&shipped, samples);
    let _ = writeln!(
        out,
        "the shipped gate's replies: right {r}, wrong {w}, false replies {f}\n"
    );
    // The model decides only what no rule vetoed: it is fitted on those samples alone.
    let open: Vec<Sample> = samples.iter().filter(|s| !s.vetoed).cloned().collect();
    let m = fit(&open, l2);
    let _ = writeln!(
        out,
        "samples: {} (right top: {}), not vetoed: {} (right top: {})",
        samples.len(),
        samples.iter().filter(|s| s.right).count(),
        open.len(),
        open.iter().filter(|s| s.right).count()
    );
    let _ = writeln!(out, "weights ({}):", FEATURE_NAMES.join(", "));
    let w: Vec<String> = m.weights.iter().map(|w| format!("{w:.2}")).collect();
    let _ = writeln!(
        out,
        "pub const WEIGHTS: [f32; FEATURES] = [{}];",
        w.join(", ")
    );
    let _ = writeln!(out, "pub const BIAS: f32 = {:.2};", m.bias);
    let (r, w, f) = replies(&m, samples);
    let _ = writeln!(
        out,
        "on the data it was fitted on: right {r}, wrong {w}, false replies {f}"
    );
    let (mut r, mut w, mut f) = (0, 0, 0);
    let mut table = [(0, 0); 4];
    let fold = |s: &Sample, k: usize| super::eval::in_fold(s.group, folds as u64, k as u64);
    let mut held: Vec<(f32, Sample)> = Vec::new();
    for k in 0..folds {
        let train: Vec<Sample> = open.iter().filter(|s| !fold(s, k)).cloned().collect();
        let test: Vec<Sample> = samples.iter().filter(|s| fold(s, k)).cloned().collect();
        let model = fit(&train, l2);
        held.extend(test.iter().map(|s| (model.probability(&s.x), s.clone())));
        let (a, b, c) = replies(&model, &test);
        r += a;
        w += b;
        f += c;
        for (t, (n, right)) in table.iter_mut().zip(reliability(&model, &test)) {
            t.0 += n;
            t.1 += right;
        }
    }
    let _ = writeln!(
        out,
        "{folds}-fold cross-validation by repository (each case judged by a model that saw no case of its project): right {r}, wrong {w}, false replies {f}"
    );
    let _ = writeln!(
        out,
        "reliability of the refit on the held-out folds (probability band → observed right):"
    );
    write_table(&mut out, &table);
    // The two gates' trade-offs side by side: which gives more right answers for as many
    // false replies.
    let _ = writeln!(
        out,
        "at other thresholds (refit on the held-out folds | shipped): right, wrong, false replies"
    );
    for at in [0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95] {
        let refit = tally(held.iter().map(|(p, s)| (*p, s)), at);
        let now = tally(samples.iter().map(|s| (shipped.probability(&s.x), s)), at);
        let _ = writeln!(out, "  {at:.2}: {refit:?} | {now:?}");
    }
    out
}

fn write_table(out: &mut String, table: &[(usize, usize); 4]) {
    for (b, (n, right)) in table.iter().enumerate() {
        let (lo, hi) = band_bounds(b);
        let observed = if *n == 0 {
            "-".to_string()
        } else {
            format!("{:.0}%", 100.0 * *right as f32 / *n as f32)
        };
        let _ = writeln!(
            out,
            "  {:>3.0}–{:<3.0}%: {n:>4} replies, {right:>4} right ({observed})",
            lo * 100.0,
            (hi * 100.0).min(100.0)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(strong: f32, right: bool) -> Sample {
        let mut x = [0.0; FEATURES];
        x[1] = strong;
        Sample {
            x,
            vetoed: false,
            right,
            covered: true,
            group: 0,
        }
    }

    #[test]
    fn the_fit_learns_which_feature_predicts_a_right_answer() {
        let samples: Vec<Sample> = (0..40)
            .map(|i| sample((i % 2) as f32, i % 2 == 1 || i % 10 == 0))
            .collect();
        let m = fit(&samples, 0.01);
        assert!(m.weights[1] > 1.0, "{m:?}");
        let mut strong = [0.0; FEATURES];
        strong[1] = 1.0;
        assert!(m.probability(&strong) > 0.9 && m.probability(&[0.0; FEATURES]) < 0.3);
    }

    #[test]
    fn the_reliability_table_counts_replies_by_shown_confidence() {
        let m = Model {
            weights: [0.0; FEATURES],
            bias: 2.5, // p ≈ 0.92 for every sample
        };
        let samples = [sample(1.0, true), sample(1.0, false), sample(0.0, true)];
        let table = reliability(&m, &samples);
        assert_eq!(table, [(0, 0), (3, 2), (0, 0), (0, 0)]);
    }

    #[test]
    fn a_tally_counts_replies_at_its_threshold_and_never_a_vetoed_one() {
        let mut vetoed = sample(1.0, true);
        vetoed.vetoed = true;
        let mut uncovered = sample(1.0, false);
        uncovered.covered = false;
        let scored = [
            (0.9, sample(1.0, true)),
            (0.9, sample(1.0, false)),
            (0.9, uncovered),
            (0.95, vetoed),
            (0.7, sample(1.0, true)),
        ];
        let at = |t| tally(scored.iter().map(|(p, s)| (*p, s)), t);
        assert_eq!(at(0.8), (1, 1, 1));
        assert_eq!(at(0.6), (2, 1, 1));
        assert_eq!(at(0.99), (0, 0, 0));
    }

    #[test]
    fn shown_values_never_fall_as_the_band_rises() {
        // 93% in the first band, then 100%, 96%, 91%: the last three pool to one value.
        let shown = pooled(&[(27, 25), (18, 18), (280, 268), (11, 10)]);
        assert!((shown[0] - 25.0 / 27.0).abs() < 1e-4, "{shown:?}");
        let pooled_rate = (18 + 268 + 10) as f32 / (18 + 280 + 11) as f32;
        for v in &shown[1..] {
            assert!((v - pooled_rate).abs() < 1e-4, "{shown:?}");
        }
        // An empty band takes the value below it.
        assert_eq!(
            pooled(&[(10, 9), (0, 0), (10, 10), (0, 0)]),
            [0.9, 0.9, 1.0, 1.0]
        );
    }
}
