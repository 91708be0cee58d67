//! What the engine answers: ranked matches with reasons, what it read in the text, and how the
//! auto-reply was decided.

use super::decide::TextFacts;
#[cfg(doc)]
use super::decide::{FEATURE_NAMES, MAX_REPLIES};

/// At most this many entries are ranked in an answer.
pub const MAX_RANKED: usize = 5;

/// How a text reached the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Posted in a channel: the engine decides whether to reply at all.
    Paste,
    /// Typed into a lookup (`/fix`): the best entries are always listed.
    Query,
}

/// One ranked entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// Index of the entry in the knowledge base.
    pub entry: usize,
    /// Confidence in [0, 1].
    pub score: f32,
    /// Why it matched, for people: "code AADSTS50076", "message “…” (92%)".
    pub reasons: Vec<String>,
    /// Whether the match rests on a code or a near-complete message, not only on wording.
    pub strong: bool,
    /// Raw evidence points behind the score.
    pub points: f32,
}

/// What the engine read in a text: codes and statuses, and those no entry covers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    pub codes: Vec<String>,
    pub statuses: Vec<u16>,
    /// Codes and statuses that no entry covers; they make an unprompted reply need strong
    /// evidence.
    pub foreign: Vec<String>,
}

/// The engine's answer to one text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answer {
    /// Ranked entries, best first, at most [`MAX_RANKED`].
    pub matches: Vec<Match>,
    /// Positions in `matches` of the entries to post unprompted (paste mode only), at most
    /// [`MAX_REPLIES`]; empty means stay silent.
    pub auto_reply: Vec<usize>,
    pub extracted: Extracted,
    /// The input was longer than the engine reads and was cut.
    pub truncated: bool,
    /// How the auto-reply was decided (paste mode).
    pub gate: Gate,
}

/// How an auto-reply decision was reached, for explanations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gate {
    pub why: String,
    /// Why it stays silent, as a short fixed name; empty when it replies or nothing was read.
    pub reason: &'static str,
    /// A rule kept the bot silent whatever the probability.
    pub vetoed: bool,
    pub facts: TextFacts,
    /// The best candidate's features (see [`FEATURE_NAMES`]).
    pub features: Vec<f32>,
}

/// Maps evidence points to a confidence in [0, 1].
pub fn confidence(points: f32) -> f32 {
    1.0 - (-points / 2.0).exp()
}
