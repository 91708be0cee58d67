//! Server settings in words for Discord: channel lists as staff type them (mentions or ids),
//! the settings in force with mentions, and why a change was refused, with Discord's permission
//! names. Pure; `settings` itself knows nothing of Discord.

use crate::settings::{Overrides, Refusal, Setting, Settings};

/// Why a change was refused, in words for the staff member who asked.
pub fn refusal(r: &Refusal) -> String {
    match r {
        Refusal::UnknownChannel(id) => {
            format!("<#{id}> is not a channel of this server (or I cannot see it).")
        }
        Refusal::NotText { channel } => format!(
            "#{channel} is not a text channel: escalation threads are opened in a text channel."
        ),
        Refusal::NotTextOrForum { channel } => format!(
            "#{channel} is not a text or forum channel: pasted errors are read only there."
        ),
        Refusal::CannotPost { channel, forum } => format!(
            "I cannot post in #{channel}: give me View Channel and {} there first.",
            if *forum {
                "Send Messages in Threads"
            } else {
                "Send Messages"
            }
        ),
        Refusal::CannotOpenThreads { channel } => format!(
            "I cannot open threads in #{channel}: give me Create Private Threads (or Create Public Threads) there first."
        ),
        Refusal::UnknownRole(id) => format!("<@&{id}> is not a role of this server."),
        Refusal::TooLong { setting: Setting::Cooldown, secs, max } => {
            format!("A cooldown of {secs} s is longer than a day ({max} s).")
        }
        Refusal::TooLong { secs, max, .. } => {
            format!("A per-user interval of {secs} s is longer than an hour ({max} s).")
        }
        Refusal::WrongValue { setting } => {
            format!("That is not a value for the {}.", setting.name())
        }
    }
}

/// Reads a list of channels as staff type it: channel mentions (`<#123>`) or ids, separated
/// by spaces or commas; `all` (or nothing) for every channel.
pub fn parse_channels(text: &str) -> Result<Vec<u64>, String> {
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
                return Err(format!(
                    "`{}` is not a channel: mention channels (#support) or give their ids, or say `all`.",
                    word.chars().take(40).collect::<String>()
                ))
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
            crate::text::dates::civil(at.div_euclid(86_400))
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_lists_read_mentions_ids_and_all() {
        assert_eq!(parse_channels("<#12> 34, <#12>"), Ok(vec![12, 34]));
        assert_eq!(parse_channels(" all "), Ok(vec![]));
        assert!(parse_channels("#support")
            .unwrap_err()
            .contains("`#support` is not a channel"));
        assert!(parse_channels("0").is_err());
    }

    #[test]
    fn refusals_name_the_channel_and_the_permission_to_give() {
        let cases = [
            (
                Refusal::UnknownChannel(9),
                "<#9> is not a channel of this server",
            ),
            (
                Refusal::NotText {
                    channel: "voice".into(),
                },
                "#voice is not a text channel",
            ),
            (
                Refusal::CannotPost {
                    channel: "questions".into(),
                    forum: true,
                },
                "Send Messages in Threads",
            ),
            (
                Refusal::CannotOpenThreads {
                    channel: "chat".into(),
                },
                "cannot open threads in #chat",
            ),
            (Refusal::UnknownRole(11), "<@&11> is not a role"),
            (
                Refusal::TooLong {
                    setting: Setting::Cooldown,
                    secs: 86_401,
                    max: 86_400,
                },
                "longer than a day",
            ),
        ];
        for (r, words) in cases {
            assert!(refusal(&r).contains(words), "{r:?}: {}", refusal(&r));
        }
    }

    #[test]
    fn the_settings_in_force_say_which_are_defaults_and_whose() {
        let o = Overrides {
            auto_reply_channels: Some(vec![]),
            support_role: Some(5),
            auto_replies: Some(false),
            changed: Some((42, 86_400)),
            ..Overrides::default()
        };
        let s = Settings {
            auto_reply_channels: vec![],
            escalation_channel: None,
            support_role: Some(5),
            staff_role: None,
            cooldown_secs: 60,
            user_rate_secs: 10,
            auto_replies: false,
        };
        let text = describe(&s, &o, false);
        assert!(text.contains("**auto-replies**: off\n"), "{text}");
        assert!(text.contains("**cooldown**: 60 s (default)"), "{text}");
        assert!(text.contains("**support role**: <@&5>\n"), "{text}");
        assert!(
            text.contains("**auto-reply channels**: every channel\n"),
            "{text}"
        );
        assert!(
            text.contains("Last changed by <@42> on 1970-01-02"),
            "{text}"
        );
        assert!(describe(&s, &o, true).contains("do not apply here"));
    }
}
