//! What a handler needs before it starts, as axum extractors, so each handler says it in its
//! signature instead of repeating the same lines: the caller's token ([`Bearer`] for Collect
//! and Sign, [`SendToken`] for the Send create), a numeric record id from the path
//! ([`CasefileId`], [`DocumentId`], [`SigningRequestId`]), the query string ([`Pairs`]), and
//! the simulated clock caught up ([`Settled`]). Extractors run in the order of the handler's
//! arguments, so that order is the order of the checks.

use std::convert::Infallible;

use axum::extract::{FromRequestParts, Path};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, Shared, TokenKind};
use crate::util::query_pairs;

fn check_access_token(s: &Shared, token: &str) -> ApiResult<()> {
    let db = s.db();
    let now = db.now_ms();
    match db.tokens.get(token) {
        Some(t) if t.kind == TokenKind::Access && t.expires_at > now => Ok(()),
        _ => Err(ApiError::unauthorized()),
    }
}

/// `Authorization: Bearer <access token>` with a live access token (Collect, Sign); `401`
/// otherwise.
pub struct Bearer;

impl FromRequestParts<AppState> for Bearer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> ApiResult<Self> {
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(ApiError::unauthorized)?;
        let mut split = value.splitn(2, ' ');
        let scheme = split.next().unwrap_or("");
        let token = split.next().unwrap_or("").trim();
        if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
            return Err(ApiError::unauthorized());
        }
        check_access_token(s, token).map(|()| Bearer)
    }
}

/// `X-Auth-Token: <access token>` with a live access token (the Send create). Penneo's Send API
/// documents a bad or expired token as `400 Invalid JWT token: …`, not a 401.
pub struct SendToken;

impl FromRequestParts<AppState> for SendToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> ApiResult<Self> {
        let jwt = |why: &str| ApiError::bad_request(format!("Invalid JWT token: {why}"));
        let token = parts
            .headers
            .get("x-auth-token")
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| jwt("no X-Auth-Token header"))?;
        check_access_token(s, token)
            .map(|()| SendToken)
            .map_err(|_| jwt("the token is invalid or has expired"))
    }
}

/// A numeric id; anything else is the `404` an unknown id gets (`"{what} {raw} not found"`).
pub fn parse_id(raw: &str, what: &str) -> ApiResult<u64> {
    raw.parse::<u64>()
        .map_err(|_| ApiError::not_found(format!("{what} {raw} not found")))
}

/// An extractor for the route's one path parameter as a numeric id of one kind of record.
macro_rules! path_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        pub struct $name(pub u64);

        impl<S: Send + Sync> FromRequestParts<S> for $name {
            type Rejection = Response;

            async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Response> {
                let Path(raw) = Path::<String>::from_request_parts(parts, s)
                    .await
                    .map_err(IntoResponse::into_response)?;
                parse_id(&raw, $what)
                    .map($name)
                    .map_err(IntoResponse::into_response)
            }
        }
    };
}

path_id!(
    /// `{id}` of a casefile (`404 Casefile … not found` when it is not a number).
    CasefileId,
    "Casefile"
);
path_id!(
    /// `{id}` of a document (`404 Document … not found` when it is not a number).
    DocumentId,
    "Document"
);
path_id!(
    /// `{id}` of a signing request (`404 Signing request … not found` when it is not a number).
    SigningRequestId,
    "Signing request"
);

/// The query string as ordered pairs; `400` when it is malformed.
pub struct Pairs(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for Pairs {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> ApiResult<Self> {
        query_pairs(parts.uri.query()).map(Pairs)
    }
}

/// The work the simulated clock has made due (job progress, scheduled sends, expiry, sealing)
/// is done before the handler reads, so it answers with the state as of now.
pub struct Settled;

impl FromRequestParts<AppState> for Settled {
    type Rejection = Infallible;

    async fn from_request_parts(_: &mut Parts, s: &AppState) -> Result<Self, Infallible> {
        crate::work::process_due(s).await;
        Ok(Settled)
    }
}
