//! Text and date helpers every layer may use: the tokeniser (`words`), redaction of secrets
//! and personal data (`redact`), and dates (`dates`). They import nothing else of the crate.

pub mod dates;
pub mod redact;
pub mod words;
