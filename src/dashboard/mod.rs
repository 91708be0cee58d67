//! A server's dashboard for its support lead: what errmedic answered there, what it could not,
//! and what to write next — one page per server, reached by a signed link that expires
//! (`token`), drawn on the server as plain HTML and SVG (`page`, `chart`), each table also as
//! CSV and JSON (`tables`), served on the bot's HTTP listener (`routes`). The page's data is the
//! record's [`crate::store::server::ServerView`] and, on the home server, the knowledge base's drafts
//! and entries due for review (`home`).

pub mod chart;
pub mod home;
pub mod html;
pub mod page;
pub mod routes;
pub mod tables;
pub mod token;

pub use routes::{router, Keying, Reading, Source, View};
