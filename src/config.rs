//! Typed configuration, read once from the environment (and `.env`). A malformed value stops
//! start-up with an error naming the variable. Secrets never appear in `Debug` output.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;

/// A secret string: shown as `[redacted]` in logs and debug output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Secret {
        Secret(value)
    }
    /// The secret itself; only for handing it to the service that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// A configuration value that could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("configuration variable {name}: {problem}")]
pub struct ConfigError {
    pub name: &'static str,
    pub problem: String,
}

/// Everything errmedic reads from its environment.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// `DISCORD_TOKEN`: when set, `errmedic` runs the Discord bot; otherwise the console.
    pub discord_token: Option<Secret>,
    /// `DISCORD_GUILD_ID`: register commands on this server only (instant, for testing).
    pub guild_id: Option<u64>,
    /// `DISCORD_API_BASE`: the Discord REST base URL (tests point it at a local server).
    pub api_base: Option<String>,
    /// `ERRMEDIC_AUTO_REPLY_CHANNELS`: channel ids where pastes get auto-replies; empty = all.
    pub auto_reply_channels: Vec<u64>,
    /// `ERRMEDIC_ESCALATION_CHANNEL`: where escalation threads are opened.
    pub escalation_channel: Option<u64>,
    /// `ERRMEDIC_SUPPORT_ROLE`: the role pinged in a new escalation thread.
    pub support_role: Option<u64>,
    /// `ERRMEDIC_STAFF_ROLE`: the role allowed staff-only commands (besides Manage Server).
    pub staff_role: Option<u64>,
    /// `ERRMEDIC_DATABASE`: SQLite file for feedback and escalations.
    pub database: PathBuf,
    /// `ERRMEDIC_KB_DIR`: the knowledge-base directory.
    pub kb_dir: PathBuf,
    /// `ERRMEDIC_COOLDOWN_SECS`: the same entry is not auto-posted again in a channel within this.
    pub cooldown_secs: u64,
    /// `ERRMEDIC_USER_RATE_SECS`: at most one auto-reply per user within this.
    pub user_rate_secs: u64,
    /// `ERRMEDIC_MAX_ATTACHMENT_BYTES`: text attachments larger than this are read only in part.
    pub max_attachment_bytes: u64,
}

/// Loads `.env` from the working directory into the environment, if there is one; variables
/// already set win. Called first thing, before logging starts, so that `RUST_LOG` in `.env`
/// counts. A line that is not `NAME=value` is an error naming the file and the line.
pub fn load_dotenv() -> Result<(), String> {
    load_dotenv_from(std::path::Path::new(".env"))
}

/// [`load_dotenv`] from a given file.
pub fn load_dotenv_from(path: &std::path::Path) -> Result<(), String> {
    if !path.exists() {
        return Ok(());
    }
    match dotenvy::from_path(path) {
        Ok(()) => Ok(()),
        Err(dotenvy::Error::LineParse(line, _)) => {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let number = text
                .lines()
                .position(|l| l.trim() == line.trim() || l.contains(line.trim()))
                .map_or(String::new(), |i| format!(" line {}", i + 1));
            let shown: String = line.chars().take(60).collect();
            Err(format!(
                "{}:{number}: `{shown}` is not NAME=value (quote values with spaces or special characters)",
                path.display()
            ))
        }
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

impl Config {
    /// Reads the process environment (after [`load_dotenv`]).
    pub fn from_env() -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = std::env::vars().collect();
        Config::from_vars(&vars)
    }

    /// Reads configuration from a map of variables (the environment, or a test's).
    pub fn from_vars(vars: &HashMap<String, String>) -> Result<Config, ConfigError> {
        let get = |name: &str| vars.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
        Ok(Config {
            discord_token: get("DISCORD_TOKEN").map(|t| Secret::new(t.to_string())),
            guild_id: id(get("DISCORD_GUILD_ID"), "DISCORD_GUILD_ID")?,
            api_base: get("DISCORD_API_BASE").map(str::to_string),
            auto_reply_channels: get("ERRMEDIC_AUTO_REPLY_CHANNELS")
                .map(|v| {
                    v.split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(|s| {
                            id(Some(s), "ERRMEDIC_AUTO_REPLY_CHANNELS")
                                .map(Option::unwrap_or_default)
                        })
                        .collect::<Result<Vec<u64>, _>>()
                })
                .transpose()?
                .unwrap_or_default(),
            escalation_channel: id(
                get("ERRMEDIC_ESCALATION_CHANNEL"),
                "ERRMEDIC_ESCALATION_CHANNEL",
            )?,
            support_role: id(get("ERRMEDIC_SUPPORT_ROLE"), "ERRMEDIC_SUPPORT_ROLE")?,
            staff_role: id(get("ERRMEDIC_STAFF_ROLE"), "ERRMEDIC_STAFF_ROLE")?,
            database: database(get("ERRMEDIC_DATABASE"))?,
            kb_dir: get("ERRMEDIC_KB_DIR").unwrap_or("kb").into(),
            cooldown_secs: number(get("ERRMEDIC_COOLDOWN_SECS"), "ERRMEDIC_COOLDOWN_SECS", 600)?,
            user_rate_secs: number(
                get("ERRMEDIC_USER_RATE_SECS"),
                "ERRMEDIC_USER_RATE_SECS",
                10,
            )?,
            max_attachment_bytes: number(
                get("ERRMEDIC_MAX_ATTACHMENT_BYTES"),
                "ERRMEDIC_MAX_ATTACHMENT_BYTES",
                256 * 1024,
            )?,
        })
    }
}

/// The record's file: a path. A URL (`postgres://…`) is refused by name rather than taken for a
/// folder called `postgres:`; this build keeps its record in SQLite.
fn database(value: Option<&str>) -> Result<PathBuf, ConfigError> {
    match value {
        None => Ok("errmedic.sqlite3".into()),
        Some(v) if v.contains("://") => Err(ConfigError {
            name: "ERRMEDIC_DATABASE",
            problem: format!(
                "`{}` is a URL; this build keeps its record in an SQLite file, so give a path (such as errmedic.sqlite3)",
                v.split('@').next_back().unwrap_or(v)
            ),
        }),
        Some(v) => Ok(v.into()),
    }
}

fn id(value: Option<&str>, name: &'static str) -> Result<Option<u64>, ConfigError> {
    value
        .map(|v| match v.parse::<u64>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(ConfigError {
                name,
                problem: format!("`{v}` is not a Discord id (a positive number)"),
            }),
        })
        .transpose()
}

