//! The auto-reply decision: given ranked candidates and what the text is, should the bot speak
//! unprompted, and with which entries? A pure function, so that the rule is tested on its own.
//!
//! The decision is a calibrated probability that the best entry is the right answer: a logistic
//! model over a few features everyone can read (evidence points, whether it rests on a code or a
//! near-complete message, the lead over a rival, codes no entry knows, a Microsoft context, whether
//! the text carries an error or asks about one). Its weights are fitted on the development cases by
//! `errmedic calibrate`, which also prints how the fit does on cases it did not see. The bot
//! replies when the probability reaches [`REPLY_AT`]; a reply shows its band's observed rate on
//! unseen text ([`SHOWN`]), not the probability. Rules stand before the model, each for a reason
//! the data is too thin to teach it: a text that only *mentions* an error (source code, a changelog
//! line, a reminder) gets no reply; wording alone (no code, no near-complete message, no rule)
//! needs a Microsoft context; a text carrying a specific code no entry knows needs strong evidence
//! (a rule or a partial message does not outweigh the code that names the error); a rival for the
//! same error within [`MARGIN`] points means the engine cannot tell which it is; a sibling code
//! (`IDX10225` beside an entry owning `IDX10223`) names another error; rules whose terms all miss
//! the message a paste spells out matched the words around the error, not the error; a question
//! that names no error and describes no failure is not answered.

use super::form::Form;

/// At most this many entries are posted in one auto-reply (one per distinct error).
pub const MAX_REPLIES: usize = 3;

/// The probability at which the bot replies unprompted.
pub const REPLY_AT: f32 = 0.8;

/// How far the best entry must lead a rival for the same error (same code or message, or both
/// resting on wording), in points: closer than this, the engine cannot tell them apart.
pub const MARGIN: f32 = 1.0;

/// Number of features.
pub const FEATURES: usize = 9;

/// Names of the features, in order, for explanations and `errmedic calibrate`.
pub const FEATURE_NAMES: [&str; FEATURES] = [
    "points",
    "strong",
    "rule",
    "lead",
    "foreign code",
    "foreign status",
    "microsoft",
    "carries",
    "asks",
];

/// Weights of the features and the bias, as fitted by `errmedic calibrate` on dev + dev2 (L2
/// 0.01). Refit them when the knowledge base or the evidence rules change.
pub const WEIGHTS: [f32; FEATURES] = [1.32, 1.94, 0.61, 0.30, -0.47, -0.17, 0.11, -0.25, 0.25];
pub const BIAS: f32 = -0.22;

/// What the decision needs to know of one ranked entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub points: f32,
    /// Backed by a code or a near-complete message.
    pub strong: bool,
    /// Backed by a code the entry owns (not only by a message).
    pub coded: bool,
    /// The text names its error with a code of a family the entry's codes belong to (`IDX`,
    /// `AADSTS`), which the entry does not own: the error is another one of that family.
    pub named_otherwise: bool,
    /// The paste spells out its error's message, and the entry's evidence (rules only) touches
    /// none of it: it matched the words around the error, not the error.
    pub off_message: bool,
    /// Backed by a rule, whose terms carry their own context (`403` *and* `Partner Center`).
    pub ruled: bool,
    /// Keys of the strong evidence (codes, messages); two entries backed by the same key are
    /// rivals for one error, with different keys they answer different errors.
    pub keys: Vec<String>,
}

/// What the decision knows of the text as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TextFacts {
    /// The text carries a specific error code that no entry covers (an AADSTS number, a Graph
    /// code), not a generic wrapper such as `invalid_grant`. Unless the entry is backed by a code
    /// of its own, that code names the error better than any wording does.
    pub foreign_code: bool,
    /// The text carries an HTTP status that no entry answers (404, 429, 5xx).
    pub foreign_status: bool,
    /// The text names a Microsoft service or tool.
    pub microsoft: bool,
    /// Whether the text carries, asks about, or only mentions an error.
    pub form: Form,
    /// What the learned reader of genre makes of the text (`None`: no model, or too short).
    pub learned: Option<Learned>,
}

/// The learned reader's probability that a text only mentions errors, and the probability at
/// which the gate stays silent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Learned {
    pub mention: f32,
    pub silent_at: f32,
}

