//! Tools for measuring errmedic, shipped in the binary because operators and CI run them
//! (`errmedic eval`, `bench`, `calibrate`): evaluation case files and their figures (`eval`),
//! the gate's fitting (`calibrate`), the learned reader of genre's (`train-mentions`), timings against a same-run baseline (`bench`), and
//! synthetic knowledge bases for them (`synth`). Nothing else of the crate imports them but the
//! command line.

pub mod bench;
pub mod calibrate;
pub mod eval;
pub mod language;
pub mod mentions;
pub mod synth;
