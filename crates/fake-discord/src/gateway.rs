//! The fake gateway: HELLO, IDENTIFY → READY, heartbeats, RESUME, and dispatches.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::broadcast;
use tokio_tungstenite::tungstenite::Message;

use crate::State;

#[derive(Debug, Clone)]
pub(crate) enum Outgoing {
    Frame(String, Target),
    Drop,
}

/// Which session a dispatch goes to.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target {
    /// The shard that owns this server.
    Guild(u64),
    /// This shard, whatever the server.
    Shard(u64),
}

impl Target {
    fn reaches(self, (shard, total): (u64, u64)) -> bool {
        match self {
            Target::Guild(g) => crate::shard_of(g, total) == shard,
            Target::Shard(s) => s == shard,
        }
    }
}

pub(crate) async fn serve(
    listener: TcpListener,
    url: String,
    state: Arc<State>,
    events: broadcast::Sender<Outgoing>,
) {
    while let Ok((stream, _)) = listener.accept().await {
        if state.gateway_down.load(Ordering::SeqCst) {
            drop(stream);
            continue;
        }
        let state = state.clone();
        let url = url.clone();
        let rx = events.subscribe();
        tokio::spawn(async move {
            if let Ok(ws) = tokio_tungstenite::accept_async(stream).await {
                session(ws, url, state, rx).await;
            }
        });
    }
}

async fn session(
    mut ws: tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>,
    url: String,
    state: Arc<State>,
    mut rx: broadcast::Receiver<Outgoing>,
) {
    let hello = json!({"op": 10, "d": {"heartbeat_interval": 41250}});
    // (shard, total) from IDENTIFY; a RESUME keeps the session's.
    let mut shard = (0u64, 1u64);
    if ws.send(Message::Text(hello.to_string())).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            incoming = ws.next() => {
                let Some(Ok(msg)) = incoming else { return };
                let text = match msg {
                    Message::Text(t) => t,
                    Message::Close(_) => return,
                    _ => continue,
                };
                let Ok(payload) = serde_json::from_str::<Value>(&text) else { continue };
                let reply = match payload["op"].as_u64() {
                    Some(1) => Some(json!({"op": 11})),
                    Some(2) => {
                        state.identifies.fetch_add(1, Ordering::SeqCst);
                        let given = &payload["d"]["shard"];
                        if let (Some(id), Some(total)) = (given[0].as_u64(), given[1].as_u64()) {
                            shard = (id, total.max(1));
                        }
                        state.shards.lock().unwrap().push(shard);
                        let ready = crate::fixtures::ready(&url, shard);
                        crate::fixtures::validate("READY", &ready);
                        Some(json!({"op": 0, "t": "READY", "s": 1, "d": ready}))
                    }
                    Some(6) => {
                        state.resumes.fetch_add(1, Ordering::SeqCst);
                        // The session id names its shard: `fake-session-SHARD-TOTAL`.
                        let id = payload["d"]["session_id"].as_str().unwrap_or("");
                        let mut parts = id.rsplit('-');
                        if let (Some(total), Some(shard_id)) = (
                            parts.next().and_then(|t| t.parse::<u64>().ok()),
                            parts.next().and_then(|s| s.parse::<u64>().ok()),
                        ) {
                            shard = (shard_id, total.max(1));
                        }
                        let seq = state.seq.fetch_add(1, Ordering::SeqCst) + 2;
                        Some(json!({"op": 0, "t": "RESUMED", "s": seq, "d": {}}))
                    }
                    _ => None,
                };
                if let Some(reply) = reply {
                    if ws.send(Message::Text(reply.to_string())).await.is_err() {
                        return;
                    }
                    if payload["op"] == 2 || payload["op"] == 6 {
                        state.identified.notify_waiters();
                    }
                }
            }
            outgoing = rx.recv() => {
                match outgoing {
                    Ok(Outgoing::Frame(text, target)) => {
                        if !target.reaches(shard) {
                            continue;
                        }
                        if ws.send(Message::Text(text)).await.is_err() {
                            return;
                        }
                    }
                    Ok(Outgoing::Drop) => {
                        // Close as a server that lost the session would, with a resumable code.
                        let _ = ws.close(Some(tokio_tungstenite::tungstenite::protocol::CloseFrame {
                            code: tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode::Library(4000),
                            reason: "unknown error".into(),
                        })).await;
                        return;
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return,
                }
            }
        }
    }
}
