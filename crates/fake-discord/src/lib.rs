//! A fake Discord on loopback for end-to-end tests: a REST server (the subset of `/api/v10`
//! the bot uses) and a gateway websocket, on `127.0.0.1` with ports chosen by the system. A real
//! serenity client connects to it. Every REST request is recorded; tests dispatch gateway
//! events and wait for the requests they expect. Every dispatched payload is first checked
//! against serenity's own model types, so a fixture missing a field fails loudly instead of
//! being dropped as an unknown event.

mod fixtures;
mod gateway;
mod rest;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::{broadcast, Notify};

pub use fixtures::*;

/// The application (and bot user) id the fake reports.
pub const APP_ID: u64 = 900_000_000_000_000_001;
/// The guild the fixtures use.
pub const GUILD_ID: u64 = 900_000_000_000_000_002;

/// The shard that owns a server among `shards`, as Discord routes it.
pub fn shard_of(guild: u64, shards: u64) -> u64 {
    (guild >> 22) % shards.max(1)
}

/// One recorded REST request.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// The `Authorization` header (which bot process sent it, when tests give each its own
    /// token).
    pub auth: String,
    pub body: Value,
    /// What the fake answered (JSON, or null).
    pub response: Value,
    /// When the request arrived.
    pub at: std::time::Instant,
}

impl std::fmt::Display for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let body = self.body.to_string();
        let body: String = body.chars().take(300).collect();
        write!(f, "{} {} {}", self.method, self.path, body)
    }
}

#[derive(Default)]
pub(crate) struct State {
    pub requests: Mutex<Vec<Request>>,
    pub changed: Notify,
    pub next_id: AtomicU64,
    /// Messages the fake knows, by id (dispatched ones and those the bot sent).
    pub messages: Mutex<HashMap<u64, Value>>,
    /// Files served under `/files/`.
    pub files: Mutex<HashMap<String, Vec<u8>>>,
    /// Scripted failures: (method, path prefix) → statuses to answer with, in order.
    pub failures: Mutex<Vec<(String, String, u16)>>,
    /// Slow answers: (method, path prefix) → how long the fake waits before answering.
    pub delays: Mutex<Vec<(String, String, Duration)>>,
    pub identified: Notify,
    pub identifies: AtomicU64,
    /// The shards that identified, as `(shard, total)`.
    pub shards: Mutex<Vec<(u64, u64)>>,
    pub resumes: AtomicU64,
    /// The gateway refuses connections (an outage), until started again.
    pub gateway_down: std::sync::atomic::AtomicBool,
}

impl State {
    pub fn id(&self) -> u64 {
        1_000_000_000_000_000_000 + self.next_id.fetch_add(1, Ordering::SeqCst)
    }
}

/// A running fake Discord.
pub struct FakeDiscord {
    /// The REST base URL, to give the bot as `DISCORD_API_BASE`.
    pub base: String,
    /// The gateway URL the fake hands out.
    pub gateway: String,
    state: Arc<State>,
    events: broadcast::Sender<gateway::Outgoing>,
}

impl FakeDiscord {
    /// Starts the REST server and the gateway on loopback.
    pub async fn start() -> FakeDiscord {
        let state = Arc::new(State::default());
        let (events, _) = broadcast::channel(1 << 16);
        let ws = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("gateway listener");
        let gateway = format!("ws://{}", ws.local_addr().unwrap());
        let rest = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("rest listener");
        let base = format!("http://{}", rest.local_addr().unwrap());
        tokio::spawn(gateway::serve(
            ws,
            gateway.clone(),
            state.clone(),
            events.clone(),
        ));
        tokio::spawn(rest::serve(
            rest,
            gateway.clone(),
            base.clone(),
            state.clone(),
        ));
        FakeDiscord {
            base,
            gateway,
            state,
            events,
        }
    }

    /// Every REST request so far.
    pub fn requests(&self) -> Vec<Request> {
        self.state.requests.lock().unwrap().clone()
    }

    /// How many requests after the first `since` match `pred` (without copying them).
    pub fn count_since(&self, since: usize, pred: impl Fn(&Request) -> bool) -> usize {
        self.state
            .requests
            .lock()
            .unwrap()
            .iter()
            .skip(since)
            .filter(|r| pred(r))
            .count()
    }

    /// Waits until the bot has identified on the gateway.
    pub async fn wait_identified(&self, timeout: Duration) {
        if self.state.identifies.load(Ordering::SeqCst) > 0 {
            return;
        }
        tokio::time::timeout(timeout, self.state.identified.notified())
            .await
            .expect("the bot never identified on the gateway");
    }

