//! A conversation as the bot keeps it: the answer it gave, to what (redacted), and its votes;
//! and the key its escalation is recorded under. Pure data, remembered by `io::memory`.

use poise::serenity_prelude::{ChannelId, MessageId, UserId};

use crate::engine::{Answer, Engine};
use crate::text::words::cut;

/// What the bot remembers of an answer it posted. Every text in it is redacted: it is shown in
/// escalation threads and stored in the record.
#[derive(Debug, Clone, PartialEq)]
pub struct Conversation {
    pub channel: ChannelId,
    /// The user's message the answer replies to (none for lookups).
    pub message: Option<MessageId>,
    pub author: UserId,
    /// The user's text, redacted and trimmed.
    pub text: String,
    pub codes: Vec<String>,
    pub products: Vec<String>,
    /// Entries offered, with their confidence.
    pub offered: Vec<(String, f32)>,
    /// Votes so far: (entry, helpful).
    pub ratings: Vec<(String, bool)>,
}

/// Characters of a user's text kept with a conversation.
const KEPT_TEXT: usize = 4000;

impl Conversation {
    /// A conversation with nothing offered yet.
    pub fn new(channel: ChannelId, message: Option<MessageId>, author: UserId) -> Conversation {
        Conversation {
            channel,
            message,
            author,
            text: String::new(),
            codes: Vec::new(),
            products: Vec::new(),
            offered: Vec::new(),
            ratings: Vec::new(),
        }
    }

    /// The conversation of an answer showing the entries at `shown` (positions in
    /// `answer.matches`) to `redacted`, the user's text after redaction.
    pub fn of_answer(
        engine: &Engine,
        answer: &Answer,
        shown: &[usize],
        redacted: &str,
        base: Conversation,
    ) -> Conversation {
        let mut products: Vec<String> = Vec::new();
        for &i in shown {
            for p in &engine.entry(answer.matches[i].entry).products {
                if !products.iter().any(|x| x == p.name()) {
                    products.push(p.name().to_string());
                }
            }
        }
        Conversation {
            text: cut(redacted, KEPT_TEXT),
            codes: redacted_codes(answer, redacted),
            products,
            offered: shown
                .iter()
                .map(|&i| {
                    (
                        engine.entry(answer.matches[i].entry).id.clone(),
                        answer.matches[i].score,
                    )
                })
                .collect(),
            ..base
        }
    }
}

/// The codes read from a message that are still in its redacted text: a "code" read out of a
/// secret (`password=code:X`) is not kept.
pub fn redacted_codes(answer: &Answer, redacted: &str) -> Vec<String> {
    answer
        .extracted
        .codes
        .iter()
        .filter(|c| redacted.contains(c.as_str()))
        .cloned()
        .collect()
}

/// The key an escalation is recorded under: the bot's reply it started from, or the channel
/// and user when there is no answer to escalate.
pub fn escalation_key(reply: Option<MessageId>, channel: ChannelId, user: UserId) -> String {
    match reply {
        Some(reply) => format!("reply:{reply}"),
        None => format!("channel:{channel}:user:{user}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escalation_keys_name_the_reply_or_the_channel_and_user() {
        let (c, u) = (ChannelId::new(5), UserId::new(6));
        assert_eq!(escalation_key(Some(MessageId::new(9)), c, u), "reply:9");
        assert_eq!(escalation_key(None, c, u), "channel:5:user:6");
    }
}
