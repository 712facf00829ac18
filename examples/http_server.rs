//! Serves the online engine over HTTP with axum, on loopback unless told otherwise.
//!
//! ```text
//! cargo run --release --example http_server -- ENGINE_DIR [ADDR]
//! curl -s localhost:3000/orders -H 'content-type: application/json' -d '{"id": "GD-0001",
//!   "channel": "hotline12345", "received": "2026-06-03T23:40:00", "title": "", "extra": {},
//!   "text": "锦绣华庭小区东门外工地每天晚上施工到凌晨，噪音扰民"}'
//! ```
//!
//! The address is `ADDR`, else `$COMPLAINT_DEDUP_ADDR`, else `127.0.0.1:3000`.
//!
//! | route                       | answer                                                     |
//! |-----------------------------|------------------------------------------------------------|
//! | `POST /orders`              | ingests the `WorkOrder` body: `Ingested` (`seq`, verdict)  |
//! | `POST /check`               | the verdict the order would get, storing nothing           |
//! | `GET /tickets/{id}`         | the ticket (`TicketInfo`)                                  |
//! | `POST /tickets/{id}/close`  | closes the ticket and returns it                           |
//! | `POST /commit`              | makes everything so far durable (204)                      |
//! | `GET /stats`                | `EngineStats`                                              |
//!
//! Errors are `{"error": "…"}`: 400 for a body that is not a work order (415 if it is not
//! sent as JSON), 409 for an order id already ingested, 404 for an unknown ticket, 500 for the
//! rest. Orders are durable after `POST /commit`; the server also commits when it stops on
//! Ctrl-C.

use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use complaint_dedup::engine::{Engine, EngineStats, Ingested, TicketInfo, Verdict};
use complaint_dedup::{ErrorKind, WorkOrder};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: http_server ENGINE_DIR [ADDR]")?;
    let addr = args
        .next()
        .or_else(|| std::env::var("COMPLAINT_DEDUP_ADDR").ok())
        .unwrap_or_else(|| "127.0.0.1:3000".to_string());

    let engine = Arc::new(tokio::task::spawn_blocking(move || Engine::open(dir)).await??);
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    eprintln!("serving {} on http://{addr}", engine.dir().display());
    axum::serve(listener, app(engine.clone()))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    // Orders ingested since the last POST /commit would be lost otherwise.
    tokio::task::spawn_blocking(move || engine.commit()).await??;
    Ok(())
}

/// The routes, over one engine shared by every request.
fn app(engine: Arc<Engine>) -> Router {
    Router::new()
        .route("/orders", post(ingest))
        .route("/check", post(check))
        .route("/tickets/{id}", get(ticket))
        .route("/tickets/{id}/close", post(close))
        .route("/commit", post(commit))
        .route("/stats", get(stats))
        .with_state(engine)
}

type EngineState = State<Arc<Engine>>;
type Answer<T> = Result<Json<T>, ApiError>;

async fn ingest(
    State(engine): EngineState,
    order: Result<Json<WorkOrder>, JsonRejection>,
) -> Answer<Ingested> {
    let Json(order) = order?;
    blocking(move || engine.ingest(order)).await
}

async fn check(
    State(engine): EngineState,
    order: Result<Json<WorkOrder>, JsonRejection>,
) -> Answer<Verdict> {
    let Json(order) = order?;
    blocking(move || engine.check(&order)).await
}

async fn ticket(State(engine): EngineState, Path(id): Path<String>) -> Answer<TicketInfo> {
    blocking(move || engine.ticket(&id).ok_or_else(|| ApiError::no_ticket(&id))).await
}

async fn close(State(engine): EngineState, Path(id): Path<String>) -> Answer<TicketInfo> {
    blocking(move || {
        engine.close(&id)?;
        engine.ticket(&id).ok_or_else(|| ApiError::no_ticket(&id))
    })
    .await
}

async fn commit(State(engine): EngineState) -> Result<StatusCode, ApiError> {
    blocking(move || engine.commit())
        .await
        .map(|_| StatusCode::NO_CONTENT)
}

async fn stats(State(engine): EngineState) -> Answer<EngineStats> {
    blocking(move || Ok::<_, ApiError>(engine.stats())).await
}

/// Runs an engine call on tokio's blocking pool: calls segment text with jieba, wait for the
/// engine's lock or write to disk, none of which may hold up the async workers.
async fn blocking<T, E, F>(call: F) -> Answer<T>
where
    F: FnOnce() -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: Into<ApiError> + Send + 'static,
{
    match tokio::task::spawn_blocking(call).await {
        Ok(answer) => answer.map(Json).map_err(Into::into),
        Err(panicked) => Err(ApiError::internal(panicked.to_string())),
    }
}

/// An error answer: a status and `{"error": message}`.
#[derive(Debug)]
struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn no_ticket(id: &str) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: format!("no ticket {id:?}"),
        }
    }

    fn internal(message: String) -> ApiError {
        eprintln!("error: {message}");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message,
        }
    }
}

