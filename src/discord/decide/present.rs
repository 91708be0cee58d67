//! How answers look in Discord: embeds, the runners-up line and buttons, always within
//! Discord's limits. Pure: builds serenity builders, sends nothing.

use poise::serenity_prelude as serenity;
use serenity::{ButtonStyle, CreateActionRow, CreateButton, CreateEmbed, CreateEmbedFooter};

use crate::discord::decide::ids::Action;
use crate::discord::decide::limits;
use crate::engine::{Answer, Engine, Match};
use crate::kb::{Entry, Tier};
use crate::text::words::cut;

/// Colour of answer embeds.
const COLOUR: u32 = 0x2b6cb0;

/// A message ready to send.
#[derive(Debug, Clone, Default)]
pub struct Presented {
    pub content: String,
    pub embeds: Vec<CreateEmbed>,
    pub components: Vec<CreateActionRow>,
}

/// Characters of an embed as Discord counts them toward the 6,000 total.
fn embed_chars(title: &str, description: &str, fields: &[(String, String)], footer: &str) -> usize {
    let n = |s: &str| s.chars().count();
    n(title) + n(description) + fields.iter().map(|(a, b)| n(a) + n(b)).sum::<usize>() + n(footer)
}

/// An entry as an embed that fits `budget` characters in all (at most 6,000). `m` adds the
/// confidence and the reasons it matched.
pub fn entry_embed(e: &Entry, m: Option<&Match>, budget: usize) -> CreateEmbed {
    let budget = budget.min(limits::EMBED_TOTAL);
    let title = match e.tier {
        Tier::Curated => cut(&e.title, limits::EMBED_TITLE),
        Tier::Reference => cut(
            &format!("General meaning: {}", e.title),
            limits::EMBED_TITLE,
        ),
    };
    let footer = cut(
        &match e.reference_note() {
            Some(note) => format!("{} · {note}", e.id),
            None => format!("{} · /kb show {} for the whole entry", e.id, e.id),
        },
        limits::FOOTER,
    );
    let mut fields: Vec<(String, String)> = Vec::new();
    if let Some(m) = m {
        fields.push(("Confidence".into(), format!("{:.0}%", m.score * 100.0)));
        fields.push(("Matched on".into(), cut(&m.reasons.join("; "), 300)));
    }
    if !e.links.is_empty() {
        let links: Vec<String> = e
            .links
            .iter()
            .map(|l| format!("[{}]({})", l.title.replace(['[', ']'], ""), l.url))
            .collect();
        let mut value = String::new();
        for l in links {
            if value.chars().count() + l.chars().count() + 1 > limits::FIELD_VALUE {
                break;
            }
            value.push_str(&l);
            value.push('\n');
        }
        fields.push(("Links".into(), value.trim_end().to_string()));
    }
    for note in e.notes.iter().take(2) {
        fields.push(("Note".into(), cut(note, 400)));
    }
    fields.truncate(limits::FIELDS);

    let mut description = format!("{}\n\n**Steps**\n", e.cause);
    for (i, step) in e.steps.iter().enumerate() {
        description.push_str(&format!("{}. {step}\n", i + 1));
    }
    let room = budget
        .saturating_sub(embed_chars(&title, "", &fields, &footer))
        .min(limits::EMBED_DESCRIPTION);
    if description.chars().count() > room {
        let tail = format!("\n… see `/kb show {}` for the whole entry.", e.id);
        description = format!(
            "{}{tail}",
            cut(&description, room.saturating_sub(tail.chars().count()))
        );
    }

    let mut embed = CreateEmbed::new()
        .title(title)
        .description(description)
        .colour(COLOUR)
        .footer(CreateEmbedFooter::new(footer));
    for (name, value) in fields {
        let inline = name == "Confidence";
        embed = embed.field(
            cut(&name, limits::FIELD_NAME),
            cut(&value, limits::FIELD_VALUE),
            inline,
        );
    }
    embed
}

/// One row of the bot's buttons; a button whose id would not fit Discord's limit is left out.
pub fn button_row(buttons: &[(Action, &str, ButtonStyle)]) -> CreateActionRow {
    CreateActionRow::Buttons(
        buttons
            .iter()
            .filter_map(|(action, label, style)| {
                action
                    .encode()
                    .map(|id| CreateButton::new(id).label(*label).style(*style))
            })
            .collect(),
    )
}

/// Buttons under an answer: Solved, Didn't help, Escalate for `entry`, and Dismiss when the
/// answer was unprompted.
pub fn buttons(entry: &str, dismissable: bool) -> Vec<CreateActionRow> {
    let mut row = vec![
        (
            Action::Solved(entry.to_string()),
            "Solved",
            ButtonStyle::Success,
        ),
        (
            Action::Unhelpful(entry.to_string()),
            "Didn't help",
            ButtonStyle::Secondary,
        ),
        (
            Action::Escalate(entry.to_string()),
            "Escalate",
            ButtonStyle::Primary,
        ),
    ];
    if dismissable {
        row.push((Action::Dismiss, "Dismiss", ButtonStyle::Danger));
    }
    vec![button_row(&row)]
}

/// The Dismiss button alone, under a warning about a credential.
pub fn dismiss_only() -> Vec<CreateActionRow> {
    vec![button_row(&[(
        Action::Dismiss,
        "Dismiss",
        ButtonStyle::Secondary,
    )])]
}

/// The Draft entry button, offered to staff when an escalation is closed.
pub fn draft_only() -> Vec<CreateActionRow> {
    vec![button_row(&[(
        Action::Draft,
        "Draft entry",
        ButtonStyle::Primary,
    )])]
}

