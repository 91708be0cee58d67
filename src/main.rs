//! The `errmedic` binary: parses the command line, sets up logging, and runs the command.

use clap::Parser;

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = errmedic::cli::Cli::parse();
    let code = match errmedic::config::Config::from_env() {
        Err(e) => {
            eprintln!("errmedic: {e}");
            2
        }
        Ok(config) => match errmedic::cli::run(cli, config) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("errmedic: {e:#}");
                1
            }
        },
    };
    std::process::exit(code);
}
