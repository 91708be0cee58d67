//! Draft entries from what the record holds: a closed escalation (the original error, redacted;
//! its codes and products; how staff resolved it and the messages they marked), or an error that
//! keeps coming back unanswered (a skeleton: codes and message to match, an example, and the cause
//! and steps left for a person to write). Pure: the callers read the record and write the file.

use crate::authoring::drafts::Ids;
use crate::authoring::import::sentences;
use crate::kb::{Entry, MatchSpec, Product, Tier};
use crate::store::{DraftSource, Unanswered};

/// The line of a pasted error that carries it: the first line naming a code or saying what
/// failed, without markup.
fn error_line(original: &str, codes: &[String]) -> Option<String> {
    let clean = |l: &str| {
        l.trim()
            .trim_matches('`')
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let lines: Vec<String> = original
        .lines()
        .map(clean)
        .filter(|l| !l.is_empty() && !l.starts_with("**"))
        .collect();
    lines
        .iter()
        .find(|l| codes.iter().any(|c| l.contains(c.as_str())))
        .or_else(|| lines.iter().find(|l| crate::text::words::says_it_failed(l)))
        .or(lines.first())
        .cloned()
}

/// The message part of an error line: the text after its code (`AADSTS7000012: The grant …` →
/// `The grant …`), when that is a sentence of four words or more.
fn message_of(line: &str, codes: &[String]) -> Option<String> {
    let mut text = line;
    for c in codes {
        if let Some(i) = text.find(c.as_str()) {
            text = &text[i + c.len()..];
        }
    }
    let text = text
        .trim_start_matches(|c: char| c == ':' || c == '-' || c.is_whitespace())
        .trim();
    let cut: String = text.chars().take(200).collect();
    (cut.split_whitespace().count() >= 4).then_some(cut)
}

fn products(names: &[String]) -> Vec<Product> {
    let mut out: Vec<Product> = names.iter().filter_map(|n| Product::parse(n)).collect();
    if out.is_empty() {
        out.push(Product::Entra);
    }
    out
}

fn draft(id: String, title: String, matching: MatchSpec, origin: String) -> Entry {
    Entry {
        id,
        title,
        products: vec![Product::Entra],
        cause: String::new(),
        steps: Vec::new(),
        notes: Vec::new(),
        links: Vec::new(),
        tags: Vec::new(),
        matching,
        reviewed: None,
        origin: Some(origin),
        tier: Tier::Curated,
    }
}

/// A draft from a closed escalation. The staff's resolution (the `/resolve` outcome, then the
/// messages they marked) gives the cause (its first sentence) and the steps (the rest, or the
/// whole when it is one sentence).
pub fn from_escalation(s: &DraftSource, ids: &mut Ids) -> Entry {
    let line = error_line(&s.original, &s.codes).unwrap_or_else(|| "Escalated error".into());
    let title: String = line.chars().take(120).collect();
    let mut matching = MatchSpec {
        codes: s.codes.clone(),
        keywords: vec![title.to_lowercase()],
        ..MatchSpec::default()
    };
    matching.messages.extend(message_of(&line, &s.codes));
    let mut said: Vec<String> = Vec::new();
    if !s.outcome.trim().is_empty()
        && s.outcome.trim() != "resolved"
        && s.outcome.trim() != "closed"
    {
        said.extend(sentences(&s.outcome));
    }
    for n in &s.notes {
        said.extend(sentences(n));
    }
    let origin = format!("escalation {}", s.id);
    let mut e = draft(ids.id_for(&title, &origin), title, matching, origin);
    e.products = products(&s.products);
    match said.len() {
        0 => {}
        1 => {
            e.cause = format!("Seen in escalation {}: {}", s.id, said[0]);
            e.steps = said;
        }
        _ => {
            e.cause = said[0].clone();
            e.steps = said[1..].to_vec();
        }
    }
    e
}

/// A skeleton draft for an error nothing answered: its codes or message to match and a redacted
/// example; the cause and steps are left for a person to write (`kb check` lists them).
pub fn from_unanswered(u: &Unanswered, ids: &mut Ids) -> Entry {
    let codes: Vec<String> = u
        .signature
        .split_whitespace()
        .filter(|t| {
            t.chars().any(|c| c.is_ascii_digit()) && t.chars().any(|c| c.is_ascii_alphabetic())
                || t.contains('_')
        })
        .map(String::from)
        .collect();
    let mut matching = MatchSpec {
        codes: codes.clone(),
        keywords: vec![u.signature.to_lowercase()],
        ..MatchSpec::default()
    };
    if codes.is_empty() {
        let line = error_line(&u.last_excerpt, &[]).unwrap_or_default();
        let mut message = line;
        for p in crate::text::redact::PLACEHOLDERS {
            message = message.replace(p, " ");
        }
        let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
        if message.split_whitespace().count() >= 4 {
            matching.messages.push(message);
        }
    }
    let title = format!("{} (unanswered)", u.signature);
    let origin = format!("unanswered: {}", u.signature);
    let mut e = draft(ids.id_for(&u.signature, &origin), title, matching, origin);
    e.notes = vec![format!(
        "Seen {} times, first on {}. Example (redacted): {}",
        u.count,
        crate::text::dates::civil(u.first_at.div_euclid(86_400)),
        u.last_excerpt.chars().take(250).collect::<String>()
    )];
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_escalation_becomes_a_draft_with_the_error_and_the_fix() {
        let s = DraftSource {
            id: 7,
            thread_id: "1".into(),
            original: "Nightly sync stopped.\n```\nAADSTS7000012: The grant was obtained for a different tenant.\n```".into(),
            codes: vec!["AADSTS7000012".into()],
            products: vec!["Entra".into()],
            outcome: "The integration was consented in the wrong tenant. Reconsent it from the client tenant.".into(),
            notes: vec!["Then run the sync again.".into()],
        };
        let e = from_escalation(&s, &mut Ids::default());
        assert_eq!(
            e.title,
            "AADSTS7000012: The grant was obtained for a different tenant."
        );
        assert_eq!(e.matching.codes, ["AADSTS7000012"]);
        assert_eq!(
            e.matching.messages,
            ["The grant was obtained for a different tenant."]
        );
        assert_eq!(
            e.cause,
            "The integration was consented in the wrong tenant."
        );
        assert_eq!(
            e.steps,
            [
                "Reconsent it from the client tenant.",
                "Then run the sync again."
            ]
        );
        assert_eq!(e.origin.as_deref(), Some("escalation 7"));
    }

    #[test]
    fn an_unanswered_error_becomes_a_skeleton() {
        let u = Unanswered {
            signature: "backup job failed disk quota exceeded".into(),
            count: 4,
            first_at: 0,
            last_at: 100,
            last_excerpt: "Backup job failed: disk quota exceeded on [id]".into(),
        };
        let e = from_unanswered(&u, &mut Ids::default());
        assert!(e.cause.is_empty() && e.steps.is_empty());
        assert_eq!(
            e.matching.messages,
            ["Backup job failed: disk quota exceeded on"]
        );
        assert!(e.notes[0].contains("Seen 4 times"));
    }
}
