//! Decisions, pure and table-tested: whose messages are read and what to do with one, what a
//! click does, who is staff (`policy`); escalation summaries and places (`escalation`); answers
//! as embeds and buttons (`present`); button ids (`ids`); Discord's limits (`limits`); server
//! settings in words, with mentions and permission names (`settings_text`).

pub mod conversation;
pub mod escalation;
pub mod ids;
pub mod limits;
pub mod policy;
pub mod present;
pub mod recent;
pub mod settings_text;
