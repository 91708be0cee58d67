//! The dashboard's routes on the bot's HTTP listener: `/d/<token>` (the page, or one table as
//! CSV or JSON with `?format=csv|json&table=NAME`) and `/d/style.css`. A link that is not valid
//! — expired, altered, signed with another key — gets 403 and nothing of any server. The token
//! is never logged. Every answer carries a strict Content-Security-Policy and is not cached.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::home::Home;
use super::tables::{self, NAMES};
use super::{page, token};
use crate::store::server::ServerView;

/// A future a source returns.
pub type Reading<'a> = Pin<Box<dyn Future<Output = anyhow::Result<View>> + Send + 'a>>;

/// What a page shows: the server's view, and the home server's part on its page.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct View {
    #[serde(flatten)]
    pub server: ServerView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub home: Option<Home>,
}

/// A future of the key links are signed with.
pub type Keying<'a> = Pin<Box<dyn Future<Output = anyhow::Result<Arc<[u8]>>> + Send + 'a>>;

/// Where views come from (the running bot: its record, with the counts not yet added), and the
/// key links are checked with.
pub trait Source: Send + Sync + 'static {
    /// The view of `guild` at `now` (Unix seconds).
    fn view(&self, guild: u64, now: i64) -> Reading<'_>;
    /// The key (the operator's, or the one kept in the record).
    fn key(&self) -> Keying<'_>;
}

/// The routes' shared state.
#[derive(Clone)]
struct Pages {
    source: Arc<dyn Source>,
}

/// The routes.
pub fn router(source: Arc<dyn Source>) -> Router {
    Router::new()
        .route("/d/style.css", get(style))
        .route("/d/{token}", get(show))
        .with_state(Pages { source })
}

/// The page's Content-Security-Policy: nothing but our own stylesheet.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

fn respond(status: StatusCode, content_type: &'static str, body: String) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    r
}

fn message(status: StatusCode, title: &str, text: &str) -> Response {
    respond(
        status,
        "text/html; charset=utf-8",
        format!(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{t}</title><link rel=\"stylesheet\" href=\"style.css\"></head><body><main><section><h1>{t}</h1><p>{}</p></section></main></body></html>\n",
            page::escape(text),
            t = page::escape(title)
        ),
    )
}

async fn style() -> Response {
    let mut r = respond(
        StatusCode::OK,
        "text/css; charset=utf-8",
        page::STYLE.to_string(),
    );
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    r
}

/// `?format=csv|json&table=NAME`.
#[derive(Debug, serde::Deserialize)]
struct Ask {
    format: Option<String>,
    table: Option<String>,
}

async fn show(
    State(pages): State<Pages>,
    Path(token): Path<String>,
    ask: Result<Query<Ask>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let now = crate::text::dates::unix_now();
    let key = match pages.source.key().await {
        Ok(k) => k,
        Err(e) => {
            tracing::warn!(error = %format!("{e:#}"), "no dashboard key: the record cannot be read");
            return message(
                StatusCode::SERVICE_UNAVAILABLE,
                "The record cannot be read now",
                "errmedic cannot read its record at the moment; try again in a minute.",
            );
        }
    };
    let guild = match token::verify(&key, &token, now) {
        Ok(g) => g,
        Err(why) => {
            tracing::info!(reason = %why, "a dashboard link was refused");
            return message(
                StatusCode::FORBIDDEN,
                "This link does not open a dashboard",
                "It has expired or is not one errmedic made. Ask /errmedic dashboard in your server for a new link.",
            );
        }
    };
    let Ok(Query(ask)) = ask else {
        return message(
            StatusCode::BAD_REQUEST,
            "Not a dashboard request",
            "The address's query is not format=csv|json and table=NAME.",
        );
    };
    let view = match pages.source.view(guild, now).await {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!(error = %e, "a dashboard could not be read from the record");
            return message(
                StatusCode::SERVICE_UNAVAILABLE,
                "The record cannot be read now",
                "errmedic cannot read its record at the moment; try again in a minute.",
            );
        }
    };
    answer(&view, ask.format.as_deref(), ask.table.as_deref())
}

