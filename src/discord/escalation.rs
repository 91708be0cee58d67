//! Escalation threads: what the summary for the support staff says (pure), and opening or
//! closing a thread (async).

use poise::serenity_prelude as serenity;
use serenity::{
    ChannelId, ChannelType, CreateAllowedMentions, CreateMessage, CreateThread, RoleId, UserId,
};

use super::limits::{self, code_block, escape, trim};
use super::{Conversation, Data};
use crate::store::Escalation;

/// The summary posted in a new escalation thread (without the role ping).
pub fn summary(c: &Conversation, reporter: u64, note: Option<&str>) -> String {
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
            escape(&trim(note, 300))
        ));
    }
    out.push_str("Staff: close this with the button below or `/resolve` when it is sorted.");
    trim(&out, limits::MESSAGE - 40)
}

/// The thread's name.
pub fn thread_name(c: &Conversation) -> String {
    let what = c
        .offered
        .first()
        .map(|(id, _)| id.clone())
        .or_else(|| c.codes.first().cloned())
        .unwrap_or_else(|| "support request".into());
    trim(&format!("Escalation: {what}"), limits::THREAD_NAME)
}

/// Where a new thread goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A thread in the configured escalation channel (private when the server allows).
    Channel(u64),
    /// A public thread on the message itself.
    OnMessage { channel: u64, message: u64 },
    /// A thread in the current channel, when there is no message to hang it on.
    InChannel(u64),
}

/// Decides where a new escalation thread goes.
pub fn place(escalation_channel: Option<u64>, channel: u64, message: Option<u64>) -> Place {
    match (escalation_channel, message) {
        (Some(c), _) => Place::Channel(c),
        (None, Some(m)) => Place::OnMessage {
            channel,
            message: m,
        },
        (None, None) => Place::InChannel(channel),
    }
}

/// The result of asking for an escalation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    New(u64),
    Existing(u64),
}

/// Opens the escalation thread for a conversation, or returns the one already open. Posts the
/// summary, adds the reporter and pings the support role.
pub async fn open(
    http: &serenity::Http,
    data: &Data,
    key: &str,
    c: &Conversation,
    reporter: u64,
    note: Option<&str>,
) -> anyhow::Result<Opened> {
    let owned = key.to_string();
    if let Some(existing) = data.record(move |s| s.escalation(&owned)).await.flatten() {
        if !existing.closed {
            return Ok(Opened::Existing(existing.thread_id.parse().unwrap_or(0)));
        }
    }
    let name = thread_name(c);
    let thread = match place(data.config.escalation_channel, c.channel, c.message) {
        Place::Channel(channel) => {
            let channel = ChannelId::new(channel);
            match channel
                .create_thread(
                    http,
                    CreateThread::new(name.clone())
                        .kind(ChannelType::PrivateThread)
                        .invitable(false),
                )
                .await
            {
                Ok(t) => t,
                Err(e) => {
                    tracing::info!(error = %e, "private thread refused; opening a public one");
                    channel
                        .create_thread(
                            http,
                            CreateThread::new(name).kind(ChannelType::PublicThread),
                        )
                        .await?
                }
            }
        }
        Place::OnMessage { channel, message } => {
            ChannelId::new(channel)
                .create_thread_from_message(
                    http,
                    serenity::MessageId::new(message),
                    CreateThread::new(name),
                )
                .await?
        }
        Place::InChannel(channel) => {
            ChannelId::new(channel)
                .create_thread(
                    http,
                    CreateThread::new(name).kind(ChannelType::PublicThread),
                )
                .await?
        }
    };
    // Recorded before anyone can see the thread, so that a quick `/resolve` finds it.
    let text = summary(c, reporter, note);
    let record = Escalation {
        conversation: key.to_string(),
        thread_id: thread.id.get().to_string(),
        reporter: reporter.to_string(),
        // The thread shows what the user posted; the record keeps no secrets or addresses.
        summary: crate::redact::redact(&text).text,
        closed: false,
    };
    data.record(move |s| s.open_escalation(&record)).await;
    if let Err(e) = thread
        .id
        .add_thread_member(http, UserId::new(reporter))
        .await
    {
        tracing::warn!(error = %e, thread = %thread.id, "could not add the reporter to the thread");
    }
    let (content, mentions) = match data.config.support_role {
        Some(role) => (
            format!("<@&{role}>\n{text}"),
            CreateAllowedMentions::new().roles(vec![RoleId::new(role)]),
        ),
        None => (text.clone(), CreateAllowedMentions::new()),
    };
    let close = super::ids::Action::Close.encode().map(|id| {
        serenity::CreateActionRow::Buttons(vec![serenity::CreateButton::new(id)
            .label("Close")
            .style(serenity::ButtonStyle::Secondary)])
    });
    let mut message = CreateMessage::new()
        .content(content)
        .allowed_mentions(mentions);
    if let Some(row) = close {
        message = message.components(vec![row]);
    }
    thread.id.send_message(http, message).await?;
    Ok(Opened::New(thread.id.get()))
}

/// The text of a reply that links to a thread.
pub fn opened_text(o: &Opened) -> String {
    match o {
        Opened::New(t) => format!("Opened an escalation thread for the support staff: <#{t}>"),
        Opened::Existing(t) => format!("An escalation thread is already open: <#{t}>"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conversation() -> Conversation {
        Conversation {
            channel: 1,
            message: Some(2),
            author: 3,
            text: "AADSTS50076 @everyone ``` <@&9> https://evil.example".into(),
            codes: vec!["AADSTS50076".into()],
            products: vec!["Entra".into()],
            offered: vec![("mfa-required-location".into(), 0.92)],
            ratings: vec![("mfa-required-location".into(), false)],
        }
    }

    #[test]
    fn the_summary_carries_what_staff_need_and_cannot_ping() {
        let s = summary(&conversation(), 3, Some("tried twice @here"));
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
        assert!(summary(&c, 3, Some(&"y".repeat(5000))).chars().count() <= limits::MESSAGE);
    }

    #[test]
    fn the_thread_goes_to_the_configured_channel_or_the_message() {
        assert_eq!(place(Some(5), 1, Some(2)), Place::Channel(5));
        assert_eq!(
            place(None, 1, Some(2)),
            Place::OnMessage {
                channel: 1,
                message: 2
            }
        );
        assert_eq!(place(None, 1, None), Place::InChannel(1));
        assert_eq!(
            thread_name(&conversation()),
            "Escalation: mfa-required-location"
        );
    }
}