    /// Waits for a request matching `pred` (among all requests, including earlier ones).
    /// On timeout, panics listing every request made.
    pub async fn wait_for(
        &self,
        what: &str,
        timeout: Duration,
        pred: impl Fn(&Request) -> bool,
    ) -> Request {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.state.changed.notified();
            if let Some(r) = self.requests().into_iter().find(|r| pred(r)) {
                return r;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let all: Vec<String> = self.requests().iter().map(|r| format!("  {r}")).collect();
                panic!(
                    "timed out waiting for {what}; requests made:\n{}",
                    all.join("\n")
                );
            }
        }
    }

    /// Waits `quiet` and returns the requests matching `pred` made since `since` requests.
    pub async fn requests_after(
        &self,
        since: usize,
        quiet: Duration,
        pred: impl Fn(&Request) -> bool,
    ) -> Vec<Request> {
        tokio::time::sleep(quiet).await;
        self.requests()
            .into_iter()
            .skip(since)
            .filter(|r| pred(r))
            .collect()
    }

    /// Waits until these shards have identified (for bots running several shards, or
    /// several processes).
    /// The shards that identified so far, as `(shard, total)`, in order.
    pub fn identified_shards(&self) -> Vec<(u64, u64)> {
        self.state.shards.lock().unwrap().clone()
    }

    pub async fn wait_shards(&self, shards: &[(u64, u64)], timeout: Duration) {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.state.identified.notified();
            let up = self.state.shards.lock().unwrap().clone();
            if shards.iter().all(|s| up.contains(s)) {
                return;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!("shards {shards:?} never all identified; identified: {up:?}");
            }
        }
    }

    /// Dispatches a gateway event to the shard that owns its server, as Discord does
    /// (`(guild_id >> 22) % shard_count`; events without a server go to shard 0). The payload
    /// is checked against serenity's model first; a missing field panics with serenity's
    /// message.
    pub fn dispatch(&self, event: &str, data: Value) {
        let guild = data["guild_id"]
            .as_str()
            .and_then(|g| g.parse::<u64>().ok())
            .or_else(|| {
                (event == "GUILD_CREATE")
                    .then(|| data["id"].as_str()?.parse().ok())
                    .flatten()
            });
        self.send(event, data, gateway::Target::Guild(guild.unwrap_or(0)));
    }

    /// Dispatches a gateway event to one shard, whatever server it is about (as when a
    /// server moves between shards, or two people act at once on both sides of a split).
    pub fn dispatch_to_shard(&self, shard: u64, event: &str, data: Value) {
        self.send(event, data, gateway::Target::Shard(shard));
    }

    fn send(&self, event: &str, data: Value, target: gateway::Target) {
        fixtures::validate(event, &data);
        // The fake answers GET for the messages it has seen, as last edited.
        if event == "MESSAGE_CREATE" || event == "MESSAGE_UPDATE" {
            let id: u64 = data["id"]
                .as_str()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            self.state.messages.lock().unwrap().insert(id, data.clone());
        }
        // Each session numbers its own frames (as Discord does); the session puts the number in.
        let _ = self.events.send(gateway::Outgoing::Frame(
            format!(
                "{{\"op\":0,\"t\":{},\"d\":{data},\"s\":",
                Value::from(event)
            ),
            target,
        ));
    }

    /// Closes the gateway connection as Discord does when it drops a session; the bot should
    /// reconnect and resume.
    pub fn drop_gateway(&self) {
        let _ = self.events.send(gateway::Outgoing::Drop);
    }

    /// Takes the gateway down: the connection closes and new ones are refused until
    /// [`FakeDiscord::start_gateway`].
    pub fn stop_gateway(&self) {
        self.state.gateway_down.store(true, Ordering::SeqCst);
        let _ = self.events.send(gateway::Outgoing::Drop);
    }

    /// Brings the gateway back after [`FakeDiscord::stop_gateway`].
    pub fn start_gateway(&self) {
        self.state.gateway_down.store(false, Ordering::SeqCst);
    }

    /// How many times the bot identified and resumed.
    pub fn sessions(&self) -> (u64, u64) {
        (
            self.state.identifies.load(Ordering::SeqCst),
            self.state.resumes.load(Ordering::SeqCst),
        )
    }

    /// Serves `bytes` at a URL on the fake (for attachments).
    pub fn serve_file(&self, name: &str, bytes: Vec<u8>) -> String {
        self.state
            .files
            .lock()
            .unwrap()
            .insert(name.to_string(), bytes);
        format!("{}/files/{name}", self.base)
    }

    /// Answers the next requests with `method` whose path starts with `prefix` with these
    /// statuses, in order (for fault tests).
    pub fn fail_next(&self, method: &str, prefix: &str, statuses: &[u16]) {
        let mut f = self.state.failures.lock().unwrap();
        for s in statuses {
            f.push((method.to_string(), prefix.to_string(), *s));
        }
    }

    /// Answers every request with `method` whose path starts with `prefix` only after `delay`
    /// (for tests of work in flight).
    pub fn delay(&self, method: &str, prefix: &str, delay: Duration) {
        self.state
            .delays
            .lock()
            .unwrap()
            .push((method.to_string(), prefix.to_string(), delay));
    }

    /// A fresh snowflake id.
    pub fn new_id(&self) -> u64 {
        self.state.id()
    }
}
