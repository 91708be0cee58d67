//! Per-server settings: what a server's staff set with `/errmedic set`, layered over the
//! defaults from the environment, and the checks a change must pass against the server (the
//! channel exists and the bot can post there; the role exists). Pure: the adapter gathers the
//! server's facts and stores the change.

use std::collections::HashMap;

use crate::config::Config;

/// The longest cooldown and per-user interval a server may set (a day, an hour).
pub const MAX_COOLDOWN_SECS: u64 = 86_400;
pub const MAX_USER_RATE_SECS: u64 = 3_600;

/// One setting a server can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Setting {
    AutoReplyChannels,
    EscalationChannel,
    SupportRole,
    StaffRole,
    Cooldown,
    UserRate,
    AutoReplies,
}

impl Setting {
    /// The record's column (a fixed name, never user text).
    pub fn column(self) -> &'static str {
        match self {
            Setting::AutoReplyChannels => "auto_reply_channels",
            Setting::EscalationChannel => "escalation_channel",
            Setting::SupportRole => "support_role",
            Setting::StaffRole => "staff_role",
            Setting::Cooldown => "cooldown_secs",
            Setting::UserRate => "user_rate_secs",
            Setting::AutoReplies => "auto_replies",
        }
    }

    /// The name people use (the command's option).
    pub fn name(self) -> &'static str {
        match self {
            Setting::AutoReplyChannels => "auto-reply channels",
            Setting::EscalationChannel => "escalation channel",
            Setting::SupportRole => "support role",
            Setting::StaffRole => "staff role",
            Setting::Cooldown => "cooldown",
            Setting::UserRate => "user rate",
            Setting::AutoReplies => "auto-replies",
        }
    }
}

/// A new value for one setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Channel ids; empty = every channel.
    Channels(Vec<u64>),
    Channel(u64),
    Role(u64),
    Seconds(u64),
    Switch(bool),
}

/// What a server has set; `None` = the default from the environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub auto_reply_channels: Option<Vec<u64>>,
    pub escalation_channel: Option<u64>,
    pub support_role: Option<u64>,
    pub staff_role: Option<u64>,
    pub cooldown_secs: Option<u64>,
    pub user_rate_secs: Option<u64>,
    pub auto_replies: Option<bool>,
    /// Who changed them last, and when (Unix seconds).
    pub changed: Option<(u64, i64)>,
}

impl Overrides {
    /// Whether `setting` is set here (rather than taken from the environment).
    pub fn is_set(&self, setting: Setting) -> bool {
        match setting {
            Setting::AutoReplyChannels => self.auto_reply_channels.is_some(),
            Setting::EscalationChannel => self.escalation_channel.is_some(),
            Setting::SupportRole => self.support_role.is_some(),
            Setting::StaffRole => self.staff_role.is_some(),
            Setting::Cooldown => self.cooldown_secs.is_some(),
            Setting::UserRate => self.user_rate_secs.is_some(),
            Setting::AutoReplies => self.auto_replies.is_some(),
        }
    }
}

/// The settings in force in one server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Channels where pastes get unprompted replies; empty = every channel.
    pub auto_reply_channels: Vec<u64>,
    pub escalation_channel: Option<u64>,
    pub support_role: Option<u64>,
    pub staff_role: Option<u64>,
    pub cooldown_secs: u64,
    pub user_rate_secs: u64,
    /// Unprompted replies at all (commands work either way).
    pub auto_replies: bool,
}

impl Settings {
    /// The environment's values for server `guild` (`None` outside a server): what a server
    /// that set nothing gets. The channel and role defaults name the home server's channels and
    /// roles, so they apply there only; elsewhere there are none (every channel, no escalation
    /// channel, no roles).
    pub fn defaults(config: &Config, guild: Option<u64>) -> Settings {
        let home = guild.is_some() && guild == config.home_guild;
        Settings {
            auto_reply_channels: if home {
                config.auto_reply_channels.clone()
            } else {
                Vec::new()
            },
            escalation_channel: config.escalation_channel.filter(|_| home),
            support_role: config.support_role.filter(|_| home),
            staff_role: config.staff_role.filter(|_| home),
            cooldown_secs: config.cooldown_secs,
            user_rate_secs: config.user_rate_secs,
            auto_replies: true,
        }
    }

