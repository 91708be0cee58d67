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
    /// A dispatch without its sequence number: the text up to `"s":`, which the session ends
    /// with its own number and `}`.
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
    // (shard, total) from IDENTIFY; a RESUME keeps the session's. A connection that has not
    // identified (or resumed) yet is sent no dispatch, as Discord does.
    let mut shard: Option<(u64, u64)> = None;
    // This session's sequence number: READY is 1.
    let mut seq = 1u64;
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
                        seq = 1;
                        let given = &payload["d"]["shard"];
                        let identified = match (given[0].as_u64(), given[1].as_u64()) {
                            (Some(id), Some(total)) => (id, total.max(1)),
                            _ => (0, 1),
                        };
                        shard = Some(identified);
                        state.shards.lock().unwrap().push(identified);
                        let ready = crate::fixtures::ready(&url, identified);
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
                            shard = Some((shard_id, total.max(1)));
                        }
                        // A resumed session carries on from the number the client had.
                        seq = payload["d"]["seq"].as_u64().unwrap_or(seq) + 1;
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
                        if !shard.is_some_and(|s| target.reaches(s)) {
                            continue;
                        }
                        seq += 1;
                        if ws.send(Message::Text(format!("{text}{seq}}}"))).await.is_err() {
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
