//! The HTTP surface: VietQR.vn's API under `/vqr` (as on its real hosts),
//! its WebSocket, and the simulator's own control and inspection endpoints
//! under `/sim`.

mod check_order;
mod control;
mod ecommerce;
mod qr;
mod refund;
mod test_callback;
mod tid;
mod token;

use crate::envelope::spring_error;
use crate::state::App;
use crate::ws;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::Router;
use std::sync::Arc;

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/vqr/api/token_generate", post(token::token_generate))
        .route(
            "/vqr/api/peripheral/ecommerce/token_generate",
            post(token::ecommerce_token_generate),
        )
        .route("/vqr/api/qr/generate-customer", post(qr::generate_customer))
        .route("/vqr/api/ecommerce", post(ecommerce::sync))
        .route(
            "/vqr/api/ecommerce/active",
            post(ecommerce::activate).get(ecommerce::profile),
        )
        .route("/vqr/api/tid/synchronize/v1", post(tid::synchronize))
        .route(
            "/vqr/api/ecommerce-transactions/check-order",
            post(check_order::ecommerce),
        )
        .route(
            "/vqr/api/transactions/check-order",
            post(check_order::regular),
        )
        .route("/vqr/api/transaction/refund", post(refund::refund))
        .route(
            "/vqr/bank/api/test/transaction-callback",
            post(test_callback::test_callback),
        )
        .route("/vqr/socket", get(ws::socket))
        .route("/sim/state", get(control::state))
        .route("/sim/transactions", get(control::transactions))
        .route("/sim/refunds", get(control::refunds))
        .route("/sim/deliveries", get(control::deliveries))
        .route("/sim/deliveries/{id}", get(control::delivery))
        .route("/sim/deliveries/{id}/redeliver", post(control::redeliver))
        .route("/sim/ws-messages", get(control::ws_messages))
        .route("/sim/pay", post(control::pay))
        .route("/sim/clock", post(control::clock))
        .route(
            "/sim/accounts/{username}/callback",
            put(control::set_callback),
        )
        .route("/sim/reset", post(control::reset))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(app.clone(), log_request))
        .with_state(app)
}

/// Spring's 404, so that a wrong base URL looks as it would on VietQR.
async fn not_found(request: Request) -> Response {
    spring_error(StatusCode::NOT_FOUND, request.uri().path())
}

/// One line per request when logging; never headers or bodies (they carry
/// credentials and tokens).
async fn log_request(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    if !app.options.log {
        return next.run(request).await;
    }
    let line = format!("{} {}", request.method(), request.uri().path());
    let response = next.run(request).await;
    eprintln!("vietqr-sim: {line} -> {}", response.status().as_u16());
    response
}