    /// Whether the environment sets a channel or role default that server `guild` does not get
    /// (it belongs to the home server).
    pub fn home_defaults_withheld(config: &Config, guild: Option<u64>) -> bool {
        let here = Settings::defaults(config, guild);
        let home = Settings::defaults(config, config.home_guild);
        (
            here.auto_reply_channels,
            here.escalation_channel,
            here.support_role,
            here.staff_role,
        ) != (
            home.auto_reply_channels,
            home.escalation_channel,
            home.support_role,
            home.staff_role,
        )
    }

    /// These settings with a server's own over them.
    pub fn with(&self, o: &Overrides) -> Settings {
        Settings {
            auto_reply_channels: o
                .auto_reply_channels
                .clone()
                .unwrap_or_else(|| self.auto_reply_channels.clone()),
            escalation_channel: o.escalation_channel.or(self.escalation_channel),
            support_role: o.support_role.or(self.support_role),
            staff_role: o.staff_role.or(self.staff_role),
            cooldown_secs: o.cooldown_secs.unwrap_or(self.cooldown_secs),
            user_rate_secs: o.user_rate_secs.unwrap_or(self.user_rate_secs),
            auto_replies: o.auto_replies.unwrap_or(self.auto_replies),
        }
    }
}

/// What the bot knows of a server when it checks a change.
#[derive(Debug, Clone, Default)]
pub struct ServerFacts {
    /// The server's channels by id.
    pub channels: HashMap<u64, ChannelFacts>,
    /// The server's role ids.
    pub roles: Vec<u64>,
}

/// What kind of channel it is, as far as the bot's settings go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelKind {
    /// Messages are posted in it (text or announcement).
    Text,
    /// Posts are threads in it (forum or media).
    Forum,
    /// Voice, stage, category…
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelFacts {
    pub name: String,
    pub kind: ChannelKind,
    /// The bot may view it and send messages there (in a forum: in its posts).
    pub bot_can_post: bool,
    /// The bot may also open threads there (for the escalation channel).
    pub bot_can_open_threads: bool,
}

/// Why a change was refused (the adapter puts it in words for the staff member who asked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not a channel of this server (or one the bot cannot see).
    UnknownChannel(u64),
    /// Escalation threads are opened in a text channel; this one is not.
    NotText {
        channel: String,
    },
    /// Pasted errors are read only in text and forum channels.
    NotTextOrForum {
        channel: String,
    },
    /// The bot may not post there (in a forum: in its posts).
    CannotPost {
        channel: String,
        forum: bool,
    },
    /// The bot may not open threads there (the escalation channel).
    CannotOpenThreads {
        channel: String,
    },
    UnknownRole(u64),
    /// Longer than the setting allows.
    TooLong {
        setting: Setting,
        secs: u64,
        max: u64,
    },
    /// A value of the wrong kind for the setting.
    WrongValue {
        setting: Setting,
    },
}

