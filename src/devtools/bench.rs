//! `errmedic bench`: in-process timings of the engine on the shipped knowledge base and on
//! synthetic ones of 1,000 and 10,000 entries, against a straightforward baseline timed in the
//! same run.

use std::fmt::Write;
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use crate::engine::Engine;
use crate::kb::{Entry, KnowledgeBase};

/// Pasted errors of about 500 bytes, with the noise real pastes carry.
pub const PASTES: [&str; 4] = [
    "Getting this since this morning when the workflow runs:\n```\nInvoke-RestMethod : {\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Access token has expired or is not yet valid.\",\"innerError\":{\"date\":\"2024-02-20T05:06:48\",\"request-id\":\"b04ace1e-13a0-4940-b489-f86dcca10985\",\"client-request-id\":\"b04ace1e-13a0-4940-b489-f86dcca10985\"}}}\nAt C:\\scripts\\sync.ps1:42 char:9\n+ $r = Invoke-RestMethod -Uri $uri -Headers $h\n+      ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n```\nany idea?",
    "Set-Mailbox : Active Directory operation failed on DM5PR01A001DC01.NAMPR01A001.PROD.OUTLOOK.COM. This error is not retriable. Additional information: Insufficient access rights to perform the operation.\nActive directory response: 00002098: SecErr: DSID-03150E49, problem 4003 (INSUFF_ACCESS_RIGHTS), data 0\n    + CategoryInfo          : NotSpecified: (:) [Set-Mailbox], ADOperationException\n    + FullyQualifiedErrorId : [Server=BN8PR01MB1234,RequestId=d4b0f4e2-1a2b-4c3d-9e8f-f0a1b2c3d4e3,TimeStamp=5/21/2021 8:14:12 PM]",
    "Invoke-RestMethod : {\"error\":\"interaction_required\",\"error_description\":\"AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'.\\r\\nTrace ID: 8fd8421c-4adc-405f-92f9-f2bd61326000\\r\\nCorrelation ID: 46d130f0-2301-45c2-9b6b-e848bc7502b9\\r\\nTimestamp: 2022-02-03 11:11:23Z\",\"error_codes\":[50076],\"timestamp\":\"2022-02-03 11:11:23Z\"}",
    "##[error]Exception calling \"GetResult\" with \"0\" argument(s): \"AADSTS700016: Application with identifier 'a1b2c3d4-0000-4000-8000-123456789abc' was not found in the directory 'contoso.onmicrosoft.com'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.\r\nTrace ID: 0f0e0d0c-0b0a-4909-8807-060504030201\"",
];

/// Ordinary chat messages of about 100 bytes.
pub const CHATS: [&str; 4] = [
    "Morning all, did anyone else see the nightly sync run slow? Mine took ages to finish yesterday.",
    "Thanks, that worked! I'll close the ticket and let the customer know it is sorted now. Cheers",
    "Has anyone got a good checklist for onboarding a new customer? Looking to tidy ours up a bit.",
    "I'm out this afternoon for a dentist appointment, ping me on my phone if anything urgent comes up",
];

/// Lookups of a few words, typos included.
pub const QUERIES: [&str; 4] = [
    "token expird",
    "mfa requried partner center",
    "send as permision denied",
    "applifecycle 2210 intune",
];

/// Median and 99th percentile of a set of timings, in microseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    pub median: f64,
    pub p99: f64,
}

