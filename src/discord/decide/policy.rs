//! Decisions the bot makes before it acts, as plain functions: whose messages it reads and
//! where, what to do with a message read (answer, edit or delete the answer, warn, hold back for
//! a cooldown, record an unanswered error), what a button click asks for and whether the clicker
//! may, and who counts as staff. The handlers in `messages` and `clicks` carry the plans out.

use std::time::Duration;

use poise::serenity_prelude::{ChannelId, GuildId, Member, MessageId, UserId};
use tokio::time::Instant;

use crate::discord::decide::ids::Action;
use crate::discord::decide::recent::Recent;
use crate::engine::Answer;

/// What the bot knows of a posted message when it decides whether to read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posted {
    pub author_is_bot: bool,
    pub is_webhook: bool,
    pub author_is_self: bool,
    pub in_guild: bool,
    pub channel: ChannelId,
    /// The parent channel when the message is in a thread or forum post.
    pub parent: Option<ChannelId>,
}

/// Whether to read a message for an unprompted reply: messages from people, in a server, in a
/// configured channel (or anywhere when none is configured).
pub fn should_read(m: &Posted, channels: &[u64]) -> bool {
    if m.author_is_bot || m.is_webhook || m.author_is_self || !m.in_guild {
        return false;
    }
    channels.is_empty()
        || channels.contains(&m.channel.get())
        || m.parent.is_some_and(|p| channels.contains(&p.get()))
}

/// The outcome of a cooldown check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Post these entries.
    Post(Vec<String>),
    /// Every entry was posted in this channel recently.
    EntryCooldown,
    /// The user got a reply very recently.
    UserRateLimited,
}

/// The cooldowns in force in a server: the same entry is not posted again in a channel within
/// `entry`, and a user gets at most one unprompted reply *in this server* within `user`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Windows {
    pub server: Option<GuildId>,
    pub entry: Duration,
    pub user: Duration,
}

impl Windows {
    pub fn of(s: &crate::settings::Settings, server: Option<GuildId>) -> Windows {
        Windows {
            server,
            entry: Duration::from_secs(s.cooldown_secs),
            user: Duration::from_secs(s.user_rate_secs),
        }
    }
}

/// Remembers recent unprompted replies, per (channel, entry) and per user. The windows come
/// with each check (each server has its own). Bounded: see [`Recent`].
#[derive(Debug)]
pub struct Cooldowns {
    /// The longest windows seen, for forgetting what is past every one.
    longest: (Duration, Duration),
    by_entry: Recent<(ChannelId, String)>,
    by_user: Recent<(Option<GuildId>, UserId)>,
}

/// How many channel-entry pairs and users the cooldowns keep at most, over every server.
pub const COOLDOWN_BOUND: usize = 50_000;

impl Default for Cooldowns {
    fn default() -> Self {
        Cooldowns {
            longest: (Duration::ZERO, Duration::ZERO),
            by_entry: Recent::new(COOLDOWN_BOUND),
            by_user: Recent::new(COOLDOWN_BOUND),
        }
    }
}

impl Cooldowns {
    /// Decides whether `entries` may be posted in `channel` for `user` at `now`, and if so
    /// records the post. Entries posted in the channel within the window are left out.
    pub fn check(
        &mut self,
        windows: Windows,
        now: Instant,
        channel: ChannelId,
        user: UserId,
        entries: &[String],
    ) -> Verdict {
        self.longest = (
            self.longest.0.max(windows.entry),
            self.longest.1.max(windows.user),
        );
        if self
            .by_user
            .within(&(windows.server, user), windows.user, now)
        {
            return Verdict::UserRateLimited;
        }
        let fresh: Vec<String> = entries
            .iter()
            .filter(|e| {
                !self
                    .by_entry
                    .within(&(channel, e.to_string()), windows.entry, now)
            })
            .cloned()
            .collect();
        if fresh.is_empty() {
            return Verdict::EntryCooldown;
        }
        for e in &fresh {
            self.by_entry
                .insert((channel, e.clone()), now, self.longest.0);
        }
        self.by_user
            .insert((windows.server, user), now, self.longest.1);
        Verdict::Post(fresh)
    }

    /// Channel-entry pairs and users remembered.
    pub fn len(&self) -> usize {
        self.by_entry.len() + self.by_user.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Whether a member counts as staff: Manage Server permission, or the configured staff role.
pub fn is_staff(manage_guild: bool, roles: &[u64], staff_role: Option<u64>) -> bool {
    manage_guild || staff_role.is_some_and(|r| roles.contains(&r))
}

/// [`is_staff`] for a server member as Discord sends it with a command or a click.
pub fn member_is_staff(member: Option<&Member>, staff_role: Option<u64>) -> bool {
    member.is_some_and(|m| {
        let roles: Vec<u64> = m.roles.iter().map(|r| r.get()).collect();
        is_staff(
            m.permissions.is_some_and(|p| p.manage_guild()),
            &roles,
            staff_role,
        )
    })
}

/// What the bot found in a message it read.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// Entries the engine would post unprompted, best first.
    pub entries: Vec<String>,
    /// The message seems to hold a credential: the poster is told to rotate it.
    pub has_secret: bool,
    /// The message is an edit of one the bot answered: its reply.
    pub previous: Option<(ChannelId, MessageId)>,
    /// The message is an edit (answered or not): an error nothing answers was recorded when it
    /// was posted, and is not recorded again.
    pub edited: bool,
    /// The key of an error nothing answered, from the redacted text (see
    /// [`unanswered_signature`]).
    pub unanswered: Option<String>,
}

/// What to do with a message read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessagePlan {
    /// Reply with these entries (and the credential warning, when there is one).
    Answer(Vec<String>),
    /// The edited message still warrants an answer: edit the reply to these entries.
    EditAnswer((ChannelId, MessageId), Vec<String>),
    /// The edited message no longer warrants an answer: delete the reply.
    DeleteAnswer((ChannelId, MessageId)),
    /// The edited message warrants no answer but holds a credential: the reply becomes the
    /// warning.
    WarnInstead((ChannelId, MessageId)),
    /// Only warn about the credential; record the error nothing answered, if any.
    Warn { unanswered: Option<String> },
    /// Say nothing; record the error nothing answered, if any.
    Silent { unanswered: Option<String> },
    /// A cooldown holds the answer back.
    Hold(Verdict),
}

