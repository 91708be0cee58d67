//! The `errmedic` binary: parses the command line, sets up logging, and runs the command.

use clap::Parser;

fn main() {
    // `.env` first, so that what it sets (`RUST_LOG` among it) counts from the start.
    if let Err(e) = errmedic::config::load_dotenv() {
        eprintln!("errmedic: {e}");
        std::process::exit(2);
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        // Colours only on a terminal, not in a log file.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let cli = errmedic::terminal::cli::Cli::parse();
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