/// The Close button under an escalation summary.
pub fn close_only() -> Vec<CreateActionRow> {
    vec![button_row(&[(
        Action::Close,
        "Close",
        ButtonStyle::Secondary,
    )])]
}

/// The answer to a paste or a lookup: one embed per entry in `shown` (positions in
/// `answer.matches`), the others as a runners-up line.
pub fn answer(engine: &Engine, answer: &Answer, shown: &[usize], unprompted: bool) -> Presented {
    let shown: Vec<usize> = shown
        .iter()
        .copied()
        .filter(|&i| i < answer.matches.len())
        .take(3)
        .collect();
    let budget = limits::EMBED_TOTAL / shown.len().max(1) - 50;
    let embeds = shown
        .iter()
        .map(|&i| {
            let m = &answer.matches[i];
            entry_embed(engine.entry(m.entry), Some(m), budget)
        })
        .collect();
    let others: Vec<String> = answer
        .matches
        .iter()
        .enumerate()
        .filter(|(i, _)| !shown.contains(i))
        .take(4)
        .map(|(_, m)| format!("`{}` ({:.0}%)", engine.entry(m.entry).id, m.score * 100.0))
        .collect();
    let mut content = String::new();
    if !others.is_empty() {
        content.push_str(&format!("Also possible: {}", others.join(", ")));
    }
    if answer.truncated {
        content.push_str("\n(Only the start of a very long message was read.)");
    }
    let components = shown
        .first()
        .map(|&i| buttons(&engine.entry(answer.matches[i].entry).id, unprompted))
        .unwrap_or_default();
    Presented {
        content: cut(content.trim(), limits::MESSAGE),
        embeds,
        components,
    }
}

/// Lines of `/kb list`, paged to fit a message: (page text, number of pages).
pub fn entry_list(entries: &[&Entry], page: usize) -> (String, usize) {
    let lines: Vec<String> = entries
        .iter()
        .map(|e| cut(&format!("`{}` — {}", e.id, e.title), 190))
        .collect();
    let mut pages: Vec<String> = vec![String::new()];
    for line in lines {
        let last = pages.last_mut().expect("one page at least");
        if last.chars().count() + line.chars().count() + 1 > limits::MESSAGE - 100 {
            pages.push(String::new());
        }
        let last = pages.last_mut().expect("one page at least");
        last.push_str(&line);
        last.push('\n');
    }
    let total = pages.len();
    let index = page.clamp(1, total) - 1;
    (pages.swap_remove(index), total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::{Link, MatchSpec, Product};

    fn entry(size: usize) -> Entry {
        Entry {
            id: "big-entry".into(),
            title: "T".repeat(size.min(300)),
            products: vec![Product::Graph],
            cause: "c".repeat(size),
            steps: (0..30)
                .map(|i| format!("step {i} {}", "s".repeat(size / 10)))
                .collect(),
            notes: vec!["n".repeat(size)],
            links: (0..40)
                .map(|i| Link {
                    title: format!("link {i}"),
                    url: format!("https://example.com/{i}/{}", "p".repeat(50)),
                })
                .collect(),
            tags: vec![],
            matching: MatchSpec::default(),
            reviewed: None,
            origin: None,
            tier: Default::default(),
        }
    }

    fn total_chars(e: &CreateEmbed) -> usize {
        let v = serde_json::to_value(e).unwrap();
        let s = |k: &str| v[k].as_str().map_or(0, |s| s.chars().count());
        let fields: usize = v["fields"].as_array().map_or(0, |f| {
            f.iter()
                .map(|f| {
                    f["name"].as_str().unwrap().chars().count()
                        + f["value"].as_str().unwrap().chars().count()
                })
                .sum()
        });
        s("title")
            + s("description")
            + fields
            + v["footer"]["text"]
                .as_str()
                .map_or(0, |s| s.chars().count())
    }

    #[test]
    fn huge_entries_fit_discord_limits() {
        for size in [10, 1_000, 20_000] {
            let e = entry(size);
            for budget in [6000, 1950] {
                let embed = entry_embed(&e, None, budget);
                let v = serde_json::to_value(&embed).unwrap();
                assert!(
                    total_chars(&embed) <= budget,
                    "size {size}: {} > {budget}",
                    total_chars(&embed)
                );
                assert!(
                    v["description"].as_str().unwrap().chars().count() <= limits::EMBED_DESCRIPTION
                );
                assert!(v["title"].as_str().unwrap().chars().count() <= limits::EMBED_TITLE);
                for f in v["fields"].as_array().unwrap() {
                    assert!(f["value"].as_str().unwrap().chars().count() <= limits::FIELD_VALUE);
                }
                if size >= 1_000 {
                    assert!(v["description"]
                        .as_str()
                        .unwrap()
                        .contains("/kb show big-entry"));
                }
            }
        }
    }

    #[test]
    fn lists_are_paged_under_the_message_limit() {
        let entries: Vec<Entry> = (0..200)
            .map(|i| Entry {
                id: format!("entry-{i}"),
                ..entry(10)
            })
            .collect();
        let refs: Vec<&Entry> = entries.iter().collect();
        let (first, pages) = entry_list(&refs, 1);
        assert!(pages > 1 && first.chars().count() <= limits::MESSAGE);
        let (last, _) = entry_list(&refs, 999);
        assert!(last.contains("entry-199"));
    }

    #[test]
    fn buttons_carry_the_entry() {
        let rows = buttons("token-expired", true);
        let v = serde_json::to_value(&rows).unwrap();
        let ids: Vec<&str> = v[0]["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["custom_id"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            [
                "errmedic:solved:token-expired",
                "errmedic:unhelpful:token-expired",
                "errmedic:escalate:token-expired",
                "errmedic:dismiss"
            ]
        );
    }
}
