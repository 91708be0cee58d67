//! Command-line commands: `ask`, `match --jsonl`, `eval`, `kb check|list|show`, and the default
//! (the bot when a Discord token is configured, the console otherwise).

use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use serde::{Deserialize, Serialize};

use super::kb_commands::{self, kb_dir, load_engine, KbCommand};
use super::{console, render};
use crate::config::Config;
use crate::devtools::eval;
use crate::engine::{Engine, Mode};
use crate::kb;

/// errmedic: answers pasted Microsoft cloud errors from a curated knowledge base.
#[derive(Debug, Parser)]
#[command(name = "errmedic", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// How logs are written to stderr: `text` for people, `json` (one object a line) for log
    /// shippers [default: ERRMEDIC_LOG_FORMAT, or text].
    #[arg(long, global = true, value_enum)]
    pub log_format: Option<LogFormat>,
}

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

impl LogFormat {
    /// `--log-format`, else `ERRMEDIC_LOG_FORMAT` (`text` or `json`), else text.
    pub fn chosen(flag: Option<LogFormat>) -> Result<LogFormat, String> {
        if let Some(f) = flag {
            return Ok(f);
        }
        match std::env::var("ERRMEDIC_LOG_FORMAT")
            .as_deref()
            .map(str::trim)
        {
            Err(_) | Ok("") | Ok("text") => Ok(LogFormat::Text),
            Ok("json") => Ok(LogFormat::Json),
            Ok(other) => Err(format!(
                "ERRMEDIC_LOG_FORMAT: `{other}` is not a log format (text or json)"
            )),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Answer an error or question, as a person reads it (text from the arguments or stdin).
    Ask {
        /// The text; read from stdin when absent.
        text: Vec<String>,
        /// Treat the text as a lookup (`/fix`) instead of a pasted message.
        #[arg(long)]
        query: bool,
        /// Knowledge-base directory [default: ERRMEDIC_KB_DIR or kb].
        #[arg(long)]
        kb: Option<PathBuf>,
    },
    /// Match JSON Lines from stdin: {"text": ..., "mode": "paste"|"query"} → one JSON line each.
    Match {
        /// Read and write JSON Lines (the only format).
        #[arg(long, required = true)]
        jsonl: bool,
        #[arg(long)]
        kb: Option<PathBuf>,
    },
    /// Run evaluation case files and print the figures and every miss.
    Eval {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        kb: Option<PathBuf>,
        /// Print, for every miss, the evidence, the gate's inputs and its decision.
        #[arg(long)]
        explain: bool,
    },
    /// Fit the auto-reply gate's weights on evaluation cases and cross-validate the fit.
    Calibrate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        kb: Option<PathBuf>,
        /// L2 penalty on the weights.
        #[arg(long, default_value_t = 0.05)]
        l2: f32,
        /// Folds of the cross-validation.
        #[arg(long, default_value_t = 5)]
        folds: usize,
    },
    /// Fit the learned reader of genre (texts that only mention errors against texts that carry
    /// one) on evaluation cases, cross-validate it by source, and write it beside the entries.
    TrainMentions {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        kb: Option<PathBuf>,
        /// Where to write the model (default: `genre/mentions.json` in the knowledge base).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Folds of the cross-validation.
        #[arg(long, default_value_t = 10)]
        folds: usize,
        /// Texts shorter than this (characters) are left to the rules.
        #[arg(long, default_value_t = 400)]
        min_chars: usize,
        /// The probability of a mention at which the gate stays silent.
        #[arg(long, default_value_t = 0.5)]
        threshold: f32,
        /// Also answer each held-out fold with the engine and a model fitted without it, at
        /// several lengths and thresholds, beside no model (the figures that choose them).
        #[arg(long)]
        answers: bool,
    },
    /// Knowledge-base tools.
    Kb {
        #[command(subcommand)]
        command: KbCommand,
    },
    /// Print the record for a support lead: entries by helpfulness, escalations, unanswered errors.
    Report {
        /// One JSON object, for tooling (an empty report when there is no record yet).
        #[arg(long)]
        json: bool,
        /// One server's view instead, as its dashboard shows it (the last 30 days).
        #[arg(long)]
        guild: Option<u64>,
    },
    /// Time the engine (shipped, 1,000- and 10,000-entry knowledge bases) against a baseline.
    Bench {
        #[arg(long)]
        kb: Option<PathBuf>,
        /// Print one JSON line of the figures instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Time a server's dashboard (record read and page drawn) with many recorded events,
    /// against an empty record in the same run.
    BenchDashboard {
        /// Events recorded for the server (and as many for another).
        #[arg(long, default_value_t = 10_000)]
        events: usize,
        #[arg(long, default_value_t = 200)]
        iterations: usize,
        /// A PostgreSQL server to bench against instead of SQLite (a scratch database is made).
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Load a knowledge base and print the resident memory in MB (used by `bench`).
    #[command(hide = true)]
    BenchRss {
        #[arg(long)]
        kb: PathBuf,
    },
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => return std::future::pending().await,
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

/// Reads evaluation case files.
fn read_cases(files: &[PathBuf]) -> anyhow::Result<Vec<eval::Case>> {
    let mut cases = Vec::new();
    for file in files {
        let text =
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        cases.extend(eval::parse_cases(&file.display().to_string(), &text)?);
    }
    Ok(cases)
}

/// Runs a parsed command line. Returns the process exit code.
pub fn run(cli: Cli, config: Config) -> anyhow::Result<i32> {
    match cli.command {
        None => serve(config),
        Some(Command::Ask { text, query, kb }) => ask(text, query, kb, &config),
        Some(Command::Match { kb, .. }) => match_lines(kb, &config),
        Some(Command::Eval { files, kb, explain }) => eval(files, kb, explain, &config),
        Some(Command::Calibrate {
            files,
            kb,
            l2,
            folds,
        }) => calibrate(files, kb, l2, folds, &config),
        Some(Command::TrainMentions {
            files,
            kb,
            out,
            folds,
            min_chars,
            threshold,
            answers,
        }) => {
            let settings = crate::devtools::mentions::Settings {
                folds,
                min_chars,
                threshold,
            };
            train_mentions(&files, kb, out, settings, answers, &config)
        }
        Some(Command::Kb { command }) => kb_commands::run(command, &config),
        Some(Command::Report { json, guild: None }) => report(json, &config),
        Some(Command::Report {
            json,
            guild: Some(g),
        }) => server_report(g, json, &config),
        Some(Command::Bench { kb, json }) => bench(kb, json, &config),
        Some(Command::BenchRss { kb }) => bench_rss(kb),
        Some(Command::BenchDashboard {
            events,
            iterations,
            postgres,
        }) => {
            print!(
                "{}",
                crate::terminal::bench_dashboard::run(
                    events,
                    iterations.max(1),
                    &config.kb_dir,
                    postgres.as_deref()
                )?
            );
            Ok(0)
        }
    }
}

/// No command: the bot when a Discord token is configured, the console otherwise.
fn serve(config: Config) -> anyhow::Result<i32> {
    match &config.discord_token {
        Some(_) => {
            let engine = load_engine(&config.kb_dir)?;
            let wiring = crate::discord::Wiring {
                api_base: config.api_base.clone(),
                handled: None,
            };
            let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
            runtime.block_on(crate::discord::run(
                config,
                engine,
                wiring,
                shutdown_signal(),
            ))?;
            Ok(0)
        }
        None => {
            let engine = load_engine(&config.kb_dir)?;
            console::run(&engine, std::io::stdin().lock(), std::io::stdout().lock())?;
            Ok(0)
        }
    }
}

/// `ask`: answers a text as the bot would (or as a lookup with `--query`).
fn ask(
    text: Vec<String>,
    query: bool,
    kb: Option<PathBuf>,
    config: &Config,
) -> anyhow::Result<i32> {
    let engine = load_engine(&kb_dir(kb, config))?;
    let text = if text.is_empty() {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("reading the text from stdin")?;
        s
    } else {
        text.join(" ")
    };
    let out = if query {
        render::lookup(&engine, &engine.query(&text))
    } else {
        render::ask(&engine, &engine.paste(&text))
    };
    print!("{out}");
    Ok(0)
}

/// `match --jsonl`: one JSON answer per input line.
fn match_lines(kb: Option<PathBuf>, config: &Config) -> anyhow::Result<i32> {
    let engine = load_engine(&kb_dir(kb, config))?;
    match_jsonl(&engine, std::io::stdin().lock(), std::io::stdout().lock())?;
    Ok(0)
}

/// `eval`: the figures of case files, and each miss (explained with `--explain`).
fn eval(
    files: Vec<PathBuf>,
    kb: Option<PathBuf>,
    explain: bool,
    config: &Config,
) -> anyhow::Result<i32> {
    let engine = load_engine(&kb_dir(kb, config))?;
    let cases = read_cases(&files)?;
    let figures = eval::run(&engine, &cases);
    for miss in &figures.misses {
        println!("{}", miss.line);
        if explain {
            println!("{}", eval::explain(&engine, &miss.case));
        }
    }
    println!("{figures}");
    Ok(0)
}

/// `calibrate`: fits the gate's weights with k-fold cross-validation and prints the reliability table.
fn calibrate(
    files: Vec<PathBuf>,
    kb: Option<PathBuf>,
    l2: f32,
    folds: usize,
    config: &Config,
) -> anyhow::Result<i32> {
    let engine = load_engine(&kb_dir(kb, config))?;
    let cases = read_cases(&files)?;
    let samples = crate::devtools::calibrate::samples(&engine, &cases);
    print!(
        "{}",
        crate::devtools::calibrate::report(&samples, l2, folds.max(2))
    );
    Ok(0)
}

fn train_mentions(
    files: &[PathBuf],
    kb: Option<PathBuf>,
    out: Option<PathBuf>,
    settings: crate::devtools::mentions::Settings,
    answers: bool,
    config: &Config,
) -> anyhow::Result<i32> {
    if !(settings.threshold > 0.0 && settings.threshold < 1.0) {
        bail!(
            "--threshold {} is not a probability between 0 and 1",
            settings.threshold
        );
    }
    // The frozen split measures the engine once, at the end: nothing is ever fitted on it.
    if let Some(frozen) = files
        .iter()
        .find(|f| f.file_name().is_some_and(|n| n == "frozen.jsonl"))
    {
        bail!(
            "{} is the frozen split of the collected cases: nothing is fitted on it",
            frozen.display()
        );
    }
    let cases = read_cases(files)?;
    let (mut model, held) = crate::devtools::mentions::train(&cases, settings)?;
    let names: Vec<String> = files
        .iter()
        .map(|f| {
            f.file_name().map_or_else(
                || f.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        })
        .collect();
    model.trained_on = format!("Fitted on {}. {}", names.join(", "), model.trained_on);
    print!("{}", held.table(&[0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7]));
    if answers {
        let dir = kb_dir(kb.clone(), config);
        let shipped = crate::kb::load_dir(&dir)
            .with_context(|| format!("loading the knowledge base at {}", dir.display()))?;
        let grid: Vec<(usize, f32)> = [200, 300, 400]
            .into_iter()
            .flat_map(|m| [0.4, 0.45, 0.5, 0.6].map(|t| (m, t)))
            .collect();
        print!(
            "{}",
            crate::devtools::mentions::answers_table(&crate::devtools::mentions::answers(
                &cases,
                &shipped,
                settings.folds,
                &grid
            ))
        );
    }
    let out = out.unwrap_or_else(|| kb_dir(kb, config).join(crate::kb::mentions::MENTIONS_FILE));
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(&out, serde_json::to_string_pretty(&model)? + "\n")
        .with_context(|| format!("writing {}", out.display()))?;
    println!("{}", model.trained_on);
    println!(
        "{} features written to {}",
        model.weights.len(),
        out.display()
    );
    Ok(0)
}

/// `report --guild`: one server's view, the numbers of its dashboard (JSON as the dashboard's
/// `?format=json`; text as its tables).
fn server_report(guild: u64, json: bool, config: &Config) -> anyhow::Result<i32> {
    use crate::dashboard::{home, tables, View};
    if !config.database.exists() {
        bail!(
            "no record at {} yet (ERRMEDIC_DATABASE); the bot creates it on first run",
            config.database
        );
    }
    let store = crate::store::Store::connect(&config.database)?;
    let now = crate::text::dates::unix_now();
    let view = View {
        server: store.server_view(guild, now)?,
        home: (Some(guild) == config.home_guild)
            .then(|| home::read(&config.kb_dir, now.div_euclid(86_400))),
    };
    if json {
        println!("{}", serde_json::to_string(&view)?);
        return Ok(0);
    }
    for name in tables::NAMES {
        let Some(t) = tables::table(name, &view.server, view.home.as_ref()) else {
            continue;
        };
        println!("## {name} ({} rows)", t.rows.len());
        println!("{}", t.headers.join("\t"));
        for r in &t.rows {
            println!("{}", r.join("\t"));
        }
        println!();
    }
    Ok(0)
}

/// `report`: the record summarised, as text or JSON.
fn report(json: bool, config: &Config) -> anyhow::Result<i32> {
    let report = if config.database.exists() {
        crate::store::Store::connect(&config.database)?.report_data()?
    } else if json {
        crate::store::Report::default()
    } else {
        bail!(
            "no record at {} yet (ERRMEDIC_DATABASE); the bot creates it on first run",
            config.database
        );
    };
    if json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print!("{report}");
    }
    Ok(0)
}

/// `bench`: timings against a same-run baseline.
fn bench(kb: Option<PathBuf>, json: bool, config: &Config) -> anyhow::Result<i32> {
    let dir = kb_dir(kb, config);
    let shipped = kb::load_dir(&dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    let scratch = std::env::temp_dir().join(format!("errmedic-bench-{}", std::process::id()));
    let exe = std::env::current_exe().context("finding the errmedic binary")?;
    let rss = |dir: &Path| -> Option<f64> {
        let out = std::process::Command::new(&exe)
            .args(["bench-rss", "--kb"])
            .arg(dir)
            .output()
            .ok()?;
        String::from_utf8_lossy(&out.stdout).trim().parse().ok()
    };
    let mut progress = |what: &str| eprintln!("bench: {what}…");
    let figures = crate::devtools::bench::run(&dir, &shipped, &scratch, &rss, &mut progress);
    let _ = std::fs::remove_dir_all(&scratch);
    let figures = figures?;
    if json {
        println!("{}", crate::devtools::bench::json(&figures));
    } else {
        print!("{}", crate::devtools::bench::table(&figures));
    }
    Ok(0)
}

/// `bench-rss`: the resident memory of a loaded knowledge base (run by `bench`).
fn bench_rss(kb: PathBuf) -> anyhow::Result<i32> {
    let engine = load_engine(&kb)?;
    std::hint::black_box(&engine);
    println!(
        "{:.1}",
        crate::devtools::bench::resident_mb().unwrap_or(0.0)
    );
    Ok(0)
}

/// One input line of `match --jsonl`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MatchInput {
    text: String,
    #[serde(default = "paste_mode")]
    mode: String,
}

fn paste_mode() -> String {
    "paste".into()
}

/// One output line of `match --jsonl`.
#[derive(Debug, Serialize, PartialEq)]
pub struct MatchOutput {
    pub auto_reply: Option<String>,
    pub top: Vec<Ranked>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct Ranked {
    pub id: String,
    pub score: f32,
    pub reasons: Vec<String>,
}

/// The output for one input line; a line that is not valid input gets an `error` and no answer.
pub fn match_line(engine: &Engine, line: &str) -> MatchOutput {
    let input: MatchInput = match serde_json::from_str(line) {
        Ok(i) => i,
        Err(e) => {
            return MatchOutput {
                auto_reply: None,
                top: vec![],
                error: Some(format!("not a match input: {e}")),
            }
        }
    };
    let mode = match input.mode.as_str() {
        "paste" => Mode::Paste,
        "query" => Mode::Query,
        other => {
            return MatchOutput {
                auto_reply: None,
                top: vec![],
                error: Some(format!("unknown mode `{other}`: use paste or query")),
            }
        }
    };
    let answer = engine.answer(&input.text, mode);
    MatchOutput {
        auto_reply: engine.auto_reply_id(&answer).map(str::to_string),
        top: answer
            .matches
            .iter()
            .take(3)
            .map(|m| Ranked {
                id: engine.entry(m.entry).id.clone(),
                score: (m.score * 1000.0).round() / 1000.0,
                reasons: m.reasons.clone(),
            })
            .collect(),
        error: None,
    }
}

/// Runs `match --jsonl`: one output line per non-empty input line, in order.
pub fn match_jsonl(engine: &Engine, input: impl BufRead, output: impl Write) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(output);
    for line in input.lines() {
        let line = line.context("reading stdin")?;
        if line.trim().is_empty() {
            continue;
        }
        serde_json::to_writer(&mut out, &match_line(engine, &line))?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}
