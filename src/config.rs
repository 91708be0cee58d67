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
    /// `ERRMEDIC_HOME_GUILD` (or else `DISCORD_GUILD_ID`): the operators' own server. The
    /// channel and role defaults below name its channels and roles, and apply only there; its
    /// staff may run the commands that change every server (`/kb reload`, drafts).
    pub home_guild: Option<u64>,
    /// `ERRMEDIC_ESCALATION_INTERVAL_SECS`: at most one new escalation per user within this.
    pub escalation_interval_secs: u64,
    /// `ERRMEDIC_AUTO_REPLY_CHANNELS`: channel ids where pastes get auto-replies; empty = all.
    pub auto_reply_channels: Vec<u64>,
    /// `ERRMEDIC_ESCALATION_CHANNEL`: where escalation threads are opened.
    pub escalation_channel: Option<u64>,
    /// `ERRMEDIC_SUPPORT_ROLE`: the role pinged in a new escalation thread.
    pub support_role: Option<u64>,
    /// `ERRMEDIC_STAFF_ROLE`: the role allowed staff-only commands (besides Manage Server).
    pub staff_role: Option<u64>,
    /// `ERRMEDIC_DATABASE`: the record — an SQLite file, or a PostgreSQL URL shared by several
    /// processes.
    pub database: Database,
    /// `ERRMEDIC_SHARDS`: the gateway shards this process runs (`0-3/8`); `None` = as many as
    /// Discord recommends, all in this process.
    pub shards: Option<Shards>,
    /// `ERRMEDIC_KB_DIR`: the knowledge-base directory.
    pub kb_dir: PathBuf,
    /// `ERRMEDIC_KB_FOLLOW_SECS`: how often a process checks the record for a `/kb reload` done
    /// in another process (and reloads too).
    pub kb_follow_secs: u64,
    /// `ERRMEDIC_COOLDOWN_SECS`: the same entry is not auto-posted again in a channel within this.
    pub cooldown_secs: u64,
    /// `ERRMEDIC_USER_RATE_SECS`: at most one auto-reply per user within this.
    pub user_rate_secs: u64,
    /// `ERRMEDIC_MAX_ATTACHMENT_BYTES`: text attachments larger than this are read only in part.
    pub max_attachment_bytes: u64,
    /// `ERRMEDIC_HTTP_ADDR`: where the bot serves `/healthz`, `/readyz` and `/metrics`
    /// (`127.0.0.1:9464`); unset or empty = no listener.
    pub http_addr: Option<std::net::SocketAddr>,
    /// `ERRMEDIC_PUBLIC_URL`: where people reach that listener (through the operator's reverse
    /// proxy, `https://errmedic.example.org`); dashboard links start with it. Unset = no links.
    pub public_url: Option<String>,
    /// `ERRMEDIC_DASHBOARD_KEY`: the key dashboard links are signed with (at least 32
    /// characters); unset = one generated once and kept in the record.
    pub dashboard_key: Option<Secret>,
    /// `ERRMEDIC_DASHBOARD_HOURS`: how long a dashboard link stays valid (24).
    pub dashboard_hours: u64,
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
            // Named by its key only: the value may be a secret.
            let key: String = line
                .split('=')
                .next()
                .unwrap_or("")
                .trim()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .take(60)
                .collect();
            let what = if key.is_empty() {
                "this line".to_string()
            } else {
                format!("the line of `{key}`")
            };
            Err(format!(
                "{}:{number}: {what} is not NAME=value (quote values with spaces or special characters; the value is not shown)",
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
        let guild_id = id(get("DISCORD_GUILD_ID"), "DISCORD_GUILD_ID")?;
        let home_guild = id(get("ERRMEDIC_HOME_GUILD"), "ERRMEDIC_HOME_GUILD")?.or(guild_id);
        // A channel or role names one server's: without saying which, it cannot apply anywhere.
        if home_guild.is_none() {
            for name in [
                "ERRMEDIC_AUTO_REPLY_CHANNELS",
                "ERRMEDIC_ESCALATION_CHANNEL",
                "ERRMEDIC_SUPPORT_ROLE",
                "ERRMEDIC_STAFF_ROLE",
            ] {
                if get(name).is_some() {
                    return Err(ConfigError {
                        name,
                        problem: "names a channel or role of one server: set ERRMEDIC_HOME_GUILD (or DISCORD_GUILD_ID) to that server's id".into(),
                    });
                }
            }
        }
        Ok(Config {
            discord_token: get("DISCORD_TOKEN").map(|t| Secret::new(t.to_string())),
            guild_id,
            home_guild,
            escalation_interval_secs: number(
                get("ERRMEDIC_ESCALATION_INTERVAL_SECS"),
                "ERRMEDIC_ESCALATION_INTERVAL_SECS",
                300,
            )?,
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
            shards: get("ERRMEDIC_SHARDS")
                .map(|v| {
                    v.parse().map_err(|problem| ConfigError {
                        name: "ERRMEDIC_SHARDS",
                        problem,
                    })
                })
                .transpose()?,
            kb_dir: get("ERRMEDIC_KB_DIR").unwrap_or("kb").into(),
            kb_follow_secs: number(
                get("ERRMEDIC_KB_FOLLOW_SECS"),
                "ERRMEDIC_KB_FOLLOW_SECS",
                30,
            )?
            .max(1),
            cooldown_secs: number(get("ERRMEDIC_COOLDOWN_SECS"), "ERRMEDIC_COOLDOWN_SECS", 600)?,
            user_rate_secs: number(
                get("ERRMEDIC_USER_RATE_SECS"),
                "ERRMEDIC_USER_RATE_SECS",
                10,
            )?,
            http_addr: get("ERRMEDIC_HTTP_ADDR")
                .map(|v| {
                    v.parse().map_err(|_| ConfigError {
                        name: "ERRMEDIC_HTTP_ADDR",
                        problem: format!(
                            "`{v}` is not an address and port (such as 127.0.0.1:9464)"
                        ),
                    })
                })
                .transpose()?,
            public_url: get("ERRMEDIC_PUBLIC_URL")
                .map(|v| {
                    if v.starts_with("https://") || v.starts_with("http://") {
                        Ok(v.trim_end_matches('/').to_string())
                    } else {
                        Err(ConfigError {
                            name: "ERRMEDIC_PUBLIC_URL",
                            problem: format!("`{v}` is not an http:// or https:// URL"),
                        })
                    }
                })
                .transpose()?,
            dashboard_key: get("ERRMEDIC_DASHBOARD_KEY")
                .map(|v| {
                    if v.chars().count() >= 32 {
                        Ok(Secret::new(v.to_string()))
                    } else {
                        Err(ConfigError {
                            name: "ERRMEDIC_DASHBOARD_KEY",
                            problem: "is shorter than 32 characters; use a long random value (openssl rand -hex 32)".into(),
                        })
                    }
                })
                .transpose()?,
            dashboard_hours: number(
                get("ERRMEDIC_DASHBOARD_HOURS"),
                "ERRMEDIC_DASHBOARD_HOURS",
                24,
            )?
            .clamp(1, 24 * 90),
            max_attachment_bytes: number(
                get("ERRMEDIC_MAX_ATTACHMENT_BYTES"),
                "ERRMEDIC_MAX_ATTACHMENT_BYTES",
                256 * 1024,
            )?,
        })
    }
}

