//! The matching engine: pure and synchronous. It takes text and a loaded knowledge base and
//! returns ranked entries with the reasons they matched, and whether an unprompted reply is
//! warranted. It does no I/O and cannot fail on input.

mod decide;
pub mod form;
mod index;
pub mod normalize;
mod paste;
pub mod phrase;
mod query;
pub mod signals;
mod spell;

pub use decide::{
    decide, features, probability, Candidate, Decision, TextFacts, FEATURES, FEATURE_NAMES,
    REPLY_AT,
};

use crate::kb::{Entry, KnowledgeBase};
use index::Index;

/// At most this many entries are ranked in an answer.
pub const MAX_RANKED: usize = 5;
/// At most this many entries are posted in one auto-reply (one per distinct error).
pub const MAX_REPLIES: usize = 3;

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
    /// A rule kept the bot silent whatever the probability.
    pub vetoed: bool,
    pub facts: TextFacts,
    /// The best candidate's features (see [`FEATURE_NAMES`]).
    pub features: Vec<f32>,
}

/// A knowledge base indexed for matching. Build it once; matching borrows it immutably, so
/// one engine serves any number of threads.
#[derive(Debug)]
pub struct Engine {
    index: Index,
}

impl Engine {
    /// Indexes a loaded, validated knowledge base.
    pub fn new(kb: KnowledgeBase) -> Engine {
        Engine {
            index: Index::build(kb),
        }
    }

    /// The knowledge base this engine matches against.
    pub fn kb(&self) -> &KnowledgeBase {
        &self.index.kb
    }

    /// The entry at `index`.
    pub fn entry(&self, index: usize) -> &Entry {
        &self.index.kb.entries[index]
    }

    /// Matches a text in the given mode.
    pub fn answer(&self, text: &str, mode: Mode) -> Answer {
        match mode {
            Mode::Paste => paste::answer(&self.index, text),
            Mode::Query => query::answer(&self.index, text),
        }
    }

    /// Matches a message posted in a channel (see [`Mode::Paste`]).
    pub fn paste(&self, text: &str) -> Answer {
        self.answer(text, Mode::Paste)
    }

    /// Looks a query up (see [`Mode::Query`]).
    pub fn query(&self, text: &str) -> Answer {
        self.answer(text, Mode::Query)
    }

    /// The id of the first entry to post unprompted, if any.
    pub fn auto_reply_id(&self, answer: &Answer) -> Option<&str> {
        answer
            .auto_reply
            .first()
            .map(|&i| self.entry(answer.matches[i].entry).id.as_str())
    }
}

/// Maps evidence points to a confidence in [0, 1].
pub fn confidence(points: f32) -> f32 {
    1.0 - (-points / 2.0).exp()
}
