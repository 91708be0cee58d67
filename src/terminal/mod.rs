//! The terminal front ends: the command line (`cli`), the console that behaves like the bot
//! (`console`), and answers as plain text (`render`).

pub mod bench_dashboard;
pub mod cli;
pub mod console;
pub mod kb_commands;
pub mod render;