/// The outcome: positions of the candidates to post, best first (empty means silence), the
/// confidence of every candidate, and why, in words.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Decision {
    pub reply: Vec<usize>,
    /// Calibrated probability that each ranked candidate is the right answer.
    pub confidence: Vec<f32>,
    /// The features of the best candidate (see [`FEATURE_NAMES`]).
    pub features: Vec<f32>,
    /// A rule kept the bot silent whatever the probability.
    pub vetoed: bool,
    pub why: String,
    /// Why it stays silent, as a short fixed name (for counting: `genre`, `below_threshold`…);
    /// empty when it replies.
    pub reason: &'static str,
}

/// Two candidates answer different errors: each rests on strong evidence of its own.
fn distinct(a: &Candidate, b: &Candidate) -> bool {
    a.strong && b.strong && a.keys.iter().all(|k| !b.keys.contains(k))
}

/// The features of candidate `c` against the best other candidate.
pub fn features(c: &Candidate, rival: Option<&Candidate>, facts: TextFacts) -> [f32; FEATURES] {
    let b = |v: bool| if v { 1.0 } else { 0.0 };
    let lead = match rival {
        Some(r) if !distinct(c, r) => ((c.points - r.points) / 4.0).clamp(-1.0, 1.0),
        _ => 1.0,
    };
    [
        c.points.min(10.0) / 4.0,
        b(c.strong),
        b(c.ruled),
        lead,
        b(facts.foreign_code && !c.coded),
        b(facts.foreign_status),
        b(facts.microsoft),
        b(facts.form.carries),
        b(facts.form.asks && !facts.form.carries),
    ]
}

/// Lower bounds of the confidence bands of an unprompted reply (the gate's probability).
pub const BANDS: [f32; 4] = [REPLY_AT, 0.9, 0.95, 0.99];

/// The confidence shown for a reply in each of [`BANDS`]: how often replies in that band were
/// right on text nothing had been fitted on. Each round of collected cases was answered as it
/// arrived, by the engine of that day, before any work on the round (rounds 16 to 55 of
/// `tests/collected/README.md`: 1,930 replies), and the bands' observed rates were pooled so that a
/// higher band never shows less. The tuning split is not used: the rules were improved against
/// it, and there the replies read 3 to 10 points better than on unseen text.
pub const SHOWN: [f32; 4] = SHOWN_FITTED;
const SHOWN_FITTED: [f32; 4] = [0.746, 0.746, 0.919, 0.919];

/// What the gate's probability `p` is shown as: the observed rate of its band for a reply;
/// `p` itself below the reply threshold (lookups rank by it).
pub fn shown(p: f32) -> f32 {
    band(p).map_or(p, |b| SHOWN[b])
}

/// The band of [`BANDS`] a probability falls in (`None` below the reply threshold).
pub fn band(p: f32) -> Option<usize> {
    BANDS.iter().rposition(|&lo| p >= lo)
}

/// Band `b`'s bounds, `[from, to)`, the last one reaching 1.
pub fn band_bounds(b: usize) -> (f32, f32) {
    (BANDS[b], BANDS.get(b + 1).copied().unwrap_or(1.0))
}

/// The calibrated probability of a feature vector.
pub fn probability(x: &[f32; FEATURES]) -> f32 {
    let z: f32 = BIAS + x.iter().zip(WEIGHTS).map(|(x, w)| x * w).sum::<f32>();
    1.0 / (1.0 + (-z).exp())
}

/// The learned reader's probability from which a text whose writer says they hit the error is
/// silenced: their own word outweighs a reading of genre not far past even.
pub const REPORTED_SILENT_AT: f32 = 0.7;

impl Learned {
    /// The reading as the gate uses it for a text of this form.
    pub fn for_form(self, form: Form) -> Learned {
        Learned {
            silent_at: if form.reports {
                self.silent_at.max(REPORTED_SILENT_AT)
            } else {
                self.silent_at
            },
            ..self
        }
    }
}

