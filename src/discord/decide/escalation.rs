//! Escalations, decided: what the summary for the support staff says, the thread's name and
//! place, and what the person asking is told. Pure; `handlers::escalate` carries them out.

use poise::serenity_prelude as serenity;
use serenity::{ChannelId, MessageId, UserId};

use crate::discord::decide::conversation::Conversation;
use crate::discord::decide::limits::{self, code_block, escape};
use crate::discord::decide::present;
use crate::text::words::cut;

/// The summary posted in a new escalation thread (without the role ping).
pub fn summary(c: &Conversation, reporter: UserId, note: Option<&str>) -> String {
    let mut out = format!("**Escalation** for <@{reporter}>.\n");
    if !c.text.trim().is_empty() {
        out.push_str("**Original message** (trimmed):\n");
        out.push_str(&code_block(&c.text, 900));
        out.push('\n');
    }
    let mut read = Vec::new();
    if !c.codes.is_empty() {
        read.push(format!("codes {}", c.codes.join(", ")));
    }
    if !c.products.is_empty() {
        read.push(format!("products {}", c.products.join(", ")));
    }
    if !read.is_empty() {
        out.push_str(&format!(
            "**Read by errmedic:** {}\n",
            escape(&read.join("; "))
        ));
    }
    if c.offered.is_empty() {
        out.push_str("**Offered:** nothing matched.\n");
    } else {
        let offered: Vec<String> = c
            .offered
            .iter()
            .map(|(id, score)| {
                let rating = c
                    .ratings
                    .iter()
                    .rev()
                    .find(|(e, _)| e == id)
                    .map(|(_, helpful)| {
                        if *helpful {
                            " — rated: solved"
                        } else {
                            " — rated: didn't help"
                        }
                    });
                format!("`{id}` ({:.0}%){}", score * 100.0, rating.unwrap_or(""))
            })
            .collect();
        out.push_str(&format!("**Offered:** {}\n", offered.join(", ")));
    }
    if let Some(note) = note.filter(|n| !n.trim().is_empty()) {
        out.push_str(&format!(
            "**From the reporter:** {}\n",
            escape(&cut(note, 300))
        ));
    }
    out.push_str("Staff: close this with the button below or `/resolve` when it is sorted.");
    cut(&out, limits::MESSAGE - 40)
}

/// The thread's name.
pub fn thread_name(c: &Conversation) -> String {
    let what = c
        .offered
        .first()
        .map(|(id, _)| id.clone())
        .or_else(|| c.codes.first().cloned())
        .unwrap_or_else(|| "support request".into());
    cut(&format!("Escalation: {what}"), limits::THREAD_NAME)
}

/// Where a new thread goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A thread in the configured escalation channel (private when the server allows).
    Channel(ChannelId),
    /// A public thread on the message itself.
    OnMessage(ChannelId, MessageId),
    /// A thread in the current channel, when there is no message to hang it on.
    InChannel(ChannelId),
}

/// Decides where a new escalation thread goes.
pub fn place(
    escalation_channel: Option<u64>,
    channel: ChannelId,
    message: Option<MessageId>,
) -> Place {
    match (escalation_channel, message) {
        (Some(c), _) => Place::Channel(ChannelId::new(c)),
        (None, Some(m)) => Place::OnMessage(channel, m),
        (None, None) => Place::InChannel(channel),
    }
}

/// The result of asking for an escalation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    New(ChannelId),
    Existing(ChannelId),
    /// The reporter opened one too recently; they may again after this long.
    TooSoon(std::time::Duration),
}

/// The text of a reply that links to a thread.
pub fn opened_text(o: &Opened) -> String {
    match o {
        Opened::New(t) => format!("Opened an escalation thread for the support staff: <#{t}>"),
        Opened::Existing(t) => format!("An escalation thread is already open: <#{t}>"),
        Opened::TooSoon(wait) => format!(
            "You opened an escalation a moment ago; the support staff have it. You can open another in {} s.",
            wait.as_secs().max(1)
        ),
    }
}

/// The result of closing an escalation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// Recorded as closed; the thread is being archived.
    Recorded,
    /// This thread holds no open escalation.
    NotOpen,
    /// The record could not be written.
    Unavailable,
}

/// Under the answer to a close: the Draft entry button, once the close is recorded.
pub fn closed_components(c: Closed) -> Vec<serenity::CreateActionRow> {
    match c {
        Closed::Recorded => present::draft_only(),
        _ => Vec::new(),
    }
}

/// What the person closing an escalation is told.
pub fn closed_text(c: Closed) -> &'static str {
    match c {
        Closed::Recorded => "Closed and recorded; archiving the thread.",
        Closed::NotOpen => "This is not an open escalation thread.",
        Closed::Unavailable => {
            "Could not record the outcome (the record is unavailable); it has been logged."
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conversation() -> Conversation {
        Conversation {
            channel: ChannelId::new(1),
            message: Some(MessageId::new(2)),
            author: UserId::new(3),
            text: "AADSTS50076 @everyone ``` <@&9> https://evil.example".into(),
            codes: vec!["AADSTS50076".into()],
            products: vec!["Entra".into()],
            offered: vec![("mfa-required-location".into(), 0.92)],
            ratings: vec![("mfa-required-location".into(), false)],
        }
    }

    #[test]
    fn the_summary_carries_what_staff_need_and_cannot_ping() {
        let s = summary(&conversation(), UserId::new(3), Some("tried twice @here"));
        assert!(
            s.contains("AADSTS50076")
                && s.contains("`mfa-required-location` (92%) — rated: didn't help"),
            "{s}"
        );
        assert!(s.contains("products Entra") && s.contains("<@3>"), "{s}");
        assert!(
            !s.contains("@everyone") && !s.contains("@here") && !s.contains("<@&9>"),
            "{s}"
        );
        assert!(s.chars().count() <= limits::MESSAGE);
    }

    #[test]
    fn a_huge_paste_is_trimmed() {
        let c = Conversation {
            text: "x".repeat(50_000),
            ..conversation()
        };
        assert!(
            summary(&c, UserId::new(3), Some(&"y".repeat(5000)))
                .chars()
                .count()
                <= limits::MESSAGE
        );
    }

    #[test]
    fn the_thread_goes_to_the_configured_channel_or_the_message() {
        let (c, m) = (ChannelId::new(1), MessageId::new(2));
        assert_eq!(
            place(Some(5), c, Some(m)),
            Place::Channel(ChannelId::new(5))
        );
        assert_eq!(place(None, c, Some(m)), Place::OnMessage(c, m));
        assert_eq!(place(None, c, None), Place::InChannel(c));
        assert_eq!(
            thread_name(&conversation()),
            "Escalation: mfa-required-location"
        );
    }
}
