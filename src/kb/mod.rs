//! The knowledge base: entry types, and loading them from `kb/*.json` with strict validation.
//!
//! The knowledge base is data. One JSON file holds one entry; the schema is documented in
//! `kb/README.md`. Loading never stops at the first problem: [`load_dir`] returns every problem it
//! found, each naming the file, entry, field and line.

mod entry;
mod files;
mod load;
pub mod mentions;
pub mod reference;
pub(crate) mod validate;

pub use entry::{
    Entry, Example, KnowledgeBase, Link, Localized, MatchSpec, Pattern, Product, Review, Rule,
    Tier, LANGUAGES,
};
pub use files::json_files;
pub use load::{load_dir, load_mentions, load_str, parse_mentions, LoadError};
pub use mentions::MentionModel;
pub use validate::{pattern_syntax, Budget, PATTERN_SIZE_LIMIT};
pub use validate::{validate_entry, Problem};