/// Decides what to do with a message read, and notes an answer in the cooldowns.
pub fn plan_message(
    r: Reading,
    cooldowns: &mut Cooldowns,
    windows: Windows,
    now: Instant,
    channel: ChannelId,
    user: UserId,
) -> MessagePlan {
    let unanswered = if r.edited { None } else { r.unanswered };
    match (r.previous, r.entries.is_empty()) {
        (Some(reply), true) if r.has_secret => MessagePlan::WarnInstead(reply),
        (Some(reply), true) => MessagePlan::DeleteAnswer(reply),
        (Some(reply), false) => MessagePlan::EditAnswer(reply, r.entries),
        (None, true) if r.has_secret => MessagePlan::Warn { unanswered },
        (None, true) => MessagePlan::Silent { unanswered },
        (None, false) => match cooldowns.check(windows, now, channel, user, &r.entries) {
            Verdict::Post(fresh) => MessagePlan::Answer(fresh),
            _ if r.has_secret => MessagePlan::Warn { unanswered: None },
            held => MessagePlan::Hold(held),
        },
    }
}

/// A short key for an error nothing answered: its codes, else the first words of the
/// *redacted* text (so that nothing secret is ever part of it). `None` for text that does not
/// look like an error.
pub fn unanswered_signature(answer: &Answer, redacted: &str) -> Option<String> {
    let e = &answer.extracted;
    let codes = crate::discord::decide::conversation::redacted_codes(answer, redacted);
    if !codes.is_empty() {
        return Some(codes.iter().take(3).cloned().collect::<Vec<_>>().join(" "));
    }
    let looks_like_error = !e.statuses.is_empty() || crate::text::words::says_it_failed(redacted);
    if !looks_like_error {
        return None;
    }
    // Placeholders left by redaction (`[password]`) are not part of the key.
    let mut text = crate::engine::normalize::clean(redacted).text;
    for p in crate::text::redact::PLACEHOLDERS {
        text = text.replace(p, " ");
    }
    let words: Vec<String> = crate::text::words::content_words(&text)
        .into_iter()
        .take(6)
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// What a button click asks the bot to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClickPlan {
    /// Not one of the bot's buttons.
    Ignore,
    /// Tell the clicker this, and do nothing else.
    Refuse(&'static str),
    /// Thank the clicker, then record a helpful vote.
    Solved(String),
    /// Defer, record an unhelpful vote when asked, open (or link) the escalation.
    Escalate { entry: String, unhelpful: bool },
    /// Record an unhelpful vote only (someone other than the reporter).
    Unhelpful(String),
    /// Acknowledge, then delete the bot's message.
    Dismiss,
    /// Close the escalation of this thread.
    Close,
    /// Write a draft entry from this thread's escalation.
    Draft,
}

/// Who clicked, as far as a click's plan goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clicker {
    pub id: UserId,
    /// Staff of this server (Manage Server or its staff role).
    pub staff: bool,
    /// One of the bot's operators (see `Data::is_operator`): may change what every server
    /// shares, such as the drafts in `kb/drafts/`.
    pub operator: bool,
}

/// Decides what a click on `custom_id` does. `author` is who the answered message was from,
/// when the bot remembers it.
pub fn plan_click(custom_id: &str, clicker: Clicker, author: Option<UserId>) -> ClickPlan {
    let own = author == Some(clicker.id) || clicker.staff;
    // Escalating is the reporter's: refused to anyone else when the bot knows who that is (an
    // answer posted by another process, or forgotten, cannot tell).
    let may_escalate = own || author.is_none();
    match Action::decode(custom_id) {
        None => ClickPlan::Ignore,
        Some(Action::Solved(entry)) => ClickPlan::Solved(entry),
        Some(Action::Unhelpful(entry)) if may_escalate => ClickPlan::Escalate {
            entry,
            unhelpful: true,
        },
        // Anyone's "didn't help" counts; only the reporter or staff open a thread with it.
        Some(Action::Unhelpful(entry)) => ClickPlan::Unhelpful(entry),
        Some(Action::Escalate(entry)) if may_escalate => ClickPlan::Escalate {
            entry,
            unhelpful: false,
        },
        Some(Action::Escalate(_)) => ClickPlan::Refuse(
            "Only the person who posted the error, or staff, can escalate this answer; `/escalate` asks for help with your own.",
        ),
        Some(Action::Dismiss) if own => ClickPlan::Dismiss,
        Some(Action::Dismiss) => ClickPlan::Refuse(
            "Only the person who posted the error, or staff, can dismiss this answer.",
        ),
        Some(Action::Close) if clicker.staff => ClickPlan::Close,
        Some(Action::Close) => ClickPlan::Refuse("Only staff can close an escalation."),
        Some(Action::Draft) if clicker.operator => ClickPlan::Draft,
        Some(Action::Draft) => ClickPlan::Refuse(
            "Only the bot's operators (its owners, or staff of its home server) can write a draft entry: drafts are shared by every server.",
        ),
    }
}

#[cfg(test)]
mod tests;
