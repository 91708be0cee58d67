//! The auto-reply decision: given ranked candidates, should the bot speak unprompted, and with
//! which entries? A pure function, so that the rule is tested on its own.

use super::MAX_REPLIES;

/// Points an entry needs before the bot replies unprompted (a confidence of about 0.8).
pub const REPLY_POINTS: f32 = 3.2;
/// How far the best entry must lead the runner-up, in points.
pub const MARGIN: f32 = 1.0;

/// What the decision needs to know of one ranked entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub points: f32,
    /// Backed by a code or a near-complete message.
    pub strong: bool,
    /// Backed by a rule, whose terms carry their own context (`403` *and* `Partner Center`).
    pub ruled: bool,
    /// Keys of the strong evidence (codes, messages); two entries backed by the same key are
    /// rivals for one error, with different keys they answer different errors.
    pub keys: Vec<String>,
}

/// The outcome: positions of the candidates to post, best first; empty means silence.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decision {
    pub reply: Vec<usize>,
}

/// What the decision knows of the text as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextFacts {
    /// The text carries an error code or status that no entry covers.
    pub foreign: bool,
    /// The text names a Microsoft service or tool.
    pub microsoft: bool,
}

/// Decides on an unprompted reply. `ranked` is sorted by points, best first.
///
/// The best entry is posted when it has enough points, leads the runner-up by [`MARGIN`], rests
/// on strong evidence when a foreign code is present, and on strong evidence or a rule when
/// nothing marks the text as coming from a Microsoft service. Other entries with strong evidence
/// of their own (a different code or message) and enough points join it, up to
/// [`MAX_REPLIES`]: a paste may carry several errors.
pub fn decide(ranked: &[Candidate], context: TextFacts) -> Decision {
    let Some(top) = ranked.first() else {
        return Decision::default();
    };
    let grounded = top.strong || top.ruled || context.microsoft;
    if top.points < REPLY_POINTS || (context.foreign && !top.strong) || !grounded {
        return Decision::default();
    }
    let distinct = |a: &Candidate, b: &Candidate| {
        a.strong && b.strong && a.keys.iter().all(|k| !b.keys.contains(k))
    };
    if let Some(second) = ranked.get(1) {
        if top.points - second.points < MARGIN && !distinct(top, second) {
            return Decision::default();
        }
    }
    let mut reply = vec![0];
    for (i, c) in ranked.iter().enumerate().skip(1) {
        if reply.len() == MAX_REPLIES {
            break;
        }
        if c.points >= REPLY_POINTS && reply.iter().all(|&r| distinct(&ranked[r], c)) {
            reply.push(i);
        }
    }
    Decision { reply }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(points: f32, strong: bool, keys: &[&str]) -> Candidate {
        Candidate {
            points,
            strong,
            ruled: false,
            keys: keys.iter().map(|k| k.to_string()).collect(),
        }
    }

    fn check(ranked: &[Candidate], foreign: bool, expected: &[usize]) {
        let context = TextFacts {
            foreign,
            microsoft: true,
        };
        assert_eq!(
            decide(ranked, context).reply,
            expected,
            "{ranked:?} {context:?}"
        );
    }

    #[test]
    fn silent_without_candidates_or_points() {
        check(&[], false, &[]);
        check(&[cand(3.0, true, &["a"])], false, &[]);
    }

    #[test]
    fn replies_when_confident_and_ahead() {
        check(&[cand(4.0, true, &["a"])], false, &[0]);
        check(&[cand(4.5, false, &[]), cand(3.4, false, &[])], false, &[0]);
    }

    #[test]
    fn silent_when_the_runner_up_is_close() {
        check(&[cand(4.0, false, &[]), cand(3.5, false, &[])], false, &[]);
        check(
            &[cand(4.0, true, &["a"]), cand(3.5, true, &["a"])],
            false,
            &[],
        );
    }

    #[test]
    fn a_foreign_code_needs_strong_evidence() {
        check(&[cand(3.5, false, &[])], true, &[]);
        check(&[cand(4.0, true, &["a"])], true, &[0]);
    }

    #[test]
    fn wording_alone_needs_a_microsoft_marker() {
        let weak = [cand(4.0, false, &[])];
        assert_eq!(
            decide(
                &weak,
                TextFacts {
                    foreign: false,
                    microsoft: false
                }
            )
            .reply,
            Vec::<usize>::new()
        );
        let ruled = [Candidate {
            ruled: true,
            ..cand(4.0, false, &[])
        }];
        assert_eq!(
            decide(
                &ruled,
                TextFacts {
                    foreign: false,
                    microsoft: false
                }
            )
            .reply,
            [0]
        );
        let strong = [cand(4.0, true, &["a"])];
        assert_eq!(
            decide(
                &strong,
                TextFacts {
                    foreign: false,
                    microsoft: false
                }
            )
            .reply,
            [0]
        );
    }

    #[test]
    fn several_errors_in_one_paste() {
        let ranked = [
            cand(4.0, true, &["a"]),
            cand(4.0, true, &["b"]),
            cand(3.3, true, &["c"]),
            cand(3.3, true, &["d"]),
        ];
        check(&ranked, false, &[0, 1, 2]);
        // A weak runner-up never joins.
        check(
            &[cand(6.0, true, &["a"]), cand(3.3, false, &[])],
            false,
            &[0],
        );
    }
}