fn number(value: Option<&str>, name: &'static str, default: u64) -> Result<u64, ConfigError> {
    match value {
        None => Ok(default),
        Some(v) => v.parse().map_err(|_| ConfigError {
            name,
            problem: format!("`{v}` is not a whole number"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_without_variables() {
        let c = Config::from_vars(&vars(&[])).unwrap();
        assert_eq!(c.discord_token, None);
        assert_eq!(c.kb_dir, PathBuf::from("kb"));
        assert_eq!(c.cooldown_secs, 600);
        assert!(c.auto_reply_channels.is_empty());
    }

    #[test]
    fn malformed_values_name_the_variable() {
        let e =
            Config::from_vars(&vars(&[("ERRMEDIC_ESCALATION_CHANNEL", "general")])).unwrap_err();
        assert_eq!(e.name, "ERRMEDIC_ESCALATION_CHANNEL");
        let e = Config::from_vars(&vars(&[("ERRMEDIC_AUTO_REPLY_CHANNELS", "1, x")])).unwrap_err();
        assert_eq!(e.name, "ERRMEDIC_AUTO_REPLY_CHANNELS");
        let e = Config::from_vars(&vars(&[("ERRMEDIC_COOLDOWN_SECS", "-1")])).unwrap_err();
        assert!(e.to_string().contains("ERRMEDIC_COOLDOWN_SECS"));
    }

    #[test]
    fn a_database_url_is_refused_by_name_and_never_becomes_a_folder() {
        let e = Config::from_vars(&vars(&[(
            "ERRMEDIC_DATABASE",
            "postgres://errmedic:secret@db.internal/errmedic",
        )]))
        .unwrap_err();
        assert_eq!(e.name, "ERRMEDIC_DATABASE");
        assert!(
            e.problem.contains("is a URL") && !e.problem.contains("secret"),
            "{e}"
        );
        let c = Config::from_vars(&vars(&[("ERRMEDIC_DATABASE", "data/record.sqlite3")])).unwrap();
        assert_eq!(c.database, PathBuf::from("data/record.sqlite3"));
    }

    #[test]
    fn lists_and_ids_parse() {
        let c = Config::from_vars(&vars(&[
            ("ERRMEDIC_AUTO_REPLY_CHANNELS", "1, 22 ,"),
            ("DISCORD_GUILD_ID", "7"),
        ]))
        .unwrap();
        assert_eq!(c.auto_reply_channels, [1, 22]);
        assert_eq!(c.guild_id, Some(7));
    }

    #[test]
    fn the_token_is_never_in_debug_output() {
        let c = Config::from_vars(&vars(&[("DISCORD_TOKEN", "very-secret-token")])).unwrap();
        assert!(!format!("{c:?}").contains("very-secret-token"));
        assert_eq!(c.discord_token.unwrap().expose(), "very-secret-token");
    }

    #[test]
    fn a_malformed_env_file_names_the_file_and_line() {
        let dir = std::env::temp_dir().join(format!("errmedic-dotenv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(".env");
        std::fs::write(
            &path,
            "ERRMEDIC_TEST_DOTENV_OK=1\nthis line has no equals sign\n",
        )
        .unwrap();
        let e = load_dotenv_from(&path).unwrap_err();
        assert!(e.contains(".env") && e.contains("line 2"), "{e}");
        assert!(load_dotenv_from(&dir.join("missing.env")).is_ok());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
