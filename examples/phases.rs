//! Profiling aid: loads a knowledge base, or loops the engine over the benchmark inputs.
fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "kb".into());
    let what = args.next().unwrap_or_else(|| "load".into());
    if what == "load" {
        // The first load builds what is built once per process (regex sets); the medians of
        // the rest are the steady cost.
        let (mut loads, mut builds) = (Vec::new(), Vec::new());
        for i in 0..16 {
            let t = std::time::Instant::now();
            let kb = errmedic::kb::load_dir(std::path::Path::new(&dir)).unwrap();
            let l = t.elapsed();
            let t = std::time::Instant::now();
            let e = errmedic::engine::Engine::new(kb);
            let b = t.elapsed();
            std::hint::black_box(e);
            if i == 0 {
                eprintln!("first: load_dir {l:?} build {b:?}");
            } else {
                loads.push(l);
                builds.push(b);
            }
        }
        loads.sort();
        builds.sort();
        eprintln!(
            "median of 15: load_dir {:?} build {:?}",
            loads[loads.len() / 2],
            builds[builds.len() / 2]
        );
        return;
    }
    let engine =
        errmedic::engine::Engine::new(errmedic::kb::load_dir(std::path::Path::new(&dir)).unwrap());
    let inputs: &[&str] = match what.as_str() {
        "paste" => &errmedic::devtools::bench::PASTES,
        "chat" => &errmedic::devtools::bench::CHATS,
        _ => &errmedic::devtools::bench::QUERIES,
    };
    // A fixed count (`ERRMEDIC_PHASES_N`) makes runs comparable by instructions counted
    // (callgrind, or `perf stat -e instructions` where the machine exposes counters), which a
    // loaded machine does not disturb.
    let fixed: Option<usize> = std::env::var("ERRMEDIC_PHASES_N")
        .ok()
        .and_then(|n| n.parse().ok());
    // One pass first, so that what is built on first use (lazy statics, regex caches) is not
    // counted: `--toggle-collect=phases::measured` then profiles the steady state only.
    run(&engine, inputs, &what);
    let t = std::time::Instant::now();
    let mut n = 0;
    while fixed.map_or(t.elapsed().as_secs() < 3, |f| n < f) {
        measured(&engine, inputs, &what);
        n += inputs.len();
    }
    eprintln!(
        "{what}: {:.2} µs each",
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );
}

#[inline(never)]
fn measured(engine: &errmedic::engine::Engine, inputs: &[&str], what: &str) {
    run(engine, inputs, what);
}

fn run(engine: &errmedic::engine::Engine, inputs: &[&str], what: &str) {
    for i in inputs {
        if what == "query" {
            std::hint::black_box(engine.query(i));
        } else {
            std::hint::black_box(engine.paste(i));
        }
    }
}