/// Where the record is kept.
#[derive(Debug, Clone, PartialEq)]
pub enum Database {
    /// An SQLite file: one process.
    Sqlite(PathBuf),
    /// A PostgreSQL URL (`postgres://user:password@host/db`): shared by several processes.
    Postgres(Secret),
}

impl Database {
    /// Whether the record is already there to read (a PostgreSQL server is asked when used).
    pub fn exists(&self) -> bool {
        match self {
            Database::Sqlite(path) => path.exists(),
            Database::Postgres(_) => true,
        }
    }
}

impl fmt::Display for Database {
    /// The file, or the server and database without user or password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Database::Sqlite(path) => write!(f, "{}", path.display()),
            Database::Postgres(url) => {
                let url = url.expose();
                let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
                let rest = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
                let rest = rest.split('?').next().unwrap_or(rest);
                write!(f, "{scheme}://{rest}")
            }
        }
    }
}

/// The record: a path is an SQLite file; `postgres://` or `postgresql://` a PostgreSQL server.
/// Any other URL is refused by name rather than taken for a folder called `scheme:`.
fn database(value: Option<&str>) -> Result<Database, ConfigError> {
    match value {
        None => Ok(Database::Sqlite("errmedic.sqlite3".into())),
        Some(v) if v.starts_with("postgres://") || v.starts_with("postgresql://") => {
            match v.parse::<postgres::Config>() {
                Ok(c) if c.get_ssl_mode() == postgres::config::SslMode::Require => Err(ConfigError {
                    name: "ERRMEDIC_DATABASE",
                    problem: "sslmode=require: this build connects to PostgreSQL without TLS; keep the database on a private network (or reach it through a tunnel) and drop sslmode".into(),
                }),
                Ok(_) => Ok(Database::Postgres(Secret::new(v.to_string()))),
                Err(e) => Err(ConfigError {
                    name: "ERRMEDIC_DATABASE",
                    problem: format!("the PostgreSQL URL cannot be read: {e}"),
                }),
            }
        }
        Some(v) if v.contains("://") => Err(ConfigError {
            name: "ERRMEDIC_DATABASE",
            problem: format!(
                "`{}://…` is not a database errmedic supports: give a path for an SQLite file (such as errmedic.sqlite3) or a postgres:// URL",
                v.split("://").next().unwrap_or(v)
            ),
        }),
        Some(v) => Ok(Database::Sqlite(v.into())),
    }
}

