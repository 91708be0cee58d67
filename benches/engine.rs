//! Criterion benchmarks of the engine, for developers working on it: the same scenarios as
//! `errmedic bench` (paste, chat, lookup, load) on the shipped knowledge base and on a synthetic
//! one of 10,000 entries.

use std::path::Path;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use errmedic::devtools::bench::{Baseline, CHATS, PASTES, QUERIES};
use errmedic::engine::Engine;
use errmedic::kb::{load_dir, KnowledgeBase};

fn shipped() -> KnowledgeBase {
    load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("kb")).expect("the shipped kb loads")
}

fn engines() -> Vec<(&'static str, Engine)> {
    let kb = shipped();
    let synthetic = errmedic::devtools::synth::knowledge_base(&kb.entries, 10_000, 42);
    let mentions = kb.mentions.clone();
    vec![
        ("shipped", Engine::new(kb)),
        (
            "10k",
            Engine::new(KnowledgeBase {
                entries: synthetic,
                mentions,
            }),
        ),
    ]
}

fn matching(c: &mut Criterion) {
    for (name, engine) in engines() {
        let mut group = c.benchmark_group(format!("engine/{name}"));
        group.bench_function("paste", |b| {
            b.iter(|| {
                PASTES
                    .iter()
                    .map(|p| engine.paste(p).matches.len())
                    .sum::<usize>()
            })
        });
        group.bench_function("chat", |b| {
            b.iter(|| {
                CHATS
                    .iter()
                    .map(|p| engine.paste(p).matches.len())
                    .sum::<usize>()
            })
        });
        group.bench_function("query", |b| {
            b.iter(|| {
                QUERIES
                    .iter()
                    .map(|q| engine.query(q).matches.len())
                    .sum::<usize>()
            })
        });
        group.finish();
    }
}

fn baseline(c: &mut Criterion) {
    let kb = shipped();
    let baseline = Baseline::new(&kb.entries);
    c.bench_function("baseline/shipped/paste", |b| {
        b.iter(|| PASTES.iter().filter_map(|p| baseline.best(p)).count())
    });
}

fn loading(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("kb");
    let mut group = c.benchmark_group("load");
    group.bench_with_input(
        BenchmarkId::new("load_dir+index", "shipped"),
        &dir,
        |b, dir| b.iter(|| Engine::new(load_dir(dir).unwrap())),
    );
    group.finish();
}

criterion_group!(benches, matching, baseline, loading);
criterion_main!(benches);
