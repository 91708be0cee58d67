//! Text and date helpers every layer may use: the tokeniser (`words`), redaction of secrets
//! and personal data (`redact`), and dates (`dates`). They import nothing else of the crate.

pub mod dates;
pub mod redact;
pub mod words;

/// Text beyond this many bytes is not read (a paste is cut there, at a character boundary).
pub const MAX_INPUT_BYTES: usize = 64 * 1024;
