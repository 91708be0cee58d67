//! Custom ids of the bot's buttons: what a click asks for, encoded in at most 100 characters.

use crate::discord::decide::limits::CUSTOM_ID;

const PREFIX: &str = "errmedic:";

/// What a button click asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The answer (this entry) solved it.
    Solved(String),
    /// The answer (this entry) did not help: record it and escalate.
    Unhelpful(String),
    /// Escalate to the support staff.
    Escalate(String),
    /// Remove the bot's reply (original poster or staff).
    Dismiss,
    /// Close an escalation thread (staff).
    Close,
    /// Write a draft entry from this thread's escalation (staff).
    Draft,
}

impl Action {
    /// The custom id; `None` when it would not fit Discord's limit.
    pub fn encode(&self) -> Option<String> {
        let id = match self {
            Action::Solved(e) => format!("{PREFIX}solved:{e}"),
            Action::Unhelpful(e) => format!("{PREFIX}unhelpful:{e}"),
            Action::Escalate(e) => format!("{PREFIX}escalate:{e}"),
            Action::Dismiss => format!("{PREFIX}dismiss"),
            Action::Close => format!("{PREFIX}close"),
            Action::Draft => format!("{PREFIX}draft"),
        };
        (id.chars().count() <= CUSTOM_ID).then_some(id)
    }

    /// Reads a custom id; `None` for ids that are not the bot's.
    pub fn decode(id: &str) -> Option<Action> {
        let rest = id.strip_prefix(PREFIX)?;
        let (kind, arg) = rest.split_once(':').unwrap_or((rest, ""));
        let entry = || (!arg.is_empty()).then(|| arg.to_string());
        match kind {
            "solved" => entry().map(Action::Solved),
            "unhelpful" => entry().map(Action::Unhelpful),
            "escalate" => entry().map(Action::Escalate),
            "dismiss" => Some(Action::Dismiss),
            "close" => Some(Action::Close),
            "draft" => Some(Action::Draft),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for a in [
            Action::Solved("token-expired".into()),
            Action::Unhelpful("mfa-expired".into()),
            Action::Escalate("x".into()),
            Action::Dismiss,
            Action::Close,
            Action::Draft,
        ] {
            assert_eq!(Action::decode(&a.encode().unwrap()), Some(a));
        }
    }

    #[test]
    fn foreign_and_oversized_ids() {
        assert_eq!(Action::decode("other-bot:solved:x"), None);
        assert_eq!(Action::decode("errmedic:solved:"), None);
        assert_eq!(Action::decode("errmedic:unknown"), None);
        assert_eq!(Action::Solved("x".repeat(100)).encode(), None);
    }
}
