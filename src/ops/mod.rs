//! The operator's side: what a process exposes to whoever runs it — health, readiness and
//! metrics over HTTP (`ERRMEDIC_HTTP_ADDR`). The metrics are counted by the adapters; this
//! module knows nothing of Discord.

pub mod http;
pub mod metrics;
