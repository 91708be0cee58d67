//! The `errmedic` binary: parses the command line, sets up logging, and runs the command.

use clap::Parser;
use errmedic::terminal::cli::LogFormat;

fn main() {
    // `.env` first, so that what it sets (`RUST_LOG` among it) counts from the start.
    if let Err(e) = errmedic::config::load_dotenv() {
        eprintln!("errmedic: {e}");
        std::process::exit(2);
    }
    let cli = errmedic::terminal::cli::Cli::parse();
    if cli.command.is_some() {
        end_quietly_on_closed_pipe();
    }
    let format = match LogFormat::chosen(cli.log_format) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("errmedic: {e}");
            std::process::exit(2);
        }
    };
    let logs = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr);
    match format {
        // One JSON object a line, for log shippers: the same events and fields as the text.
        LogFormat::Json => logs.json().init(),
        // Colours only on a terminal, not in a log file.
        LogFormat::Text => logs
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init(),
    }
    let code = match errmedic::config::Config::from_env() {
        Err(e) => {
            eprintln!("errmedic: {e}");
            2
        }
        Ok(config) => {
            tracing::debug!(kb = %config.kb_dir.display(), discord = config.discord_token.is_some(), "configuration read");
            match errmedic::terminal::cli::run(cli, config) {
                Ok(code) => code,
                Err(e) => {
                    eprintln!("errmedic: {e:#}");
                    1
                }
            }
        }
    };
    std::process::exit(code);
}

/// A one-shot command whose reader goes away (`errmedic eval … | head`) ends as other
/// command-line tools do, by the default action of SIGPIPE, instead of failing on its next
/// write. The bot (no command) keeps the standard library's choice of ignoring the signal: a
/// closed pipe must never stop it.
fn end_quietly_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: called once at start, before any thread is spawned; `SIG_DFL` is a valid action
    // for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