/// Silences a decision when the learned reader of genre reads the text as writing about errors
/// (at or above its threshold); whether it did. Applied after the fact to a decision that
/// replies, it gives what [`decide`] would have given with the reader's verdict among its facts.
pub fn silence_learned(l: Learned, d: &mut Decision) -> bool {
    if l.mention < l.silent_at {
        return false;
    }
    let p = d.confidence.iter().copied().fold(0.0, f32::max);
    d.why = format!(
        "silent: the message reads as writing about errors, not from one (learned reader {:.2}, silent from {:.2}; p {p:.2} not used)",
        l.mention, l.silent_at
    );
    d.reason = "learned_genre";
    d.vetoed = true;
    d.reply.clear();
    true
}

/// Decides on an unprompted reply. `ranked` is sorted by points, best first. The vetoes come
/// first, in the order they are documented in ARCHITECTURE.md ("Scoring in one paragraph"),
/// then the probability; it stays one function so that the order reads top to bottom.
pub fn decide(ranked: &[Candidate], facts: TextFacts) -> Decision {
    if ranked.is_empty() {
        return Decision {
            why: "nothing matched".into(),
            reason: "nothing_matched",
            ..Decision::default()
        };
    }
    // The lead: the best entry, unless the runner-up rests on a code or a near-complete
    // message while the best rests on wording only, and is close to it, or the best's wording
    // misses the error's own message (a status and a product, beside the message of another
    // error: the message says which).
    let lead = match ranked.get(1) {
        Some(r)
            if r.strong
                && !ranked[0].strong
                && (ranked[0].points - r.points < MARGIN
                    || (ranked[0].off_message && !r.off_message)) =>
        {
            1
        }
        _ => 0,
    };
    let top = &ranked[lead];
    let rival_of = |i: usize| {
        if i == lead {
            ranked.get(if lead == 0 { 1 } else { 0 })
        } else {
            Some(top)
        }
    };
    let confidence: Vec<f32> = ranked
        .iter()
        .enumerate()
        .map(|(i, c)| probability(&features(c, rival_of(i), facts)))
        .collect();
    let x = features(top, rival_of(lead), facts);
    let p = confidence[lead];
    let mut d = Decision {
        confidence,
        features: x.to_vec(),
        ..Decision::default()
    };
    if let Some(g) = facts.form.genre {
        d.why = format!(
            "silent: the message is {} (p {p:.2} not used)",
            g.describe()
        );
        d.reason = "genre";
        d.vetoed = true;
        return d;
    }
    if facts.form.only_mentions() {
        d.why = format!("silent: the text only mentions an error (p {p:.2} not used)");
        d.reason = "only_mentions";
        d.vetoed = true;
        return d;
    }
    if let Some(l) = facts.learned {
        if silence_learned(l, &mut d) {
            return d;
        }
    }
    if !(top.strong || top.ruled || facts.microsoft) {
        d.why = "silent: wording alone, with nothing naming a Microsoft service".into();
        d.reason = "no_microsoft_context";
        d.vetoed = true;
        return d;
    }
    if facts.foreign_code && !top.strong {
        d.why = "silent: the text carries a code no entry knows, and the evidence is only wording"
            .into();
        d.reason = "foreign_code";
        d.vetoed = true;
        return d;
    }
    // A rival for the same error: the same code or message, or wording against wording.
    let same_error = |r: &Candidate| !distinct(top, r) && top.strong == r.strong;
    let rival = ranked
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != lead)
        .map(|(_, r)| r)
        .find(|r| same_error(r));
    if let Some(rival) = rival {
        if (top.points - rival.points).abs() < MARGIN {
            d.why = format!(
                "silent: a rival for the same error is within {MARGIN} point ({:.2} vs {:.2})",
                top.points, rival.points
            );
            d.reason = "rival";
            d.vetoed = true;
            return d;
        }
    }
    if top.off_message && !top.strong {
        d.why = "silent: the error's own message says nothing this entry's rules look for".into();
        d.reason = "off_message";
        d.vetoed = true;
        return d;
    }
    if top.named_otherwise && !top.coded {
        d.why = "silent: the text names its error with a code this entry does not own".into();
        d.reason = "named_otherwise";
        d.vetoed = true;
        return d;
    }
    let form = facts.form;
    if form.asks && !form.carries && !(top.strong || (top.ruled && form.symptom)) {
        d.why = "silent: a question that names no error and describes no failure".into();
        d.reason = "question_without_error";
        d.vetoed = true;
        return d;
    }
    if p < REPLY_AT {
        d.why = format!("silent: p {p:.2} < {REPLY_AT}");
        d.reason = "below_threshold";
        return d;
    }
    d.reply.push(lead);
    for (i, c) in ranked.iter().enumerate() {
        if d.reply.len() == MAX_REPLIES {
            break;
        }
        if i == lead {
            continue;
        }
        // An entry whose error the text names with another entry's code is not that error.
        if c.named_otherwise && !c.coded {
            continue;
        }
        if d.confidence[i] >= REPLY_AT && d.reply.iter().all(|&r| distinct(&ranked[r], c)) {
            d.reply.push(i);
        }
    }
    d.why = format!("reply: p {p:.2} ≥ {REPLY_AT}");
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_writer_s_own_report_needs_a_surer_reading_of_genre_to_silence() {
        let l = Learned {
            mention: 0.6,
            silent_at: 0.5,
        };
        let reported = Form {
            carries: true,
            reports: true,
            ..Form::default()
        };
        let pasted = Form {
            carries: true,
            ..Form::default()
        };
        let mut d = Decision {
            reply: vec![0],
            ..Decision::default()
        };
        assert!(!silence_learned(l.for_form(reported), &mut d));
        assert_eq!(d.reply, [0]);
        assert!(silence_learned(l.for_form(pasted), &mut d));
        assert!(d.reply.is_empty());
        // Never lower than the model's own mark.
        let strict = Learned {
            silent_at: 0.8,
            ..l
        };
        assert_eq!(strict.for_form(reported).silent_at, 0.8);
    }

    fn cand(points: f32, strong: bool, keys: &[&str]) -> Candidate {
        Candidate {
            points,
            strong,
            coded: strong,
            named_otherwise: false,
            off_message: false,
            ruled: false,
            keys: keys.iter().map(|k| k.to_string()).collect(),
        }
    }

    fn carrying() -> TextFacts {
        TextFacts {
            microsoft: true,
            form: Form {
                carries: true,
                ..Form::default()
            },
            ..TextFacts::default()
        }
    }

    #[test]
    fn the_learned_reader_silences_writing_about_errors_from_its_threshold() {
        let ranked = [cand(8.0, true, &["AADSTS50076"])];
        let read = |mention: f32| TextFacts {
            learned: Some(Learned {
                mention,
                silent_at: 0.5,
            }),
            ..carrying()
        };
        let d = decide(&ranked, read(0.5));
        assert!(d.reply.is_empty() && d.vetoed, "{d:?}");
        assert_eq!(d.reason, "learned_genre");
        assert!(d.why.contains("learned reader 0.50"), "{}", d.why);
        assert_eq!(decide(&ranked, read(0.49)).reply, [0]);
        assert_eq!(decide(&ranked, carrying()).reply, [0]);
    }

    fn check(ranked: &[Candidate], facts: TextFacts, expected: &[usize]) {
        let d = decide(ranked, facts);
        assert_eq!(d.reply, expected, "{ranked:?} {facts:?}: {}", d.why);
    }

    #[test]
    fn silent_without_candidates_or_evidence() {
        check(&[], carrying(), &[]);
        check(&[cand(1.0, false, &[])], carrying(), &[]);
    }

    #[test]
    fn a_code_in_a_pasted_error_is_answered() {
        check(&[cand(4.0, true, &["a"])], carrying(), &[0]);
    }

    #[test]
    fn a_close_rival_for_the_same_error_keeps_it_silent() {
        check(
            &[cand(4.0, true, &["a"]), cand(3.8, true, &["a"])],
            carrying(),
            &[],
        );
        check(
            &[cand(3.4, false, &[]), cand(3.2, false, &[])],
            carrying(),
            &[],
        );
    }

    #[test]
    fn a_rival_for_the_same_error_further_down_still_counts() {
        let ranked = [
            cand(5.0, true, &["a"]),
            cand(4.5, true, &["c"]),
            cand(4.2, true, &["a"]),
        ];
        check(&ranked, carrying(), &[]);
    }

    #[test]
    fn a_code_or_message_beats_close_wording() {
        let ruled = Candidate {
            ruled: true,
            ..cand(4.2, false, &[])
        };
        check(&[ruled.clone(), cand(4.0, true, &["a"])], carrying(), &[1]);
        check(&[cand(4.0, true, &["a"]), ruled], carrying(), &[0]);
    }

    #[test]
    fn a_message_beats_wording_that_misses_the_error_s_own_message() {
        let off = Candidate {
            ruled: true,
            off_message: true,
            ..cand(4.4, false, &[])
        };
        check(&[off.clone(), cand(3.0, true, &["m"])], carrying(), &[1]);
        // Wording on the message itself keeps its lead when the message is not close.
        let on = Candidate {
            off_message: false,
            ..off.clone()
        };
        check(&[on, cand(3.0, true, &["m"])], carrying(), &[0]);
        // A runner-up that misses the message too does not take the lead.
        let both = Candidate {
            off_message: true,
            ..cand(3.0, true, &["m"])
        };
        check(&[off, both], carrying(), &[]);
    }

    #[test]
    fn a_foreign_code_needs_strong_evidence() {
        let facts = TextFacts {
            foreign_code: true,
            ..carrying()
        };
        check(&[cand(3.4, false, &[])], facts, &[]);
        let ruled = Candidate {
            ruled: true,
            ..cand(8.0, false, &[])
        };
        check(&[ruled], facts, &[]);
        check(&[cand(4.0, true, &["a"])], facts, &[0]);
    }

    #[test]
    fn a_sibling_code_names_another_error() {
        let worded = Candidate {
            coded: false,
            named_otherwise: true,
            ..cand(4.0, true, &["message:x"])
        };
        check(std::slice::from_ref(&worded), carrying(), &[]);
        // Beside the entry that owns the code, it is not posted as a second error either.
        let owner = cand(4.0, true, &["aadsts70043"]);
        check(&[owner.clone(), worded.clone()], carrying(), &[0]);
        let other = Candidate {
            named_otherwise: false,
            ..worded
        };
        check(&[owner, other], carrying(), &[0, 1]);
    }

    #[test]
    fn rules_that_miss_the_error_s_own_message_are_not_enough() {
        let ruled = Candidate {
            ruled: true,
            off_message: true,
            ..cand(8.0, false, &[])
        };
        check(std::slice::from_ref(&ruled), carrying(), &[]);
        let strong = Candidate {
            strong: true,
            coded: true,
            keys: vec!["a".into()],
            ..ruled
        };
        check(&[strong], carrying(), &[0]);
    }

    #[test]
    fn wording_alone_needs_a_microsoft_marker() {
        let facts = TextFacts {
            microsoft: false,
            ..carrying()
        };
        check(&[cand(6.0, false, &[])], facts, &[]);
        let ruled = Candidate {
            ruled: true,
            ..cand(6.0, false, &[])
        };
        check(&[ruled], facts, &[0]);
    }

    #[test]
    fn a_mention_is_not_answered_however_strong() {
        let facts = TextFacts {
            form: Form {
                mentions: true,
                ..Form::default()
            },
            ..carrying()
        };
        check(&[cand(8.0, true, &["a"])], facts, &[]);
        // A question about the same code is a request, and may be answered.
        let asks = TextFacts {
            form: Form {
                mentions: true,
                asks: true,
                ..Form::default()
            },
            ..carrying()
        };
        check(&[cand(4.0, true, &["a"])], asks, &[0]);
    }

    #[test]
    fn several_errors_in_one_paste() {
        let ranked = [
            cand(4.0, true, &["a"]),
            cand(4.0, true, &["b"]),
            cand(4.0, true, &["c"]),
            cand(4.0, true, &["d"]),
        ];
        check(&ranked, carrying(), &[0, 1, 2]);
        check(
            &[cand(6.0, true, &["a"]), cand(2.0, false, &[])],
            carrying(),
            &[0],
        );
    }

    #[test]
    fn confidence_grows_with_evidence_and_falls_with_foreign_codes() {
        let f = carrying();
        let p = |c: &Candidate, f: TextFacts| probability(&features(c, None, f));
        assert!(p(&cand(6.0, true, &["a"]), f) > p(&cand(3.0, true, &["a"]), f));
        let foreign = TextFacts {
            foreign_code: true,
            ..f
        };
        assert!(p(&cand(3.0, false, &[]), foreign) < p(&cand(3.0, false, &[]), f));
    }
}
