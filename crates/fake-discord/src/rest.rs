//! The fake REST API: a small HTTP/1.1 server with keep-alive, answering the routes the bot
//! uses with bodies serenity can read.

use std::sync::Arc;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

use crate::fixtures;
use crate::{Request, State, APP_ID, GUILD_ID};

pub(crate) async fn serve(listener: TcpListener, gateway: String, base: String, state: Arc<State>) {
    while let Ok((stream, _)) = listener.accept().await {
        let state = state.clone();
        let gateway = gateway.clone();
        let base = base.clone();
        tokio::spawn(async move {
            let _ = connection(stream, &gateway, &base, &state).await;
        });
    }
}

async fn connection(
    stream: TcpStream,
    gateway: &str,
    base: &str,
    state: &State,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let target = parts.next().unwrap_or("").to_string();
        let mut length = 0usize;
        let mut content_type = String::new();
        let mut auth = String::new();
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).await? == 0 {
                return Ok(());
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
                if name.eq_ignore_ascii_case("content-type") {
                    content_type = value.trim().to_string();
                }
                if name.eq_ignore_ascii_case("authorization") {
                    auth = value.trim().to_string();
                }
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).await?;
        let path = target.split('?').next().unwrap_or("").to_string();
        let body: Value = match content_type.split_once("boundary=") {
            Some((_, boundary)) => multipart(&body, boundary.trim_matches('"')),
            None => serde_json::from_slice(&body).unwrap_or(Value::Null),
        };
        let delay = state
            .delays
            .lock()
            .unwrap()
            .iter()
            .find(|(m, p, _)| *m == method && path.starts_with(p.as_str()))
            .map(|(_, _, d)| *d);
        if let Some(delay) = delay {
            tokio::time::sleep(delay).await;
        }
        let (status, reply, raw) = route(&method, &path, &body, gateway, base, state);
        let response = reply.clone().unwrap_or(Value::Null);
        state.requests.lock().unwrap().push(Request {
            method,
            path,
            auth,
            body,
            response,
            at: std::time::Instant::now(),
        });
        state.changed.notify_waiters();
        let (content_type, bytes) = match raw {
            Some(bytes) => ("application/octet-stream", bytes),
            None => (
                "application/json",
                reply
                    .map(|v| v.to_string().into_bytes())
                    .unwrap_or_default(),
            ),
        };
        let mut head = format!(
            "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: keep-alive\r\n",
            reason(status),
            bytes.len()
        );
        if !bytes.is_empty() {
            head.push_str(&format!("Content-Type: {content_type}\r\n"));
        }
        if status == 429 {
            head.push_str("Retry-After: 0\r\nX-RateLimit-Global: false\r\n");
        }
        head.push_str("\r\n");
        write.write_all(head.as_bytes()).await?;
        write.write_all(&bytes).await?;
        write.flush().await?;
    }
}

/// A multipart body (a message with attachments): its `payload_json`, with the files under
/// `_files` as `{"filename", "content"}` (content as text).
fn multipart(body: &[u8], boundary: &str) -> Value {
    let text = String::from_utf8_lossy(body);
    let mut payload = Value::Null;
    let mut files = Vec::new();
    for part in text.split(&format!("--{boundary}")) {
        let Some((head, content)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let content = content.strip_suffix("\r\n").unwrap_or(content);
        let field = |key: &str| {
            head.split(&format!("{key}=\""))
                .nth(1)
                .and_then(|r| r.split('"').next())
                .map(str::to_string)
        };
        match (field("name").as_deref(), field("filename")) {
            (Some("payload_json"), _) => {
                payload = serde_json::from_str(content).unwrap_or(Value::Null)
            }
            (_, Some(filename)) => files.push(json!({"filename": filename, "content": content})),
            _ => {}
        }
    }
    if let Value::Object(map) = &mut payload {
        map.insert("_files".into(), Value::Array(files));
    }
    payload
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        _ => "Status",
    }
}

type Reply = (u16, Option<Value>, Option<Vec<u8>>);

fn ok(v: Value) -> Reply {
    (200, Some(v), None)
}

