//! Handlers: each reads an event, asks `decide`, and carries the decision out through `io`.
//! Routing (`events`), messages and edits (`messages`), button clicks (`clicks`), slash and
//! context-menu commands (`commands`, `settings_commands`), and escalation threads (`escalate`).

pub mod checks;
pub mod clicks;
pub mod commands;
pub mod dashboard_link;
pub mod escalate;
pub mod events;
pub mod messages;
pub mod settings_commands;
