//! Per-server settings: what a server's staff set with `/errmedic set`, layered over the
//! defaults from the environment, and the checks a change must pass against the server (the
//! channel exists and the bot can post there; the role exists). Pure: the adapter gathers the
//! server's facts and stores the change.

use std::collections::HashMap;
use std::fmt;

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

/// Why a change was refused, in words for the staff member who asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks a new value of `setting` against the server.
pub fn check(setting: Setting, value: &Value, server: &ServerFacts) -> Result<(), Refused> {
    // `threads`: the escalation channel, where threads are opened (a text channel); otherwise
    // a channel read for pastes (text or forum).
    let channel = |id: u64, threads: bool| -> Result<(), Refused> {
        match server.channels.get(&id) {
            None => Err(Refused(format!(
                "<#{id}> is not a channel of this server (or I cannot see it)."
            ))),
            Some(c) if threads && c.kind != ChannelKind::Text => Err(Refused(format!(
                "#{} is not a text channel: escalation threads are opened in a text channel.",
                c.name
            ))),
            Some(c) if c.kind == ChannelKind::Other => Err(Refused(format!(
                "#{} is not a text or forum channel: pasted errors are read only there.",
                c.name
            ))),
            Some(c) if !c.bot_can_post => Err(Refused(format!(
                "I cannot post in #{}: give me View Channel and {} there first.",
                c.name,
                match c.kind {
                    ChannelKind::Forum => "Send Messages in Threads",
                    _ => "Send Messages",
                }
            ))),
            Some(c) if threads && !c.bot_can_open_threads => Err(Refused(format!(
                "I cannot open threads in #{}: give me Create Private Threads (or Create Public Threads) there first.",
                c.name
            ))),
            Some(_) => Ok(()),
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
                Err(Refused(format!("<@&{id}> is not a role of this server.")))
            }
        }
        (Setting::Cooldown, Value::Seconds(s)) if *s > MAX_COOLDOWN_SECS => Err(Refused(format!(
            "A cooldown of {s} s is longer than a day ({MAX_COOLDOWN_SECS} s)."
        ))),
        (Setting::UserRate, Value::Seconds(s)) if *s > MAX_USER_RATE_SECS => Err(Refused(format!(
            "A per-user interval of {s} s is longer than an hour ({MAX_USER_RATE_SECS} s)."
        ))),
        (Setting::Cooldown | Setting::UserRate, Value::Seconds(_)) => Ok(()),
        (Setting::AutoReplies, Value::Switch(_)) => Ok(()),
        (s, v) => Err(Refused(format!(
            "{v:?} is not a value for the {}.",
            s.name()
        ))),
    }
}

/// Reads a list of channels as staff type it: channel mentions (`<#123>`) or ids, separated
/// by spaces or commas; `all` (or nothing) for every channel.
pub fn parse_channels(text: &str) -> Result<Vec<u64>, Refused> {
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("all") {
        return Ok(Vec::new());
    }
    let mut ids = Vec::new();
    for word in text.split(|c: char| c == ',' || c.is_whitespace()) {
        let word = word.trim();
        if word.is_empty() {
            continue;
        }
        let digits = word
            .strip_prefix("<#")
            .and_then(|w| w.strip_suffix('>'))
            .unwrap_or(word);
        match digits.parse::<u64>() {
            Ok(id) if id > 0 => {
                if !ids.contains(&id) {
                    ids.push(id)
                }
            }
            _ => {
                return Err(Refused(format!(
                    "`{}` is not a channel: mention channels (#support) or give their ids, or say `all`.",
                    word.chars().take(40).collect::<String>()
                )))
            }
        }
    }
    Ok(ids)
}

