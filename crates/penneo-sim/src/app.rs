//! The router and the cross-cutting middleware (faults, request log, persistence).

use std::collections::BTreeMap;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::Router;

use crate::error::ApiError;
use crate::state::{iso, AppState, LOG_CAPACITY};
use crate::{collect, control, oauth, send, sign};

pub fn router(state: AppState) -> Router {
    let c = "/collect/api";
    Router::new()
        // OAuth
        .route("/oauth/authorize", get(oauth::authorize))
        .route("/oauth/authorize/decision", post(oauth::decision))
        .route("/oauth/token", post(oauth::token))
        .route("/oauth/revoke", post(oauth::revoke))
        // Collect
        .route(&format!("{c}/v1/version"), get(collect::forms::version))
        .route(
            &format!("{c}/v1/forms"),
            get(collect::forms::list_forms).post(collect::forms::create_form),
        )
        .route(
            &format!("{c}/v1/forms/{{form}}"),
            get(collect::forms::get_form_h).put(collect::forms::update_form),
        )
        .route(
            &format!("{c}/v1/forms/{{form}}/publish"),
            post(collect::forms::publish_form),
        )
        .route(
            &format!("{c}/v1/forms/{{form}}/archive"),
            post(collect::forms::archive_form),
        )
        .route(
            &format!("{c}/v1/forms/{{form}}/versions"),
            get(collect::forms::list_versions),
        )
        .route(
            &format!("{c}/v1/forms/{{form}}/versions/{{version}}"),
            get(collect::forms::get_version).put(collect::forms::update_version),
        )
        .route(
            &format!("{c}/v1/forms/{{form}}/versions/{{version}}/{{action}}"),
            post(collect::forms::version_action),
        )
        .route(
            &format!("{c}/v2/forms/{{form}}/requests"),
            post(collect::requests::create_request_v2),
        )
        .route(
            &format!("{c}/v1/forms/{{form}}/requests"),
            post(collect::requests::create_request_v1),
        )
        .route(
            &format!("{c}/v1/forms/{{form}}/requests/{{request}}/answers"),
            get(collect::requests::request_answers),
        )
        .route(
            &format!("{c}/v2/forms/{{form}}/requests/{{request}}/answers"),
            get(collect::requests::request_answers),
        )
        .route(
            &format!("{c}/v1/forms/{{form}}/submissions"),
            get(collect::submissions::list_submissions),
        )
        .route(
            &format!("{c}/v1/forms/{{form}}/submissions/{{submission}}/answers"),
            get(collect::submissions::submission_answers),
        )
        .route(
            &format!("{c}/v1/casefiles/{{id}}/answers"),
            get(collect::submissions::casefile_answers),
        )
        .route(
            &format!("{c}/v1/files/{{file}}"),
            get(collect::files::download_file),
        )
        .route(
            &format!("{c}/v1/casefiles/{{id}}/files"),
            get(collect::files::casefile_files),
        )
        .route(
            "/collect/requests/{request}",
            get(collect::fill::fill_get)
                .post(collect::fill::fill_post)
                .layer(DefaultBodyLimit::max(collect::fill::FILL_LIMIT)),
        )
        .route(
            "/collect/forms/{form}",
            get(collect::fill::public_get)
                .post(collect::fill::public_post)
                .layer(DefaultBodyLimit::max(collect::fill::FILL_LIMIT)),
        )
        // Send
        .route(
            "/send/api/v1/casefiles/20251022/create",
            post(send::api::create).layer(DefaultBodyLimit::max(send::api::CREATE_LIMIT)),
        )
        .route(
            "/send/api/v1/queue/public/status",
            post(send::api::job_status),
        )
        // Sign
        .route("/api/v1/casefiles", get(sign::api::list_casefiles))
        .route("/api/v3/casefiles", get(sign::api::list_casefiles))
        .route(
            "/api/v1/casefiles/{id}",
            get(sign::api::get_casefile).delete(sign::api::delete_casefile),
        )
        .route(
            "/api/v3/casefiles/{id}",
            get(sign::api::get_casefile).delete(sign::api::delete_casefile),
        )
        .route(
            "/api/v1/casefiles/{id}/documents",
            get(sign::api::casefile_documents),
        )
        .route(
            "/api/v3/casefiles/{id}/documents",
            get(sign::api::casefile_documents),
        )
        .route(
            "/api/v1/signingrequests/{id}/link",
            get(sign::api::signing_request_link),
        )
        .route(
            "/api/v1/signingrequests/{id}/send",
            patch(sign::api::signing_request_send),
        )
        .route("/api/v1/documents/{id}", get(sign::api::get_document))
        .route("/api/v3/documents/{id}", get(sign::api::get_document))
        .route(
            "/api/v1/documents/{id}/content",
            get(sign::api::document_content),
        )
        .route(
            "/api/v3/documents/{id}/content",
            get(sign::api::document_content),
        )
        .route("/signing/{token}", get(sign::page::signing_page))
        .route("/signing/{token}/sign", post(sign::page::signing_sign))
        .route("/signing/{token}/reject", post(sign::page::signing_reject))
        .route(
            "/signing/{token}/documents/{doc}",
            get(sign::page::signing_document),
        )
        // Control API
        .route("/_sim/info", get(control::info))
        .route("/_sim/requests/{request}/submit", post(control::submit))
        .route("/_sim/casefiles/{id}/sign-all", post(control::sign_all))
        .route(
            "/_sim/casefiles/{id}/signers/{signer}/{action}",
            post(control::signer_action),
        )
        .route(
            "/_sim/casefiles/malformed",
            post(control::add_malformed_casefile).delete(control::clear_malformed_casefiles),
        )
        .route("/_sim/files/links", post(control::files_links))
        .route("/_storage/{blob}", get(collect::files::storage_blob))
        .route("/_sim/clock", get(control::clock_get))
        .route("/_sim/clock/advance", post(control::clock_advance))
        .route(
            "/_sim/faults",
            post(control::add_fault)
                .get(control::list_faults)
                .delete(control::clear_faults),
        )
        .route(
            "/_sim/log",
            get(control::get_log).delete(control::clear_log),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware,
        ))
        .with_state(state)
}

