//! The HTTP listener (`ERRMEDIC_HTTP_ADDR`): `/healthz` (the process runs), `/readyz` (it
//! can answer: what [`Probe::ready`] says) and `/metrics` (Prometheus' text format). Served by
//! the bot's own process, on its runtime, and stopped with it. Nothing here reads a request's
//! body or echoes its path.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::metrics::Metrics;

/// A future a probe returns.
pub type Probing<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What the listener asks of the process it serves.
pub trait Probe: Send + Sync + 'static {
    /// `Ok` when the process can answer, or why not, in a few words.
    fn ready(&self) -> Probing<'_, Result<(), String>>;
    /// Brings gauges read at scrape time up to date, then hands over the metrics.
    fn metrics(&self) -> Probing<'_, &Metrics>;
}

/// The listener's routes over `probe`.
pub fn router(probe: Arc<dyn Probe>) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .with_state(probe)
}

/// Serves `routes` (these and any others the process adds) on `listener` until `shutdown`
/// completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    routes: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, routes)
        .with_graceful_shutdown(shutdown)
        .await
}

async fn readyz(State(probe): State<Arc<dyn Probe>>) -> Response {
    match probe.ready().await {
        Ok(()) => (
            StatusCode::OK,
            axum::Json(serde_json::json!({"ready": true})),
        )
            .into_response(),
        Err(reason) => (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({"ready": false, "reason": reason})),
        )
            .into_response(),
    }
}

async fn metrics(State(probe): State<Arc<dyn Probe>>) -> Response {
    let text = probe.metrics().await.encode();
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        text,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    struct Fixed {
        ready: AtomicBool,
        metrics: Metrics,
    }

    impl Probe for Fixed {
        fn ready(&self) -> Probing<'_, Result<(), String>> {
            Box::pin(async {
                if self.ready.load(Ordering::SeqCst) {
                    Ok(())
                } else {
                    Err("shard 0 is not connected".into())
                }
            })
        }
        fn metrics(&self) -> Probing<'_, &Metrics> {
            Box::pin(async { &self.metrics })
        }
    }

    #[tokio::test]
    async fn health_readiness_and_metrics_answer() {
        let probe = Arc::new(Fixed {
            ready: AtomicBool::new(false),
            metrics: Metrics::new(),
        });
        probe.metrics.message_read();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve(listener, router(probe.clone()), async {
            let _ = stopped.await;
        }));
        let client = reqwest::Client::new();
        let get = |path: &str| client.get(format!("{base}{path}")).send();
        assert_eq!(get("/healthz").await.unwrap().status(), 200);
        let not_ready = get("/readyz").await.unwrap();
        assert_eq!(not_ready.status(), 503);
        let body: serde_json::Value = not_ready.json().await.unwrap();
        assert_eq!(body["reason"], "shard 0 is not connected");
        probe.ready.store(true, Ordering::SeqCst);
        assert_eq!(get("/readyz").await.unwrap().status(), 200);
        let text = get("/metrics").await.unwrap().text().await.unwrap();
        assert!(text.contains("errmedic_messages_total 1"), "{text}");
        assert_eq!(get("/nothing").await.unwrap().status(), 404);
        stop.send(()).unwrap();
        server.await.unwrap().unwrap();
    }
}