/// The page, or a table as CSV or JSON.
fn answer(view: &View, format: Option<&str>, table: Option<&str>) -> Response {
    let table_of = |name: &str| tables::table(name, &view.server, view.home.as_ref());
    let unknown = |name: &str| {
        message(
            StatusCode::NOT_FOUND,
            "No such table",
            &format!(
                "There is no table `{name}` on this page; the tables are {}.",
                NAMES
                    .iter()
                    .filter(|n| table_of(n).is_some())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    };
    match (format.unwrap_or("html"), table) {
        ("html", _) => respond(
            StatusCode::OK,
            "text/html; charset=utf-8",
            page::render(&view.server, view.home.as_ref()),
        ),
        ("json", None) => json(serde_json::to_value(view)),
        ("json", Some(name)) => match table_of(name) {
            Some(_) => json(table_json(view, name)),
            None => unknown(name),
        },
        ("csv", Some(name)) => match table_of(name) {
            Some(t) => {
                let mut r = respond(StatusCode::OK, "text/csv; charset=utf-8", tables::csv(&t));
                if let Ok(v) = HeaderValue::from_str(&format!(
                    "attachment; filename=\"errmedic-{}-{name}.csv\"",
                    view.server.guild
                )) {
                    r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
                }
                r
            }
            None => unknown(name),
        },
        ("csv", None) => message(
            StatusCode::BAD_REQUEST,
            "Say which table",
            &format!(
                "CSV is one table at a time: add table=NAME, one of {}.",
                NAMES.join(", ")
            ),
        ),
        (other, _) => message(
            StatusCode::BAD_REQUEST,
            "Unknown format",
            &format!("`{other}` is not a format here; use csv or json (or none for the page)."),
        ),
    }
}

fn table_json(view: &View, name: &str) -> serde_json::Result<serde_json::Value> {
    let s = &view.server;
    let home = view.home.clone().unwrap_or_default();
    match name {
        "activity" => serde_json::to_value(&s.activity),
        "unanswered" => serde_json::to_value(&s.unanswered),
        "entries" => serde_json::to_value(&s.entries),
        "open_escalations" => serde_json::to_value(&s.open_escalations),
        "closed_escalations" => serde_json::to_value(&s.closed_escalations),
        "drafts" => serde_json::to_value(&home.drafts),
        _ => serde_json::to_value(&home.stale),
    }
}

fn json(v: serde_json::Result<serde_json::Value>) -> Response {
    match v {
        Ok(v) => respond(
            StatusCode::OK,
            "application/json",
            serde_json::to_string(&v).unwrap_or_default(),
        ),
        Err(e) => message(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Could not write JSON",
            &e.to_string(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::server::ServerView;
    use crate::store::Unanswered;

    /// Views of any server: each names its server and one unanswered error of its own.
    struct Fixed;

    impl Source for Fixed {
        fn view(&self, guild: u64, now: i64) -> Reading<'_> {
            Box::pin(async move {
                Ok(View {
                    server: ServerView {
                        guild: guild.to_string(),
                        generated_at: now,
                        unanswered: vec![Unanswered {
                            signature: format!("error of {guild}"),
                            count: 1,
                            first_at: 0,
                            last_at: 0,
                            last_excerpt: "x".into(),
                        }],
                        ..ServerView::default()
                    },
                    home: None,
                })
            })
        }
        fn key(&self) -> Keying<'_> {
            Box::pin(async { Ok(Arc::from(KEY)) })
        }
    }

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[tokio::test]
    async fn links_open_their_server_only_and_every_answer_is_locked_down() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let app = router(Arc::new(Fixed));
        let server = tokio::spawn(async move { axum::serve(listener, app).await });
        let client = reqwest::Client::new();
        let later = 4_000_000_000;
        let link = format!("{base}/d/{}", token::sign(KEY, 7, later));
        let page = client.get(&link).send().await.unwrap();
        assert_eq!(page.status(), 200);
        assert_eq!(page.headers()["content-security-policy"], CSP);
        assert_eq!(page.headers()["referrer-policy"], "no-referrer");
        let html = page.text().await.unwrap();
        assert!(html.contains("error of 7") && !html.contains("error of 8"));
        // Altered to another server, expired, another key: 403 and no data.
        for bad in [
            token::sign(KEY, 7, later).replacen('7', "8", 1),
            token::sign(KEY, 7, 1),
            token::sign(b"another key, another key, another", 7, later),
        ] {
            let r = client.get(format!("{base}/d/{bad}")).send().await.unwrap();
            assert_eq!(r.status(), 403, "{bad}");
            assert_eq!(r.headers()["content-security-policy"], CSP);
            assert!(!r.text().await.unwrap().contains("error of"));
        }
        let csv = client
            .get(format!("{link}?format=csv&table=unanswered"))
            .send()
            .await
            .unwrap();
        assert_eq!(csv.status(), 200);
        assert!(csv.text().await.unwrap().starts_with("signature,count,"));
        let json: serde_json::Value = client
            .get(format!("{link}?format=json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(json["guild"], "7");
        assert!(json.get("home").is_none());
        for (query, status) in [
            ("?format=csv", 400),
            ("?format=xml", 400),
            ("?format=csv&table=drafts", 404),
            ("?format=json&table=nothing", 404),
        ] {
            let r = client.get(format!("{link}{query}")).send().await.unwrap();
            assert_eq!(r.status(), status, "{query}");
        }
        let css = client
            .get(format!("{base}/d/style.css"))
            .send()
            .await
            .unwrap();
        assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
        server.abort();
    }
}