/// An unknown route answers the way Penneo's NestJS services do:
/// `404 {"message":"Cannot GET /path","error":"Not Found","statusCode":404}` (the path
/// without its query, which may hold a secret).
async fn not_found(method: Method, uri: axum::http::Uri) -> Response {
    ApiError::not_found(format!("Cannot {method} {}", uri.path())).into_response()
}

async fn method_not_allowed(method: Method, uri: axum::http::Uri) -> Response {
    ApiError::rest(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("Method {method} is not allowed on {}", uri.path()),
    )
    .into_response()
}

const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "x-auth-token",
    "cookie",
    "set-cookie",
    "x-wsse",
    "proxy-authorization",
];
const SECRET_QUERY: &[&str] = &[
    "code",
    "code_verifier",
    "client_secret",
    "refresh_token",
    "access_token",
    "token",
    "state",
    "digest",
    "nonce",
];

fn mask(v: &str) -> String {
    let n = v.chars().count();
    if n <= 8 {
        "***".into()
    } else {
        let head: String = v.chars().take(4).collect();
        format!("{head}***")
    }
}

fn masked_query(q: &str) -> String {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(q).unwrap_or_default();
    let masked: Vec<(String, String)> = pairs
        .into_iter()
        .map(|(k, v)| {
            if SECRET_QUERY.contains(&k.as_str()) {
                (k, "***".into())
            } else {
                (k, v)
            }
        })
        .collect();
    serde_urlencoded::to_string(masked).unwrap_or_default()
}

/// A response whose body fails immediately, so the connection is torn down.
/// Reads a request body to its end, keeping none of it.
async fn drain(body: axum::body::Body) {
    use futures_util::StreamExt;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        if chunk.is_err() {
            break;
        }
    }
}

fn dropped_connection() -> Response {
    let stream = futures_util::stream::once(async {
        Err::<bytes::Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "fault injection: connection dropped",
        ))
    });
    let mut r = Response::new(axum::body::Body::from_stream(stream));
    r.headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from_static("1048576"));
    r
}

async fn middleware(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(masked_query);
    let headers: BTreeMap<String, String> = req
        .headers()
        .iter()
        .map(|(k, v)| {
            let name = k.as_str().to_string();
            let val = String::from_utf8_lossy(v.as_bytes()).to_string();
            if SECRET_HEADERS.contains(&name.as_str()) {
                let shown = match val.split_once(' ') {
                    Some((scheme, rest)) => format!("{scheme} {}", mask(rest)),
                    None => mask(&val),
                };
                (name, shown)
            } else {
                (name, val)
            }
        })
        .collect();
    let body_size = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());

    let fault = if path.starts_with("/_sim") {
        None
    } else {
        let mut rt = s.rt();
        let idx = rt.faults.iter().position(|f| {
            f.remaining > 0
                && path.starts_with(&f.path_prefix)
                && f.method.as_deref().is_none_or(|m| m == method)
        });
        idx.map(|i| {
            rt.faults[i].remaining -= 1;
            let f = rt.faults[i].clone();
            if rt.faults[i].remaining == 0 {
                rt.faults.remove(i);
            }
            f
        })
    };

    let response = match fault {
        Some(f) => {
            if let Some(d) = f.delay_ms {
                tokio::time::sleep(std::time::Duration::from_millis(d)).await;
            }
            if f.drop_connection {
                dropped_connection()
            } else if let Some(st) = f.status.and_then(|c| StatusCode::from_u16(c).ok()) {
                // Read the request to its end first, as a server that processed it would: an
                // answer while the client is still writing a large upload closes the connection
                // under it, and the client sees a broken connection instead of this status (a
                // race that made the end-to-end test of a refused send flaky).
                drain(req.into_body()).await;
                let mut e = ApiError::rest(st, format!("Injected fault ({})", st.as_u16()));
                if path.starts_with("/oauth/") {
                    e = ApiError::oauth(
                        st,
                        "server_error",
                        format!("Injected fault ({})", st.as_u16()),
                    );
                }
                if let Some(ra) = f.retry_after {
                    e = e.with_retry_after(ra);
                }
                e.into_response()
            } else {
                next.run(req).await
            }
        }
        None => next.run(req).await,
    };

    let mut response = response;
    let request_id = uuid::Uuid::new_v4();
    if let Ok(v) = HeaderValue::from_str(&request_id.to_string()) {
        response.headers_mut().insert("x-penneo-request-id", v);
    }
    if let Ok(v) = HeaderValue::from_str(&request_id.simple().to_string()[..16]) {
        response.headers_mut().insert("x-b3-traceid", v);
    }
    let now = s.now_ms();
    {
        let mut rt = s.rt();
        if rt.log.len() >= LOG_CAPACITY {
            rt.log.pop_front();
        }
        rt.log.push_back(crate::state::LogEntry {
            at: iso(now),
            method,
            path,
            query,
            headers,
            body_size,
            status: response.status().as_u16(),
            request_id: request_id.to_string(),
        });
    }
    if let Err(e) = s.persist().await {
        tracing::error!("could not save state: {e}");
    }
    response
}
