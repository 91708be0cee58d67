//! The matching engine: pure and synchronous. It takes text and a loaded knowledge base and
//! returns ranked entries with the reasons they matched, and whether an unprompted reply is
//! warranted. It does no I/O and cannot fail on input.

mod answer;
mod build;
mod decide;
mod examples;
pub mod form;
mod index;
pub mod mention;
pub mod normalize;
mod paste;
pub mod phrase;
mod query;
mod quote;
pub mod signals;
mod spell;

pub use decide::{
    band, band_bounds, decide, features, probability, shown, Candidate, Decision, Learned,
    TextFacts, BANDS, BIAS, FEATURES, FEATURE_NAMES, MAX_REPLIES, REPLY_AT, SHOWN, WEIGHTS,
};

pub use answer::{confidence, Answer, Extracted, Gate, Match, Mode, MAX_RANKED};

use crate::kb::{Entry, KnowledgeBase};
use index::Index;

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

    /// The features the learned reader of genre reads in a paste (for fitting it), named.
    pub fn mention_features(text: &str) -> Vec<String> {
        paste::mention_features(text)
    }

    /// How likely the learned reader of genre finds that `text` only mentions errors, as it
    /// reads a paste some tier would answer (`None` without a model, or for a text too short).
    pub fn mention_probability(&self, text: &str) -> Option<f32> {
        paste::mention_probability(&self.index, text)
    }

    /// The id of the first entry to post unprompted, if any.
    pub fn auto_reply_id(&self, answer: &Answer) -> Option<&str> {
        answer
            .auto_reply
            .first()
            .map(|&i| self.entry(answer.matches[i].entry).id.as_str())
    }
}
