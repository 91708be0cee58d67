//! The terminal chat: behaves as the bot does in a channel. A pasted message gets the
//! auto-reply or nothing; `/fix`, `/kb show`, `/kb list`, `/help` and `/quit` are commands.
//! A message ends with an empty line, so multi-line pastes arrive whole.

use std::io::{BufRead, Write};

use crate::engine::Engine;
use crate::kb::Product;
use crate::terminal::render;

/// What one console input asks for: decided without I/O.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Paste(String),
    Fix(String),
    KbShow(String),
    KbList(Option<String>),
    Help,
    Quit,
    Unknown(String),
}

/// Reads a complete message (one command line, or a paste) into what it asks for.
pub fn parse(message: &str) -> Input {
    let trimmed = message.trim();
    let Some(command) = trimmed.strip_prefix('/') else {
        return Input::Paste(message.to_string());
    };
    let (name, rest) = command
        .split_once(char::is_whitespace)
        .unwrap_or((command, ""));
    let rest = rest.trim();
    match name {
        "fix" => Input::Fix(rest.to_string()),
        "kb" => {
            let (sub, arg) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            let arg = arg.trim();
            match sub {
                "show" => Input::KbShow(arg.to_string()),
                "list" => Input::KbList((!arg.is_empty()).then(|| arg.to_string())),
                _ => Input::Unknown(trimmed.to_string()),
            }
        }
        "help" => Input::Help,
        "quit" | "exit" => Input::Quit,
        _ => Input::Paste(message.to_string()),
    }
}

const HELP: &str = "\
Paste an error (end it with an empty line) and errmedic answers when it recognises it, as the bot does in a channel.
Commands:
  /fix TEXT        look up the best entries for TEXT
  /kb show ID      show one entry
  /kb list [PRODUCT]  list entries (products: CSP, Graph, Exchange Online, Entra, Intune, Teams)
  /help            this help
  /quit            leave
";

/// The reply to one input, or `None` to quit.
pub fn respond(engine: &Engine, input: &Input) -> Option<String> {
    let text = match input {
        Input::Quit => return None,
        Input::Help => HELP.to_string(),
        Input::Paste(text) => {
            let answer = engine.paste(text);
            render::auto_reply(engine, &answer).unwrap_or_else(|| {
                "(errmedic stays silent: nothing it is sure of. Try /fix.)\n".to_string()
            })
        }
        Input::Fix(q) if q.trim().is_empty() => {
            "Usage: /fix TEXT — for example /fix token expired\n".to_string()
        }
        Input::Fix(q) => render::lookup(engine, &engine.query(q)),
        Input::KbShow(id) => match engine.kb().get(id) {
            Some(e) => render::entry(e),
            None => format!("No entry `{id}`. /kb list shows the ids.\n"),
        },
        Input::KbList(product) => list(engine, product.as_deref()),
        Input::Unknown(cmd) => format!("Unknown command `{cmd}`. /help lists the commands.\n"),
    };
    Some(text)
}

fn list(engine: &Engine, product: Option<&str>) -> String {
    let filter = match product.map(|p| (p, Product::parse(p))) {
        Some((p, None)) => {
            return format!(
            "Unknown product `{p}`: one of CSP, Graph, Exchange Online, Entra, Intune, Teams.\n"
        )
        }
        Some((_, Some(p))) => Some(p),
        None => None,
    };
    let mut out = String::new();
    for e in engine.kb().curated() {
        if filter.is_none_or(|p| e.products.contains(&p)) {
            out.push_str(&format!("{:<36} {}\n", e.id, e.title));
        }
    }
    let reference = engine.kb().reference().count();
    if reference > 0 {
        out.push_str(&format!(
            "…and {reference} reference entries (the general meaning of Entra and Graph codes): `/fix <code>` finds one.\n"
        ));
    }
    out
}

/// Runs the console on any input and output, until `/quit` or the end of input.
pub fn run(engine: &Engine, input: impl BufRead, mut output: impl Write) -> std::io::Result<()> {
    writeln!(output, "errmedic console — {} curated entries, {} reference entries. No DISCORD_TOKEN is configured, so errmedic runs here instead of in Discord; set DISCORD_TOKEN (in the environment or .env) to run the bot.", engine.kb().curated().count(), engine.kb().reference().count())?;
    writeln!(
        output,
        "Paste an error and end it with an empty line; /help lists the commands."
    )?;
    output.flush()?;
    let mut message = String::new();
    let mut lines = input.lines();
    loop {
        let line = lines.next().transpose()?;
        let ends = match &line {
            None => true,
            Some(l) if l.trim().is_empty() => true,
            // A command is one line.
            Some(l) if message.is_empty() && l.trim_start().starts_with('/') => {
                message.push_str(l);
                true
            }
            Some(l) => {
                message.push_str(l);
                message.push('\n');
                false
            }
        };
        if ends && !message.trim().is_empty() {
            match respond(engine, &parse(&message)) {
                Some(reply) => {
                    writeln!(output, "{reply}")?;
                    output.flush()?;
                }
                None => return Ok(()),
            }
            message.clear();
        }
        if line.is_none() {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse() {
        assert_eq!(
            parse("/fix token expired"),
            Input::Fix("token expired".into())
        );
        assert_eq!(
            parse("/kb show token-expired"),
            Input::KbShow("token-expired".into())
        );
        assert_eq!(parse("/kb list"), Input::KbList(None));
        assert_eq!(
            parse("/kb list Exchange Online"),
            Input::KbList(Some("Exchange Online".into()))
        );
        assert_eq!(parse("/kb frob"), Input::Unknown("/kb frob".into()));
        assert_eq!(parse(" /quit "), Input::Quit);
        assert_eq!(parse("/help"), Input::Help);
    }

    #[test]
    fn text_that_only_starts_with_a_slash_is_a_paste() {
        assert_eq!(
            parse("/var/log/app.log: failed"),
            Input::Paste("/var/log/app.log: failed".into())
        );
        assert_eq!(
            parse("AADSTS50076: x"),
            Input::Paste("AADSTS50076: x".into())
        );
    }
}