/// The gateway shards one process runs: `first..=last` of `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shards {
    pub first: u32,
    pub last: u32,
    pub total: u32,
}

impl std::str::FromStr for Shards {
    type Err = String;

    /// `0-3/8` (shards 0 to 3 of 8) or `1/2` (shard 1 of 2).
    fn from_str(v: &str) -> Result<Shards, String> {
        let shape =
            || format!("`{v}` is not FIRST-LAST/TOTAL or SHARD/TOTAL (such as 0-3/8 or 1/2)");
        let (range, total) = v.trim().split_once('/').ok_or_else(shape)?;
        let (first, last) = range.split_once('-').unwrap_or((range, range));
        let number = |s: &str| s.trim().parse::<u32>().map_err(|_| shape());
        let (first, last, total) = (number(first)?, number(last)?, number(total)?);
        if total == 0 {
            return Err(format!(
                "`{v}`: the total number of shards must be at least 1"
            ));
        }
        if first > last {
            return Err(format!("`{v}`: the first shard comes after the last"));
        }
        if last >= total {
            return Err(format!(
                "`{v}`: shards are numbered from 0 to {}, so there is no shard {last}",
                total - 1
            ));
        }
        Ok(Shards { first, last, total })
    }
}

impl fmt::Display for Shards {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}/{}", self.first, self.last, self.total)
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
    fn the_database_is_a_path_or_a_postgres_url_and_nothing_else() {
        let c = Config::from_vars(&vars(&[(
            "ERRMEDIC_DATABASE",
            "postgres://errmedic:secret@db.internal:5433/errmedic?connect_timeout=5",
        )]))
        .unwrap();
        assert!(matches!(c.database, Database::Postgres(_)));
        let shown = c.database.to_string();
        assert_eq!(shown, "postgres://db.internal:5433/errmedic");
        assert!(!format!("{c:?}").contains("secret"));
        for bad in ["mysql://u:secret@h/db", "redis://h", "sqlite://x.db"] {
            let e = Config::from_vars(&vars(&[("ERRMEDIC_DATABASE", bad)])).unwrap_err();
            assert_eq!(e.name, "ERRMEDIC_DATABASE");
            assert!(
                e.problem.contains("not a database errmedic supports")
                    && !e.problem.contains("secret"),
                "{e}"
            );
        }
        let e = Config::from_vars(&vars(&[(
            "ERRMEDIC_DATABASE",
            "postgres://u:secret@h/db?sslmode=require",
        )]))
        .unwrap_err();
        assert!(
            e.problem.contains("without TLS") && !e.problem.contains("secret"),
            "{e}"
        );
        let e = Config::from_vars(&vars(&[("ERRMEDIC_DATABASE", "postgres://h:notaport/db")]))
            .unwrap_err();
        assert!(e.problem.contains("cannot be read"), "{e}");
        let c = Config::from_vars(&vars(&[("ERRMEDIC_DATABASE", "data/record.sqlite3")])).unwrap();
        assert_eq!(c.database, Database::Sqlite("data/record.sqlite3".into()));
    }

    #[test]
    fn shards_are_a_range_of_a_total() {
        let cases = [
            ("0-3/8", Ok((0, 3, 8))),
            ("1/2", Ok((1, 1, 2))),
            (" 0 / 1 ", Ok((0, 0, 1))),
            ("2-1/4", Err("comes after")),
            ("0-8/8", Err("no shard 8")),
            ("0/0", Err("at least 1")),
            ("three", Err("is not FIRST-LAST/TOTAL")),
            ("1-/2", Err("is not FIRST-LAST/TOTAL")),
        ];
        for (text, want) in cases {
            let got = text.parse::<Shards>();
            match want {
                Ok((first, last, total)) => {
                    assert_eq!(got, Ok(Shards { first, last, total }), "{text}")
                }
                Err(p) => assert!(
                    got.as_ref().is_err_and(|e| e.contains(p)),
                    "{text}: {got:?}"
                ),
            }
        }
        let e = Config::from_vars(&vars(&[("ERRMEDIC_SHARDS", "4/4")])).unwrap_err();
        assert_eq!(e.name, "ERRMEDIC_SHARDS");
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