/// The settings in force, one line each, saying which come from this server and which are
/// the defaults; `withheld` when the home server's channel and role defaults do not apply here.
pub fn describe(s: &Settings, o: &Overrides, withheld: bool) -> String {
    let whose = |setting| if o.is_set(setting) { "" } else { " (default)" };
    let channel = |c: Option<u64>| c.map_or("none".to_string(), |c| format!("<#{c}>"));
    let role = |r: Option<u64>| r.map_or("none".to_string(), |r| format!("<@&{r}>"));
    let channels = if s.auto_reply_channels.is_empty() {
        "every channel".to_string()
    } else {
        s.auto_reply_channels
            .iter()
            .map(|c| format!("<#{c}>"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let lines = [
        (
            Setting::AutoReplies,
            if s.auto_replies {
                "on".to_string()
            } else {
                "off".to_string()
            },
        ),
        (Setting::AutoReplyChannels, channels),
        (Setting::EscalationChannel, channel(s.escalation_channel)),
        (Setting::SupportRole, role(s.support_role)),
        (Setting::StaffRole, role(s.staff_role)),
        (Setting::Cooldown, format!("{} s", s.cooldown_secs)),
        (Setting::UserRate, format!("{} s", s.user_rate_secs)),
    ];
    let mut out = lines
        .iter()
        .map(|(setting, v)| format!("**{}**: {v}{}", setting.name(), whose(*setting)))
        .collect::<Vec<_>>()
        .join("\n");
    if withheld {
        out.push_str("\nThe operators' channel and role defaults belong to their own server and do not apply here: set this server's own.");
    }
    if let Some((by, at)) = o.changed {
        out.push_str(&format!(
            "\nLast changed by <@{by}> on {}.",
            crate::kb::drafts::civil(at.div_euclid(86_400))
        ));
    }
    out
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
        let cases: &[(Setting, Value, Option<&str>)] = &[
            (Setting::EscalationChannel, Value::Channel(1), None),
            (
                Setting::EscalationChannel,
                Value::Channel(9),
                Some("not a channel of this server"),
            ),
            (
                Setting::EscalationChannel,
                Value::Channel(2),
                Some("not a text channel"),
            ),
            (
                Setting::EscalationChannel,
                Value::Channel(3),
                Some("cannot post in #locked"),
            ),
            (
                Setting::AutoReplyChannels,
                Value::Channels(vec![1, 3]),
                Some("#locked"),
            ),
            (Setting::AutoReplyChannels, Value::Channels(vec![4]), None),
            (
                Setting::EscalationChannel,
                Value::Channel(4),
                Some("cannot open threads in #chat"),
            ),
            (Setting::AutoReplyChannels, Value::Channels(vec![]), None),
            (Setting::SupportRole, Value::Role(10), None),
            (Setting::StaffRole, Value::Role(11), Some("not a role")),
            (Setting::Cooldown, Value::Seconds(86_400), None),
            (
                Setting::Cooldown,
                Value::Seconds(86_401),
                Some("longer than a day"),
            ),
            (
                Setting::UserRate,
                Value::Seconds(3_601),
                Some("longer than an hour"),
            ),
            (Setting::AutoReplies, Value::Switch(false), None),
            (Setting::AutoReplies, Value::Seconds(1), Some("not a value")),
        ];
        for (setting, value, problem) in cases {
            let got = check(*setting, value, &s);
            match problem {
                None => assert_eq!(got, Ok(()), "{setting:?} {value:?}"),
                Some(p) => assert!(
                    got.as_ref().is_err_and(|e| e.0.contains(p)),
                    "{setting:?} {value:?}: {got:?}"
                ),
            }
        }
    }

    #[test]
    fn channel_and_role_defaults_apply_in_the_home_server_only() {
        let vars = |home: Option<&str>| {
            let mut v = HashMap::from([
                ("ERRMEDIC_ESCALATION_CHANNEL".to_string(), "600".to_string()),
                ("ERRMEDIC_SUPPORT_ROLE".to_string(), "777".to_string()),
                ("ERRMEDIC_STAFF_ROLE".to_string(), "888".to_string()),
                (
                    "ERRMEDIC_AUTO_REPLY_CHANNELS".to_string(),
                    "601".to_string(),
                ),
                ("ERRMEDIC_COOLDOWN_SECS".to_string(), "60".to_string()),
            ]);
            if let Some(h) = home {
                v.insert("ERRMEDIC_HOME_GUILD".to_string(), h.to_string());
            }
            v
        };
        // Without a home server, a channel or role default is refused by name.
        let e = Config::from_vars(&vars(None)).unwrap_err();
        assert!(e.problem.contains("ERRMEDIC_HOME_GUILD"), "{e:?}");
        let config = Config::from_vars(&vars(Some("5"))).unwrap();
        let home = Settings::defaults(&config, Some(5));
        assert_eq!(
            (home.escalation_channel, home.support_role, home.staff_role),
            (Some(600), Some(777), Some(888))
        );
        assert_eq!(home.auto_reply_channels, vec![601]);
        for elsewhere in [Some(6), None] {
            let other = Settings::defaults(&config, elsewhere);
            assert_eq!(
                (
                    other.escalation_channel,
                    other.support_role,
                    other.staff_role
                ),
                (None, None, None),
                "{elsewhere:?}"
            );
            assert!(other.auto_reply_channels.is_empty());
            assert_eq!(other.cooldown_secs, 60, "numbers are everyone's defaults");
            assert!(Settings::home_defaults_withheld(&config, elsewhere));
        }
        assert!(!Settings::home_defaults_withheld(&config, Some(5)));
        let shown = describe(
            &Settings::defaults(&config, Some(6)),
            &Overrides::default(),
            true,
        );
        assert!(shown.contains("do not apply here"), "{shown}");
    }

    #[test]
    fn channel_lists_read_mentions_ids_and_all() {
        assert_eq!(parse_channels("<#12> 34, <#12>"), Ok(vec![12, 34]));
        assert_eq!(parse_channels(" all "), Ok(vec![]));
        assert!(parse_channels("#support")
            .unwrap_err()
            .0
            .contains("`#support` is not a channel"));
        assert!(parse_channels("0").is_err());
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
        let text = describe(&s, &o, false);
        assert!(text.contains("**auto-replies**: off\n"), "{text}");
        assert!(text.contains("**cooldown**: 60 s (default)"), "{text}");
        assert!(
            text.contains("**auto-reply channels**: every channel\n"),
            "{text}"
        );
    }
}