/// Checks a new value of `setting` against the server.
pub fn check(setting: Setting, value: &Value, server: &ServerFacts) -> Result<(), Refusal> {
    // `threads`: the escalation channel, where threads are opened (a text channel); otherwise
    // a channel read for pastes (text or forum).
    let channel = |id: u64, threads: bool| -> Result<(), Refusal> {
        let Some(c) = server.channels.get(&id) else {
            return Err(Refusal::UnknownChannel(id));
        };
        let name = || c.name.clone();
        match c.kind {
            _ if threads && c.kind != ChannelKind::Text => {
                Err(Refusal::NotText { channel: name() })
            }
            ChannelKind::Other => Err(Refusal::NotTextOrForum { channel: name() }),
            _ if !c.bot_can_post => Err(Refusal::CannotPost {
                channel: name(),
                forum: c.kind == ChannelKind::Forum,
            }),
            _ if threads && !c.bot_can_open_threads => {
                Err(Refusal::CannotOpenThreads { channel: name() })
            }
            _ => Ok(()),
        }
    };
    match (setting, value) {
        (Setting::AutoReplyChannels, Value::Channels(ids)) => {
            ids.iter().try_for_each(|&id| channel(id, false))
        }
        (Setting::EscalationChannel, Value::Channel(id)) => channel(*id, true),
        (Setting::SupportRole | Setting::StaffRole, Value::Role(id)) => {
            if server.roles.contains(id) {
                Ok(())
            } else {
                Err(Refusal::UnknownRole(*id))
            }
        }
        (Setting::Cooldown, Value::Seconds(s)) if *s > MAX_COOLDOWN_SECS => Err(Refusal::TooLong {
            setting,
            secs: *s,
            max: MAX_COOLDOWN_SECS,
        }),
        (Setting::UserRate, Value::Seconds(s)) if *s > MAX_USER_RATE_SECS => {
            Err(Refusal::TooLong {
                setting,
                secs: *s,
                max: MAX_USER_RATE_SECS,
            })
        }
        (Setting::Cooldown | Setting::UserRate, Value::Seconds(_)) => Ok(()),
        (Setting::AutoReplies, Value::Switch(_)) => Ok(()),
        (setting, _) => Err(Refusal::WrongValue { setting }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server() -> ServerFacts {
        let mut channels = HashMap::new();
        let c = |name: &str, kind, bot_can_post, bot_can_open_threads| ChannelFacts {
            name: name.into(),
            kind,
            bot_can_post,
            bot_can_open_threads,
        };
        use ChannelKind::*;
        channels.insert(1, c("support", Text, true, true));
        channels.insert(2, c("voice", Other, true, true));
        channels.insert(3, c("locked", Text, false, false));
        channels.insert(4, c("chat", Text, true, false));
        channels.insert(5, c("questions", Forum, true, true));
        ServerFacts {
            channels,
            roles: vec![10],
        }
    }

    #[test]
    fn changes_are_checked_against_the_server() {
        let s = server();
        let named = |n: &str| n.to_string();
        let cases: Vec<(Setting, Value, Option<Refusal>)> = vec![
            (Setting::EscalationChannel, Value::Channel(1), None),
            (
                Setting::EscalationChannel,
                Value::Channel(9),
                Some(Refusal::UnknownChannel(9)),
            ),
            (
                Setting::EscalationChannel,
                Value::Channel(2),
                Some(Refusal::NotText {
                    channel: named("voice"),
                }),
            ),
            (
                Setting::EscalationChannel,
                Value::Channel(3),
                Some(Refusal::CannotPost {
                    channel: named("locked"),
                    forum: false,
                }),
            ),
            (
                Setting::AutoReplyChannels,
                Value::Channels(vec![1, 3]),
                Some(Refusal::CannotPost {
                    channel: named("locked"),
                    forum: false,
                }),
            ),
            (Setting::AutoReplyChannels, Value::Channels(vec![4]), None),
            (Setting::AutoReplyChannels, Value::Channels(vec![5]), None),
            (
                Setting::AutoReplyChannels,
                Value::Channels(vec![2]),
                Some(Refusal::NotTextOrForum {
                    channel: named("voice"),
                }),
            ),
            (
                Setting::EscalationChannel,
                Value::Channel(4),
                Some(Refusal::CannotOpenThreads {
                    channel: named("chat"),
                }),
            ),
            (Setting::AutoReplyChannels, Value::Channels(vec![]), None),
            (Setting::SupportRole, Value::Role(10), None),
            (
                Setting::StaffRole,
                Value::Role(11),
                Some(Refusal::UnknownRole(11)),
            ),
            (Setting::Cooldown, Value::Seconds(86_400), None),
            (
                Setting::Cooldown,
                Value::Seconds(86_401),
                Some(Refusal::TooLong {
                    setting: Setting::Cooldown,
                    secs: 86_401,
                    max: 86_400,
                }),
            ),
            (
                Setting::UserRate,
                Value::Seconds(3_601),
                Some(Refusal::TooLong {
                    setting: Setting::UserRate,
                    secs: 3_601,
                    max: 3_600,
                }),
            ),
            (Setting::AutoReplies, Value::Switch(false), None),
            (
                Setting::AutoReplies,
                Value::Seconds(1),
                Some(Refusal::WrongValue {
                    setting: Setting::AutoReplies,
                }),
            ),
        ];
        for (setting, value, refusal) in cases {
            assert_eq!(
                check(setting, &value, &s),
                refusal.map_or(Ok(()), Err),
                "{setting:?} {value:?}"
            );
        }
    }

    #[test]
    fn a_server_s_own_settings_win_and_the_rest_are_defaults() {
        let config = Config::from_vars(&HashMap::from([(
            "ERRMEDIC_COOLDOWN_SECS".to_string(),
            "60".to_string(),
        )]))
        .unwrap();
        let defaults = Settings::defaults(&config, None);
        let o = Overrides {
            auto_reply_channels: Some(vec![]),
            support_role: Some(5),
            auto_replies: Some(false),
            changed: Some((42, 86_400)),
            ..Overrides::default()
        };
        let s = defaults.with(&o);
        assert_eq!(s.cooldown_secs, 60);
        assert_eq!(s.support_role, Some(5));
        assert!(!s.auto_replies);
        assert!(o.is_set(Setting::SupportRole) && !o.is_set(Setting::Cooldown));
    }
}
