//! Writing the knowledge base: a team's Markdown pages into drafts (`import`), drafts from
//! escalations and errors nothing answered (`drafting`), draft files and their ids (`drafts`),
//! the reference tier from Microsoft's table (`reference_import`), and the link checker (`links`).
//! Above the knowledge base and the record; below the front ends.

pub mod drafting;
pub mod drafts;
pub mod examples;
pub mod import;
pub mod links;
pub mod reference_import;
