//! `errmedic calibrate`: fits the weights of the auto-reply gate (a logistic model over the
//! features of `engine::decide`) on evaluation cases, and says how the fit does on cases it did
//! not see (k-fold cross-validation), so that the shown confidence means what it says.

use std::fmt::Write as _;

use crate::devtools::eval::{Case, CaseMode};
use crate::engine::{Engine, FEATURES, FEATURE_NAMES, REPLY_AT};

/// One case as the gate sees it: the best candidate's features, whether a rule vetoed it, and
/// whether that candidate is the right answer.
#[derive(Debug, Clone)]
pub struct Sample {
    pub x: [f32; FEATURES],
    pub vetoed: bool,
    pub right: bool,
    /// The case has an answer in the knowledge base.
    pub covered: bool,
}

/// The samples of paste cases that have at least one candidate.
pub fn samples(engine: &Engine, cases: &[Case]) -> Vec<Sample> {
    cases
        .iter()
        .filter(|c| c.mode == CaseMode::Paste && c.expect.as_deref() != Some("ambiguous"))
        .filter_map(|c| {
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
            })
        })
        .collect()
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
    let (mut right, mut wrong, mut false_replies) = (0, 0, 0);
    for s in samples
        .iter()
        .filter(|s| !s.vetoed && m.probability(&s.x) >= REPLY_AT)
    {
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
    let m = fit(samples, l2);
    let _ = writeln!(
        out,
        "samples: {} (right top: {})",
        samples.len(),
        samples.iter().filter(|s| s.right).count()
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
    for k in 0..folds {
        let train: Vec<Sample> = samples
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds != k)
            .map(|(_, s)| s.clone())
            .collect();
        let test: Vec<Sample> = samples
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds == k)
            .map(|(_, s)| s.clone())
            .collect();
        let (a, b, c) = replies(&fit(&train, l2), &test);
        r += a;
        w += b;
        f += c;
    }
    let _ = writeln!(
        out,
        "{folds}-fold cross-validation (each case judged by a model that did not see it): right {r}, wrong {w}, false replies {f}"
    );
    out
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
}
