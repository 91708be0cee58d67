//! errmedic recognises Microsoft cloud errors pasted into a support chat and answers them from a
//! curated knowledge base: the cause, ordered resolution steps and documentation links.
//!
//! The layers, from the bottom (each may import only those below it; see ARCHITECTURE.md):
//! - [`text`]: words, redaction and dates; [`config`]: typed configuration, loaded once.
//! - [`kb`]: knowledge-base entry types, loading with strict validation, the reference tier.
//! - [`engine`]: the pure matching engine: ranking entries with reasons, and the auto-reply gate.
//! - [`settings`]: per-server settings over the environment's defaults (pure).
//! - [`store`]: the record (SQLite or PostgreSQL): votes, escalations, settings, unanswered errors.
//! - [`authoring`]: drafts from Markdown pages, escalations and unanswered errors; the reference
//!   importer; the link checker.
//! - [`devtools`]: evaluation, calibration, benchmarks, synthetic knowledge bases.
//! - [`ops`]: what a process shows its operator: health, readiness, metrics over HTTP.
//! - [`dashboard`]: a server's page for its support lead, behind a signed link.
//! - [`discord`]: the Discord bot (the only module that knows about Discord).
//! - [`terminal`]: the command line, the console and plain-text answers.

pub mod authoring;
pub mod config;
pub mod dashboard;
pub mod devtools;
pub mod discord;
pub mod engine;
pub mod kb;
pub mod ops;
pub mod settings;
pub mod store;
pub mod terminal;
pub mod text;