fn empty() -> Reply {
    (204, None, None)
}

fn not_found() -> Reply {
    (
        404,
        Some(json!({"message": "Unknown route", "code": 0})),
        None,
    )
}

fn route(
    method: &str,
    path: &str,
    body: &Value,
    gateway: &str,
    base: &str,
    state: &State,
) -> Reply {
    {
        let mut failures = state.failures.lock().unwrap();
        if let Some(i) = failures
            .iter()
            .position(|(m, p, _)| m == method && path.starts_with(p.as_str()))
        {
            let (_, _, status) = failures.remove(i);
            let body = if status == 429 {
                json!({"message": "You are being rate limited.", "retry_after": 0.05, "global": false})
            } else {
                json!({"message": "Scripted failure", "code": 0})
            };
            return (status, Some(body), None);
        }
    }
    if let Some(name) = path.strip_prefix("/files/") {
        return match state.files.lock().unwrap().get(name) {
            Some(bytes) => (200, None, Some(bytes.clone())),
            None => not_found(),
        };
    }
    let Some(api) = path.strip_prefix("/api/v10/") else {
        return not_found();
    };
    let seg: Vec<&str> = api.split('/').collect();
    let _ = base;
    match (method, seg.as_slice()) {
        ("GET", ["gateway"]) | ("GET", ["gateway", "bot"]) => ok(
            json!({"url": gateway, "shards": 1, "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}}),
        ),
        ("GET", ["oauth2", "applications", "@me"]) => ok(fixtures::application()),
        ("GET", ["users", "@me"]) => ok(fixtures::bot_user()),
        ("PUT", ["applications", _, "commands"])
        | ("PUT", ["applications", _, "guilds", _, "commands"]) => {
            let commands: Vec<Value> = body
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|c| fixtures::registered_command(c, state.id()))
                .collect();
            ok(Value::Array(commands))
        }
        ("POST", ["channels", channel, "messages"]) => {
            let msg = fixtures::sent_message(state.id(), channel.parse().unwrap_or(0), body);
            state
                .messages
                .lock()
                .unwrap()
                .insert(msg["id"].as_str().unwrap().parse().unwrap(), msg.clone());
            ok(msg)
        }
        ("PATCH", ["channels", channel, "messages", id]) => ok(fixtures::sent_message(
            id.parse().unwrap_or(0),
            channel.parse().unwrap_or(0),
            body,
        )),
        ("DELETE", ["channels", _, "messages", _]) => empty(),
        ("GET", ["channels", _, "messages", id]) => {
            match state.messages.lock().unwrap().get(&id.parse().unwrap_or(0)) {
                Some(m) => ok(m.clone()),
                None => not_found(),
            }
        }
        ("POST", ["channels", channel, "threads"]) => ok(fixtures::thread(
            state.id(),
            channel.parse().unwrap_or(0),
            body,
        )),
        ("POST", ["channels", channel, "messages", _, "threads"]) => ok(fixtures::thread(
            state.id(),
            channel.parse().unwrap_or(0),
            body,
        )),
        ("PUT", ["channels", _, "thread-members", _]) => empty(),
        // Every channel exists (a thread the bot made, say), unless a scripted failure says not.
        ("GET", ["channels", channel]) => ok(fixtures::thread(
            channel.parse().unwrap_or(0),
            1,
            &json!({}),
        )),
        ("PATCH", ["channels", channel]) => {
            ok(fixtures::thread(channel.parse().unwrap_or(0), 1, body))
        }
        ("POST", ["interactions", _, _, "callback"]) => empty(),
        ("GET", ["webhooks", _, _, "messages", "@original"])
        | ("PATCH", ["webhooks", _, _, "messages", "@original"]) => {
            ok(fixtures::sent_message(state.id(), 1, body))
        }
        ("POST", ["webhooks", _, _]) | ("PATCH", ["webhooks", _, _, "messages", _]) => {
            ok(fixtures::sent_message(state.id(), 1, body))
        }
        ("GET", ["guilds", _]) => ok(json!({"id": GUILD_ID.to_string()})),
        _ => {
            let _ = APP_ID;
            not_found()
        }
    }
}
