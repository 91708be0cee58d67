//! errmedic recognises Microsoft cloud errors pasted into a support chat and answers them from a
//! curated knowledge base: the cause, ordered resolution steps and documentation links.
//!
//! Modules:
//! - [`words`]: the tokeniser (a leaf: words, stop words, code keys), shared by the engine and the
//!   knowledge-base checks.
//! - [`kb`]: knowledge-base entry types; loading `kb/*.json` with strict validation.
//! - [`engine`]: the pure matching engine: normalising text, extracting codes, ranking entries
//!   with reasons, and deciding whether an unprompted reply is warranted.
//! - [`reference_import`]: building the reference pack from Microsoft's table of Entra codes and
//!   our words.
//! - [`redact`]: secrets and personal data removed before anything is stored or logged.
//! - [`render`]: an [`engine::Answer`] as plain text for the terminal.
//! - [`eval`]: running evaluation case files and computing the figures.
//! - [`import`]: a team's Markdown troubleshooting pages into draft entries.
//! - [`links`]: checking every link of the knowledge base (`kb links`).
//! - [`drafting`]: draft entries from closed escalations and from errors nothing answered.
//! - [`console`]: the terminal chat that behaves like the bot in a channel.
//! - [`config`]: typed configuration from the environment, loaded once.
//! - [`discord`]: the Discord bot (the only module that knows about Discord).
//! - [`cli`]: command-line commands.
//! - [`calibrate`]: fitting the auto-reply gate's weights on evaluation cases.
//! - [`bench`]: in-process benchmarks against a same-run baseline.
//! - [`synth`]: synthetic knowledge bases for benchmarks.
//! - [`store`]: the SQLite record of votes, escalations and unanswered pastes.

pub mod bench;
pub mod calibrate;
pub mod cli;
pub mod config;
pub mod console;
pub mod discord;
pub mod drafting;
pub mod engine;
pub mod eval;
pub mod import;
pub mod kb;
pub mod links;
pub mod redact;
pub mod reference_import;
pub mod render;
pub mod settings;
pub mod store;
pub mod synth;
pub mod words;
