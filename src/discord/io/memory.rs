//! What the bot remembers of the answers it posted: the conversation behind each reply (to
//! escalate it, and to follow edits and deletes of the message answered), bounded in size.

use std::collections::{HashMap, VecDeque};

use poise::serenity_prelude::{ChannelId, MessageId, UserId};

use crate::discord::decide::conversation::Conversation;

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
    fn unanswered_errors_stay_bounded_under_a_flood_of_distinct_users() {
        let mut m = Conversations::default();
        for i in 1..=100_000u64 {
            m.remember_unanswered(Conversation::new(ChannelId::new(i), None, UserId::new(i)));
        }
        assert!(m.unanswered_len() <= REMEMBERED, "{}", m.unanswered_len());
    }
}
