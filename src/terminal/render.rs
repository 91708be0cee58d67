//! Answers as plain text, for the terminal (`ask`, the console).

use std::fmt::Write;

use crate::engine::{Answer, Engine, Match};
use crate::kb::Entry;

/// A whole entry as a person reads it: title, cause, numbered steps, notes and links.
pub fn entry(e: &Entry) -> String {
    let mut out = String::new();
    let products: Vec<&str> = e.products.iter().map(|p| p.name()).collect();
    let _ = writeln!(out, "{}  [{}]", e.title, e.id);
    if let Some(note) = e.reference_note() {
        let _ = writeln!(out, "({note})");
    }
    let _ = writeln!(out, "Products: {}", products.join(", "));
    let _ = writeln!(out, "\nCause: {}", e.cause);
    let _ = writeln!(out, "\nSteps:");
    for (i, step) in e.steps.iter().enumerate() {
        let _ = writeln!(out, "  {}. {step}", i + 1);
    }
    for note in &e.notes {
        let _ = writeln!(out, "\nNote: {note}");
    }
    if !e.links.is_empty() {
        let _ = writeln!(out, "\nLinks:");
        for link in &e.links {
            let _ = writeln!(out, "  - {}: {}", link.title, link.url);
        }
    }
    out
}

fn headline(m: &Match) -> String {
    format!(
        "confidence {:.0}% — matched on: {}",
        m.score * 100.0,
        m.reasons.join("; ")
    )
}

fn runners_up(engine: &Engine, answer: &Answer, shown: &[usize]) -> String {
    let others: Vec<String> = answer
        .matches
        .iter()
        .enumerate()
        .filter(|(i, _)| !shown.contains(i))
        .take(3)
        .map(|(_, m)| format!("{} ({:.0}%)", engine.entry(m.entry).id, m.score * 100.0))
        .collect();
    if others.is_empty() {
        String::new()
    } else {
        format!("Also possible: {}\n", others.join(", "))
    }
}

/// What the bot would post unprompted for a paste, or `None` when it stays silent.
pub fn auto_reply(engine: &Engine, answer: &Answer) -> Option<String> {
    if answer.auto_reply.is_empty() {
        return None;
    }
    let mut out = String::new();
    for &i in &answer.auto_reply {
        let m = &answer.matches[i];
        out.push_str(&entry(engine.entry(m.entry)));
        let _ = writeln!(out, "\n{}\n", headline(m));
    }
    if answer.truncated {
        out.push_str("(Only the start of a very long message was read.)\n");
    }
    Some(out)
}

/// A lookup's ranked list: the best entry in full, then the runners-up.
pub fn lookup(engine: &Engine, answer: &Answer) -> String {
    let Some(best) = answer.matches.first() else {
        return nothing_matched(answer);
    };
    let mut out = entry(engine.entry(best.entry));
    let _ = writeln!(out, "\n{}", headline(best));
    out.push_str(&runners_up(engine, answer, &[0]));
    out
}

/// The answer to `ask`: the auto-reply when there is one, else the ranked list with a plain
/// word that it was not confident enough to answer unprompted.
pub fn ask(engine: &Engine, answer: &Answer) -> String {
    if let Some(reply) = auto_reply(engine, answer) {
        return format!("{reply}{}", runners_up(engine, answer, &answer.auto_reply));
    }
    if answer.matches.is_empty() {
        return nothing_matched(answer);
    }
    let mut out = String::from("Not sure enough to answer this on its own. Closest entries:\n");
    for m in &answer.matches {
        let e = engine.entry(m.entry);
        let _ = writeln!(
            out,
            "  - {} [{}] ({:.0}%): {}",
            e.title,
            e.id,
            m.score * 100.0,
            m.reasons.join("; ")
        );
    }
    out.push_str(&next_steps(answer));
    out
}

fn nothing_matched(answer: &Answer) -> String {
    format!(
        "No knowledge-base entry matches this.\n{}",
        next_steps(answer)
    )
}

fn next_steps(answer: &Answer) -> String {
    let mut out = String::new();
    if !answer.extracted.foreign.is_empty() {
        let _ = writeln!(
            out,
            "Read but not covered by the knowledge base: {}.",
            answer.extracted.foreign.join(", ")
        );
    }
    out.push_str("Try a lookup with the error code or the key words of the message, or escalate to the support team.\n");
    out
}