impl From<complaint_dedup::Error> for ApiError {
    fn from(err: complaint_dedup::Error) -> ApiError {
        let status = match err.kind() {
            ErrorKind::DuplicateOrder(_) => StatusCode::CONFLICT,
            ErrorKind::UnknownTicket(_) => StatusCode::NOT_FOUND,
            ErrorKind::InvalidOrder(_) => StatusCode::BAD_REQUEST,
            _ => return ApiError::internal(err.to_string()),
        };
        ApiError {
            status,
            message: err.to_string(),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> ApiError {
        let status = match rejection {
            // Malformed JSON, or JSON that is not a work order: axum says 422 for the
            // latter; to a client both are a bad request.
            JsonRejection::JsonSyntaxError(_) | JsonRejection::JsonDataError(_) => {
                StatusCode::BAD_REQUEST
            }
            _ => rejection.status(), // 415 without a JSON content type, 413 when too large
        };
        ApiError {
            status,
            message: rejection.body_text(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Json(serde_json::json!({ "error": self.message }));
        (self.status, body).into_response()
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::{SocketAddr, TcpStream};
    use std::time::Duration;

    use serde_json::{json, Value};

    use super::*;

    fn order(id: &str, channel: &str, received: &str, text: &str) -> String {
        json!({
            "id": id, "channel": channel, "received": received,
            "title": "", "text": text, "extra": {},
        })
        .to_string()
    }

    /// One HTTP/1.1 request on its own connection: the status and the JSON body (`null` if
    /// none).
    fn request(addr: SocketAddr, method: &str, path: &str, body: &str) -> (u16, Value) {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\
             content-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        let body = if body.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(body).unwrap()
        };
        (status, body)
    }

    #[test]
    fn serves_verdicts_and_errors_over_http() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Arc::new(Engine::open(dir.path()).unwrap());
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        runtime.spawn(async move { axum::serve(listener, app(engine)).await });
        let post = |path: &str, body: &str| request(addr, "POST", path, body);
        let get = |path: &str| request(addr, "GET", path, "");

        let first = order(
            "GD-0001",
            "hotline12345",
            "2026-06-03T23:40:00",
            "锦绣华庭小区东门外工地每天晚上施工到凌晨两点，打桩机噪音很大，严重扰民",
        );
        let (status, a) = post("/orders", &first);
        assert_eq!((status, a["verdict"].as_str()), (200, Some("new")), "{a}");
        assert_eq!(a["ticket"], "T-GD-0001");

        let second = order(
            "WB-0002",
            "weibo",
            "2026-06-04T00:15:00",
            "锦绣华庭旁边的工地半夜还在打桩施工，噪音吵得整栋楼睡不着",
        );
        let (status, b) = post("/orders", &second);
        assert_eq!(
            (status, b["verdict"].as_str()),
            (200, Some("duplicate")),
            "{b}"
        );
        assert_eq!(
            (&b["ticket"], &b["canonical"]),
            (&a["ticket"], &json!("GD-0001"))
        );
        assert!(b["score"].as_f64().unwrap() > 0.0);

        let other = order(
            "MB-0003",
            "message_board",
            "2026-06-04T09:12:00",
            "滨江路与解放路路口的路灯坏了半个月，晚上一片漆黑，行人过马路很危险",
        );
        let (status, c) = post("/orders", &other);
        assert_eq!((status, c["verdict"].as_str()), (200, Some("new")), "{c}");
        assert_eq!(c["ticket"], "T-MB-0003");

        // Checking stores nothing.
        let (status, v) = post("/check", &second.replace("WB-0002", "WB-0004"));
        assert_eq!(
            (status, v["ticket"].as_str()),
            (200, Some("T-GD-0001")),
            "{v}"
        );

        let (status, e) = post("/orders", &first);
        assert_eq!(status, 409, "{e}");
        assert!(e["error"].as_str().unwrap().contains("GD-0001"), "{e}");
        let (status, e) = post("/orders", r#"{"id": "GD-0005", "text": "#);
        assert_eq!(status, 400, "{e}");
        assert!(e["error"].as_str().unwrap().contains("JSON"), "{e}");
        let (status, e) = post("/orders", r#"{"id": "GD-0005"}"#);
        assert_eq!(status, 400, "{e}");
        assert_eq!(get("/tickets/T-NOPE").0, 404);
        assert_eq!(post("/tickets/T-NOPE/close", "").0, 404);
        assert_eq!(get("/tickets/T-WB-0002").0, 404, "a member, not a ticket");

        let (status, t) = get("/tickets/T-GD-0001");
        assert_eq!(status, 200);
        assert_eq!(t["members"], json!(["GD-0001", "WB-0002"]));
        let (status, t) = post("/tickets/T-GD-0001/close", "");
        assert_eq!((status, &t["closed"]), (200, &json!(true)), "{t}");

        assert_eq!(post("/commit", "").0, 204);
        let (status, s) = get("/stats");
        assert_eq!(status, 200);
        assert_eq!(s, json!({"orders": 3, "tickets": 2, "uncommitted": 0}));
    }
}
