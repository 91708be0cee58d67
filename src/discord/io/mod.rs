//! I/O helpers the handlers share: every send (`send`), reading a message and its attachments
//! (`read`), keyed locks (`locks`), the answers remembered (`memory`),
//! and loading or following knowledge-base reloads (`reload`).

pub mod locks;
pub mod memory;
pub mod read;
pub mod reload;
pub mod send;