/// Times `f` over `iterations` runs, cycling through `inputs`.
pub fn measure(iterations: usize, inputs: &[&str], mut f: impl FnMut(&str)) -> Stats {
    for input in inputs {
        f(input);
    }
    let mut samples: Vec<f64> = (0..iterations)
        .map(|i| {
            let input = inputs[i % inputs.len()];
            let start = Instant::now();
            f(input);
            start.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    Stats {
        median: at(0.5),
        p99: at(0.99),
    }
}

/// A straightforward first version: compares the input with every entry's text using strsim.
pub struct Baseline {
    texts: Vec<String>,
}

impl Baseline {
    pub fn new(entries: &[Entry]) -> Baseline {
        let texts = entries
            .iter()
            .map(|e| {
                let m = &e.matching;
                format!(
                    "{} {} {} {} {}",
                    e.title,
                    m.codes.join(" "),
                    m.messages.join(" "),
                    m.keywords.join(" "),
                    e.cause
                )
                .to_lowercase()
            })
            .collect();
        Baseline { texts }
    }

    /// The best entry and its similarity.
    pub fn best(&self, input: &str) -> Option<(usize, f64)> {
        let input = input.to_lowercase();
        self.texts
            .iter()
            .enumerate()
            .map(|(i, t)| (i, strsim::sorensen_dice(&input, t)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
    }
}

/// One named figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub name: String,
    pub value: f64,
    pub unit: &'static str,
}

fn push(out: &mut Vec<Figure>, name: &str, stats: Stats) {
    out.push(Figure {
        name: name.into(),
        value: stats.median,
        unit: "µs median",
    });
    out.push(Figure {
        name: format!("{name}_p99"),
        value: stats.p99,
        unit: "µs p99",
    });
}

/// Runs every benchmark. `shipped` is the loaded knowledge base at `kb_dir`; `scratch` is a
/// directory for the synthetic knowledge bases. `rss` measures the resident memory of a process
/// that loads a directory (a child process, so that the figure is the load alone).
pub fn run(
    kb_dir: &Path,
    shipped: &KnowledgeBase,
    scratch: &Path,
    rss: &dyn Fn(&Path) -> Option<f64>,
    progress: &mut dyn FnMut(&str),
) -> anyhow::Result<Vec<Figure>> {
    let mut out = Vec::new();
    progress("shipped knowledge base");
    // Synthetic knowledge bases grow from the curated entries (the reference tier is its own
    // folder, which they do not have).
    let curated: Vec<Entry> = shipped.curated().cloned().collect();
    let (engine, load_stats) = load(kb_dir, 21)?;
    let sizes: [(&str, usize, usize); 3] = [
        ("", engine.kb().entries.len(), 20_000),
        ("_1k", 1_000, 5_000),
        ("_10k", 10_000, 2_000),
    ];
    for (suffix, size, iterations) in sizes {
        let (engine, load_stats) = if suffix.is_empty() {
            if let Some(mb) = rss(kb_dir) {
                out.push(Figure {
                    name: "rss_mb".into(),
                    value: mb,
                    unit: "MB",
                });
            }
            (Engine::new(shipped.clone()), load_stats)
        } else {
            progress(&format!("synthetic knowledge base of {size} entries"));
            let dir = scratch.join(format!("kb{suffix}"));
            let _ = std::fs::remove_dir_all(&dir);
            crate::devtools::synth::write_dir(
                &crate::devtools::synth::knowledge_base(&curated, size, 42),
                &dir,
            )?;
            // The same reader of genre as the shipped knowledge base.
            if let Some(model) = &shipped.mentions {
                let path = dir.join(crate::kb::mentions::MENTIONS_FILE);
                std::fs::create_dir_all(path.parent().unwrap_or(&dir))?;
                std::fs::write(&path, serde_json::to_string(model)?)?;
            }
            let loaded = load(&dir, 3)?;
            if suffix == "_10k" {
                if let Some(mb) = rss(&dir) {
                    out.push(Figure {
                        name: "rss_mb_10k".into(),
                        value: mb,
                        unit: "MB",
                    });
                }
            }
            let _ = std::fs::remove_dir_all(&dir);
            loaded
        };
        out.push(Figure {
            name: format!("load_ms{suffix}"),
            value: load_stats.median,
            unit: "ms median",
        });
        timings(&mut out, &engine, suffix, iterations);
        if suffix.is_empty() {
            varied(&mut out, &engine, shipped, iterations);
            redaction(&mut out, &engine, iterations / 4);
            push(
                &mut out,
                "genre_us",
                measure(iterations, &PASTES, |t| {
                    black_box(engine.mention_probability(t));
                }),
            );
        }
        against_baseline(&mut out, &engine, suffix, size);
    }
    Ok(out)
}

/// Loads a knowledge base `runs` times: the engine, and the load times.
fn load(dir: &Path, runs: usize) -> anyhow::Result<(Engine, Stats)> {
    let mut times = Vec::new();
    let mut engine = None;
    for _ in 0..runs {
        let start = Instant::now();
        let kb = crate::kb::load_dir(dir)?;
        let e = Engine::new(kb);
        times.push(start.elapsed().as_secs_f64() * 1e3);
        engine = Some(e);
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    Ok((
        engine.expect("at least one run"),
        Stats {
            median,
            p99: times[times.len() - 1],
        },
    ))
}

/// Pastes, chat and lookups timed on an engine.
fn timings(out: &mut Vec<Figure>, engine: &Engine, suffix: &str, iterations: usize) {
    push(
        out,
        &format!("paste_us{suffix}"),
        measure(iterations, &PASTES, |t| drop(black_box(engine.paste(t)))),
    );
    push(
        out,
        &format!("chat_us{suffix}"),
        measure(iterations, &CHATS, |t| drop(black_box(engine.paste(t)))),
    );
    push(
        out,
        &format!("query_us{suffix}"),
        measure(iterations, &QUERIES, |t| drop(black_box(engine.query(t)))),
    );
}

/// Pastes as traffic brings them: many different texts through one engine, so that the pattern
/// automata meet lines they have not seen (the four fixed pastes warm them once and never show
/// a cache that fills). The texts are the knowledge base's examples, real redacted pastes.
fn varied(out: &mut Vec<Figure>, engine: &Engine, shipped: &KnowledgeBase, iterations: usize) {
    let texts: Vec<&str> = shipped
        .entries
        .iter()
        .flat_map(|e| e.matching.examples.iter().map(|x| x.text.as_str()))
        .collect();
    if texts.is_empty() {
        return;
    }
    push(
        out,
        "paste_varied_us",
        measure(iterations, &texts, |t| drop(black_box(engine.paste(t)))),
    );
}

/// The strsim baseline timed in the same run, and the engine's speed-up over it.
fn against_baseline(out: &mut Vec<Figure>, engine: &Engine, suffix: &str, size: usize) {
    let baseline = Baseline::new(&engine.kb().entries);
    let reps = (200_000 / size).clamp(5, 2_000);
    let base = measure(reps, &PASTES, |t| {
        black_box(baseline.best(t));
    });
    push(out, &format!("baseline_paste_us{suffix}"), base);
    let ours = out
        .iter()
        .find(|f| f.name == format!("paste_us{suffix}"))
        .map_or(1.0, |f| f.value);
    out.push(Figure {
        name: format!("speedup_paste{suffix}"),
        value: base.median / ours.max(1e-9),
        unit: "× baseline",
    });
}

/// A paste of about 4 KB: the benchmark pastes with credentials among them, as people paste a
/// script and its output together.
pub fn paste_4k() -> String {
    let credentials = [
        "$secure = ConvertTo-SecureString 'Winter2026!x' -AsPlainText -Force",
        "Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ",
        "AccountKey=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuv==;",
    ];
    let mut out = String::new();
    let mut i = 0;
    while out.len() < 4096 {
        out.push_str(PASTES[i % PASTES.len()]);
        out.push('\n');
        out.push_str(credentials[i % credentials.len()]);
        out.push('\n');
        i += 1;
    }
    let mut end = 4096;
    while !out.is_char_boundary(end) {
        end -= 1;
    }
    out.truncate(end);
    out
}

/// Redaction's time on a 4 KB paste beside the engine's on the same paste, and its share.
fn redaction(out: &mut Vec<Figure>, engine: &Engine, iterations: usize) {
    let paste = paste_4k();
    let matching = measure(iterations, &[paste.as_str()], |t| {
        drop(black_box(engine.paste(t)))
    });
    let redacting = measure(iterations, &[paste.as_str()], |t| {
        drop(black_box(crate::text::redact::redact(t)))
    });
    push(out, "paste_4k_us", matching);
    push(out, "redact_4k_us", redacting);
    out.push(Figure {
        name: "redact_share_4k".into(),
        value: 100.0 * redacting.median / matching.median.max(1e-9),
        unit: "% of matching",
    });
    // The usual paste holds no credential: only the rules its words can trigger run.
    let plain = measure(iterations, &PASTES, |t| {
        drop(black_box(crate::text::redact::redact(t)))
    });
    let matching = measure(iterations, &PASTES, |t| drop(black_box(engine.paste(t))));
    push(out, "redact_us", plain);
    out.push(Figure {
        name: "redact_share".into(),
        value: 100.0 * plain.median / matching.median.max(1e-9),
        unit: "% of matching",
    });
}

/// The figures as a table.
pub fn table(figures: &[Figure]) -> String {
    let mut s = String::new();
    for f in figures {
        let _ = writeln!(s, "{:<26} {:>12.2}  {}", f.name, f.value, f.unit);
    }
    s
}

/// The figures as one JSON line.
pub fn json(figures: &[Figure]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = figures
        .iter()
        .map(|f| {
            (
                f.name.clone(),
                serde_json::json!((f.value * 1000.0).round() / 1000.0),
            )
        })
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// Resident memory of this process in MB (Linux), read from `/proc/self/status`.
pub fn resident_mb() -> Option<f64> {
    resident_mb_of("self")
}

/// Resident memory of a process (a pid, or `self`), in MB (Linux).
pub fn resident_mb_of(process: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{process}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_take_the_median_and_p99() {
        let mut n = 0;
        let s = measure(101, &["x"], |_| {
            n += 1;
            std::thread::sleep(std::time::Duration::from_micros(if n == 50 {
                2_000
            } else {
                1
            }));
        });
        assert!(s.median < 1_500.0 && s.p99 >= s.median, "{s:?}");
    }

    #[test]
    fn benchmark_inputs_have_the_stated_sizes() {
        assert!(
            PASTES.iter().all(|p| (350..800).contains(&p.len())),
            "{:?}",
            PASTES.map(str::len)
        );
        assert!(
            CHATS.iter().all(|c| (80..130).contains(&c.len())),
            "{:?}",
            CHATS.map(str::len)
        );
    }

    #[test]
    fn the_baseline_finds_an_entry() {
        let kb = crate::devtools::synth::knowledge_base(&[], 20, 3);
        let b = Baseline::new(&kb);
        let (i, score) = b.best(&kb[7].matching.messages[0]).unwrap();
        assert!(score > 0.0 && i < 20);
    }

    #[test]
    fn json_is_one_line_of_numbers() {
        let line = json(&[Figure {
            name: "paste_us".into(),
            value: 12.3456,
            unit: "µs",
        }]);
        assert_eq!(line, r#"{"paste_us":12.346}"#);
    }
}
