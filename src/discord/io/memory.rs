//! What the bot remembers of the answers it posted: the conversation behind each reply (to
//! escalate it, and to follow edits and deletes of the message answered), bounded in size.
//! Also the key an escalation of a conversation is recorded under.

use std::collections::{HashMap, VecDeque};

use poise::serenity_prelude::{ChannelId, MessageId, UserId};

use crate::discord::decide::limits::trim;
use crate::engine::{Answer, Engine};

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
            text: trim(redacted, KEPT_TEXT),
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

/// Answers the bot remembers: by the bot's message id, and the user's message → the bot's reply.
#[derive(Debug, Default)]
pub struct Conversations {
    by_reply: HashMap<MessageId, Conversation>,
    reply_of: HashMap<MessageId, (ChannelId, MessageId)>,
    order: VecDeque<MessageId>,
    /// Per channel and user, their last error nothing answered (for `/escalate`).
    unanswered: HashMap<(ChannelId, UserId), Conversation>,
}

/// Answers remembered at most; older ones are forgotten (their buttons still record votes).
const REMEMBERED: usize = 20_000;

impl Conversations {
    pub fn insert(&mut self, reply: MessageId, c: Conversation) {
        if let Some(origin) = c.message {
            self.reply_of.insert(origin, (c.channel, reply));
        }
        self.by_reply.insert(reply, c);
        self.order.push_back(reply);
        while self.order.len() > REMEMBERED {
            let Some(old) = self.order.pop_front() else {
                break;
            };
            if let Some(origin) = self.by_reply.remove(&old).and_then(|c| c.message) {
                self.reply_of.remove(&origin);
            }
        }
    }

    pub fn get(&self, reply: MessageId) -> Option<&Conversation> {
        self.by_reply.get(&reply)
    }

    pub fn get_mut(&mut self, reply: MessageId) -> Option<&mut Conversation> {
        self.by_reply.get_mut(&reply)
    }

    /// The bot's reply (channel, message) to a user's message.
    pub fn reply_to(&self, origin: MessageId) -> Option<(ChannelId, MessageId)> {
        self.reply_of.get(&origin).copied()
    }

    /// Forgets the answer to a user's message; returns the reply (channel, message).
    pub fn forget_origin(&mut self, origin: MessageId) -> Option<(ChannelId, MessageId)> {
        let reply = self.reply_of.remove(&origin)?;
        self.by_reply.remove(&reply.1);
        Some(reply)
    }

    /// Remembers a user's error nothing answered, for `/escalate`.
    pub fn remember_unanswered(&mut self, c: Conversation) {
        if self.unanswered.len() >= REMEMBERED {
            self.unanswered.clear();
        }
        self.unanswered.insert((c.channel, c.author), c);
    }

    /// How many users' errors nothing answered are remembered.
    pub fn unanswered_len(&self) -> usize {
        self.unanswered.len()
    }

    /// A user's last error nothing answered in a channel.
    pub fn unanswered(&self, channel: ChannelId, user: UserId) -> Option<&Conversation> {
        self.unanswered.get(&(channel, user))
    }

    /// Forgets a reply the bot deleted.
    pub fn forget_reply(&mut self, reply: MessageId) {
        if let Some(origin) = self.by_reply.remove(&reply).and_then(|c| c.message) {
            self.reply_of.remove(&origin);
        }
    }

    /// The most recent answer in a channel to a user, for `/escalate`.
    pub fn latest(&self, channel: ChannelId, user: UserId) -> Option<(MessageId, &Conversation)> {
        self.order.iter().rev().find_map(|id| {
            self.by_reply
                .get(id)
                .filter(|c| c.channel == channel && c.author == user)
                .map(|c| (*id, c))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conversation(channel: u64, message: u64, author: u64) -> Conversation {
        Conversation::new(
            ChannelId::new(channel),
            Some(MessageId::new(message)),
            UserId::new(author),
        )
    }

    #[test]
    fn replies_are_found_from_the_message_answered_and_forgotten_with_it() {
        let mut m = Conversations::default();
        m.insert(MessageId::new(100), conversation(1, 10, 7));
        assert_eq!(
            m.reply_to(MessageId::new(10)),
            Some((ChannelId::new(1), MessageId::new(100)))
        );
        assert_eq!(
            m.latest(ChannelId::new(1), UserId::new(7))
                .map(|(id, _)| id),
            Some(MessageId::new(100))
        );
        assert_eq!(
            m.forget_origin(MessageId::new(10)),
            Some((ChannelId::new(1), MessageId::new(100)))
        );
        assert!(m.get(MessageId::new(100)).is_none());
        assert_eq!(m.forget_origin(MessageId::new(10)), None);
    }

    #[test]
    fn memory_is_bounded() {
        let mut m = Conversations::default();
        for i in 1..=(REMEMBERED as u64 + 10) {
            m.insert(MessageId::new(1_000_000 + i), conversation(1, i, 7));
        }
        assert!(m.get(MessageId::new(1_000_001)).is_none());
        assert!(m.reply_to(MessageId::new(1)).is_none());
        assert!(m.reply_to(MessageId::new(REMEMBERED as u64 + 10)).is_some());
    }

    #[test]
    fn escalation_keys_name_the_reply_or_the_channel_and_user() {
        let (c, u) = (ChannelId::new(5), UserId::new(6));
        assert_eq!(escalation_key(Some(MessageId::new(9)), c, u), "reply:9");
        assert_eq!(escalation_key(None, c, u), "channel:5:user:6");
    }
}
