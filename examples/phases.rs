fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let mut keep = None;
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let kb = errmedic::kb::load_dir(std::path::Path::new(&dir)).unwrap();
        let l = t.elapsed();
        let t = std::time::Instant::now();
        let e = errmedic::engine::Engine::new(kb);
        eprintln!("load_dir {l:?} build {:?}", t.elapsed());
        keep = Some(e);
    }
    std::hint::black_box(keep);
}
