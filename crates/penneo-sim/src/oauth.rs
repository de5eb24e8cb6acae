//! OAuth host: `/oauth/authorize` (consent page), `/oauth/token` (authorization_code,
//! refresh_token, api_keys), `/oauth/revoke`.

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use base64::Engine;
use serde_json::{json, Map, Value};
use sha1::Digest as _;

use crate::error::{ApiError, ApiResult, Flavor};
use crate::state::{random_token, secs, AppState, AuthCode, PendingAuth, TokenKind, TokenRec};
use crate::util::{content_type, esc, query_get, query_pairs, read_body, JSON_LIMIT};
use crate::{
    DEMO_API_KEY, DEMO_API_SECRET, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_USER_EMAIL,
    DEMO_USER_NAME,
};

pub const ACCESS_TTL_SECS: i64 = 600;
pub const REFRESH_TTL_SECS: i64 = 30 * 24 * 3600;
pub const CODE_TTL_SECS: i64 = 60;

const B64URL: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;
const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// The S256 code challenge for a verifier (RFC 7636 §4.2).
pub fn s256_challenge(verifier: &str) -> String {
    B64URL.encode(sha2::Sha256::digest(verifier.as_bytes()))
}

/// The api_keys digest: Base64(SHA1(raw_nonce ‖ created_at ‖ secret)).
pub fn api_key_digest(raw_nonce: &[u8], created_at: &str, secret: &str) -> String {
    let mut h = sha1::Sha1::new();
    h.update(raw_nonce);
    h.update(created_at.as_bytes());
    h.update(secret.as_bytes());
    B64.encode(h.finalize())
}

fn valid_verifier(v: &str) -> bool {
    (43..=128).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// Redirect URIs allowed for the demo client: http on 127.0.0.1 or localhost, any port,
/// no fragment.
pub fn redirect_allowed(uri: &str) -> bool {
    match url::Url::parse(uri) {
        Ok(u) => {
            u.scheme() == "http"
                && matches!(u.host_str(), Some("127.0.0.1") | Some("localhost"))
                && u.fragment().is_none()
                && u.username().is_empty()
        }
        Err(_) => false,
    }
}

fn redirect_with(uri: &str, params: &[(&str, &str)]) -> Response {
    match url::Url::parse(uri) {
        Ok(mut u) => {
            {
                let mut q = u.query_pairs_mut();
                for (k, v) in params {
                    q.append_pair(k, v);
                }
            }
            Redirect::to(u.as_str()).into_response()
        }
        Err(_) => ApiError::html(StatusCode::BAD_REQUEST, "Invalid redirect_uri").into_response(),
    }
}

fn redirect_error(uri: &str, error: &str, desc: &str, state: Option<&str>) -> Response {
    let mut p = vec![("error", error), ("error_description", desc)];
    if let Some(s) = state {
        p.push(("state", s));
    }
    redirect_with(uri, &p)
}

fn issue_code(s: &AppState, p: &PendingAuth) -> String {
    let code = random_token("sim_code_");
    let mut db = s.db();
    let now = db.now_ms();
    db.codes.insert(
        code.clone(),
        AuthCode {
            client_id: p.client_id.clone(),
            redirect_uri: p.redirect_uri.clone(),
            challenge: p.challenge.clone(),
            method: p.method.clone(),
            scope: p.scope.clone(),
            expires_at: now + CODE_TTL_SECS * 1000,
            used: false,
            issued: Vec::new(),
        },
    );
    db.touch();
    code
}

fn approve_redirect(s: &AppState, p: &PendingAuth) -> Response {
    let code = issue_code(s, p);
    let mut params = vec![("code", code.as_str())];
    if let Some(st) = p.state.as_deref() {
        params.push(("state", st));
    }
    redirect_with(&p.redirect_uri, &params)
}

/// `GET /oauth/authorize`
pub async fn authorize(State(s): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let pairs = match query_pairs(q.as_deref()) {
        Ok(p) => p,
        Err(e) => return e.with_flavor(Flavor::Html).into_response(),
    };
    let get = |k: &str| query_get(&pairs, k).map(str::to_string);
    let client_id = get("client_id").unwrap_or_default();
    let registered = s.clients.iter().find(|c| c.id == client_id);
    if client_id != DEMO_CLIENT_ID && registered.is_none() {
        return ApiError::html(
            StatusCode::BAD_REQUEST,
            format!("Unknown client_id '{client_id}'. The simulator knows '{DEMO_CLIENT_ID}'."),
        )
        .into_response();
    }
    let Some(redirect_uri) = get("redirect_uri") else {
        return ApiError::html(StatusCode::BAD_REQUEST, "Missing redirect_uri").into_response();
    };
    // A registered client's redirect URI is compared exactly (scheme, host, port, path), as
    // Penneo does; the demo client takes any loopback one. A mismatch is never redirected to
    // (that is the point): the error page says it.
    let (allowed, registered_uri) = match registered {
        Some(c) => (c.redirect_uri == redirect_uri, c.redirect_uri.as_str()),
        None => (
            redirect_allowed(&redirect_uri),
            "http://127.0.0.1:<port>/... or http://localhost:<port>/...",
        ),
    };
    if !allowed {
        return ApiError::html(
            StatusCode::BAD_REQUEST,
            format!(
                "redirect_uri_mismatch: '{redirect_uri}' is not registered for this client \
                 (registered: {registered_uri})"
            ),
        )
        .into_response();
    }
    let state = get("state");
    if get("response_type").as_deref() != Some("code") {
        return redirect_error(
            &redirect_uri,
            "unsupported_response_type",
            "response_type must be 'code'",
            state.as_deref(),
        );
    }
    let Some(challenge) = get("code_challenge").filter(|c| !c.is_empty()) else {
        return redirect_error(
            &redirect_uri,
            "invalid_request",
            "code_challenge is required",
            state.as_deref(),
        );
    };
    let method = get("code_challenge_method").unwrap_or_else(|| "plain".into());
    if method != "S256" && method != "plain" {
        return redirect_error(
            &redirect_uri,
            "invalid_request",
            "code_challenge_method must be S256 or plain",
            state.as_deref(),
        );
    }
    let pending = PendingAuth {
        client_id,
        redirect_uri,
        state,
        challenge,
        method,
        scope: get("scope"),
    };
    if s.auto_approve {
        return approve_redirect(&s, &pending);
    }
    let id = random_token("auth_");
    s.rt().pending_auth.insert(id.clone(), pending.clone());
    let body = format!(
        "<h1>Sign in to Penneo</h1>\
<p>Signed in as <strong>{name}</strong> &lt;{email}&gt;.</p>\
<p>The application <strong>{client}</strong> asks for access to your Penneo account{scope}.</p>\
<p class=\"muted\">It will be sent back to {redirect}.</p>\
<form method=\"post\" action=\"/oauth/authorize/decision\">\
<input type=\"hidden\" name=\"request\" value=\"{id}\">\
<button class=\"primary\" type=\"submit\" name=\"decision\" value=\"approve\" id=\"approve\">Approve</button>\
<button class=\"secondary\" type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\">Deny</button>\
</form>",
        name = esc(DEMO_USER_NAME),
        email = esc(DEMO_USER_EMAIL),
        client = esc(&pending.client_id),
        scope = pending
            .scope
            .as_deref()
            .map(|sc| format!(" (scope: {})", esc(sc)))
            .unwrap_or_default(),
        redirect = esc(&pending.redirect_uri),
        id = esc(&id),
    );
    Html(crate::html::page("Sign in", &body)).into_response()
}

/// `POST /oauth/authorize/decision` (form: request, decision=approve|deny)
pub async fn decision(State(s): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let bytes = match read_body(body, 64 * 1024, Flavor::Html).await {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    if content_type(&headers) != "application/x-www-form-urlencoded" {
        return ApiError::html(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Expected a form submission",
        )
        .into_response();
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let id = query_get(&pairs, "request").unwrap_or("").to_string();
    let decision = query_get(&pairs, "decision").unwrap_or("").to_string();
    let Some(pending) = s.rt().pending_auth.remove(&id) else {
        return ApiError::html(
            StatusCode::BAD_REQUEST,
            "This sign-in request is unknown or was already answered.",
        )
        .into_response();
    };
    match decision.as_str() {
        "approve" => approve_redirect(&s, &pending),
        _ => redirect_error(
            &pending.redirect_uri,
            "access_denied",
            "The user denied access",
            pending.state.as_deref(),
        ),
    }
}

fn oauth_err(status: StatusCode, code: &'static str, desc: impl Into<String>) -> ApiError {
    ApiError::oauth(status, code, desc)
}

/// Read a token/revoke body: JSON (as the contract says) or form-urlencoded (RFC 6749).
async fn read_params(headers: &HeaderMap, body: Body) -> ApiResult<Map<String, Value>> {
    let bytes = read_body(body, JSON_LIMIT, Flavor::OAuth).await?;
    let ct = content_type(headers);
    let mut map = if ct == "application/json" {
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(m)) => m,
            Ok(_) => {
                return Err(oauth_err(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "The request body must be a JSON object",
                ))
            }
            Err(e) => {
                return Err(oauth_err(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    format!("Malformed JSON body: {e}"),
                ))
            }
        }
    } else if ct == "application/x-www-form-urlencoded" {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).map_err(|e| {
            oauth_err(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                format!("Malformed form body: {e}"),
            )
        })?;
        pairs
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect()
    } else {
        return Err(oauth_err(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Content-Type must be application/json",
        ));
    };
    // HTTP Basic client authentication is accepted as well.
    if let Some((id, secret)) = basic_auth(headers) {
        map.entry("client_id").or_insert(Value::String(id));
        map.entry("client_secret").or_insert(Value::String(secret));
    }
    Ok(map)
}

fn basic_auth(headers: &HeaderMap) -> Option<(String, String)> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let rest = v
        .strip_prefix("Basic ")
        .or_else(|| v.strip_prefix("basic "))?;
    let decoded = String::from_utf8(B64.decode(rest.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let id = url::form_urlencoded::parse(format!("a={id}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())?;
    let secret = url::form_urlencoded::parse(format!("a={secret}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())?;
    Some((id, secret))
}

fn param<'a>(m: &'a Map<String, Value>, k: &str) -> Option<&'a str> {
    m.get(k).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn require<'a>(m: &'a Map<String, Value>, k: &str) -> ApiResult<&'a str> {
    param(m, k).ok_or_else(|| {
        oauth_err(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            format!("Missing parameter '{k}'"),
        )
    })
}

fn check_client(s: &AppState, m: &Map<String, Value>) -> ApiResult<String> {
    let id = param(m, "client_id").unwrap_or("");
    let secret = param(m, "client_secret").unwrap_or("");
    let known = (id == DEMO_CLIENT_ID && secret == DEMO_CLIENT_SECRET)
        || s.clients.iter().any(|c| c.id == id && c.secret == secret);
    if !known {
        return Err(oauth_err(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed",
        ));
    }
    Ok(id.to_string())
}

/// `POST /oauth/token`
pub async fn token(State(s): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    match token_inner(&s, &headers, body).await {
        Ok(v) => {
            let mut r = axum::Json(v).into_response();
            r.headers_mut().insert(
                header::CACHE_CONTROL,
                header::HeaderValue::from_static("no-store"),
            );
            r
        }
        Err(e) => e.with_flavor(Flavor::OAuth).into_response(),
    }
}

async fn token_inner(s: &AppState, headers: &HeaderMap, body: Body) -> ApiResult<Value> {
    let m = read_params(headers, body).await?;
    let grant = require(&m, "grant_type")?.to_string();
    match grant.as_str() {
        "authorization_code" | "refresh_token" | "api_keys" => {}
        other => {
            return Err(oauth_err(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                format!("Unsupported grant_type '{other}'"),
            ))
        }
    }
    let client_id = check_client(s, &m)?;
    match grant.as_str() {
        "authorization_code" => grant_code(s, &m, &client_id),
        "refresh_token" => grant_refresh(s, &m, &client_id),
        _ => grant_api_keys(s, &m, &client_id),
    }
}

fn issue_tokens(
    s: &AppState,
    client_id: &str,
    scope: Option<String>,
    with_refresh: bool,
) -> (Value, Vec<String>) {
    let mut db = s.db();
    let now = db.now_ms();
    let access = random_token("sim_at_");
    let access_exp = now + ACCESS_TTL_SECS * 1000;
    db.tokens.insert(
        access.clone(),
        TokenRec {
            kind: TokenKind::Access,
            client_id: client_id.into(),
            scope: scope.clone(),
            expires_at: access_exp,
        },
    );
    let mut out = json!({
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": ACCESS_TTL_SECS,
        "access_token_expires_at": secs(access_exp),
    });
    let mut issued = vec![access];
    if with_refresh {
        let refresh = random_token("sim_rt_");
        let refresh_exp = now + REFRESH_TTL_SECS * 1000;
        db.tokens.insert(
            refresh.clone(),
            TokenRec {
                kind: TokenKind::Refresh,
                client_id: client_id.into(),
                scope: scope.clone(),
                expires_at: refresh_exp,
            },
        );
        out["refresh_token"] = json!(refresh);
        out["refresh_token_expires_at"] = json!(secs(refresh_exp));
        issued.push(refresh);
    }
    if let Some(sc) = scope {
        out["scope"] = json!(sc);
    }
    db.touch();
    (out, issued)
}

fn grant_code(s: &AppState, m: &Map<String, Value>, client_id: &str) -> ApiResult<Value> {
    let code = require(m, "code")?;
    let redirect_uri = require(m, "redirect_uri")?;
    let verifier = param(m, "code_verifier");
    let rec = {
        let mut db = s.db();
        let now = db.now_ms();
        let Some(rec) = db.codes.get_mut(code) else {
            return Err(oauth_err(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                "The authorization code is invalid",
            ));
        };
        if rec.used {
            // Replay: refuse and revoke whatever the code produced (RFC 6749 §4.1.2).
            let issued = std::mem::take(&mut rec.issued);
            for t in issued {
                db.tokens.remove(&t);
            }
            db.touch();
            return Err(oauth_err(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                "The authorization code has already been used",
            ));
        }
        if rec.expires_at <= now {
            return Err(oauth_err(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                "The authorization code has expired",
            ));
        }
        if rec.client_id != client_id {
            return Err(oauth_err(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                "The authorization code was issued to another client",
            ));
        }
        if rec.redirect_uri != redirect_uri {
            return Err(oauth_err(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                "redirect_uri does not match the authorization request",
            ));
        }
        let Some(verifier) = verifier else {
            return Err(oauth_err(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "Missing parameter 'code_verifier'",
            ));
        };
        let ok = valid_verifier(verifier)
            && match rec.method.as_str() {
                "S256" => s256_challenge(verifier) == rec.challenge,
                _ => verifier == rec.challenge,
            };
        if !ok {
            return Err(oauth_err(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                "PKCE verification failed: code_verifier does not match code_challenge",
            ));
        }
        rec.used = true;
        let r = rec.clone();
        db.touch();
        r
    };
    let (out, issued) = issue_tokens(s, client_id, rec.scope.clone(), true);
    let mut db = s.db();
    if let Some(c) = db.codes.get_mut(code) {
        c.issued = issued;
    }
    Ok(out)
}

fn grant_refresh(s: &AppState, m: &Map<String, Value>, client_id: &str) -> ApiResult<Value> {
    let rt = require(m, "refresh_token")?.to_string();
    let scope = {
        let mut db = s.db();
        let now = db.now_ms();
        let rec = match db.tokens.get(&rt) {
            Some(r) if r.kind == TokenKind::Refresh => r.clone(),
            _ => {
                return Err(oauth_err(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "The refresh token is invalid or was revoked",
                ))
            }
        };
        if rec.expires_at <= now {
            db.tokens.remove(&rt);
            db.touch();
            return Err(oauth_err(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                "The refresh token has expired",
            ));
        }
        if rec.client_id != client_id {
            return Err(oauth_err(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                "The refresh token was issued to another client",
            ));
        }
        // Rotation: the old refresh token stops working now.
        db.tokens.remove(&rt);
        db.touch();
        rec.scope
    };
    Ok(issue_tokens(s, client_id, scope, true).0)
}

fn grant_api_keys(s: &AppState, m: &Map<String, Value>, client_id: &str) -> ApiResult<Value> {
    let key = require(m, "key")?;
    let nonce = require(m, "nonce")?;
    let created_at = require(m, "created_at")?;
    let digest = require(m, "digest")?;
    let raw = B64.decode(nonce).map_err(|_| {
        oauth_err(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "nonce must be Base64",
        )
    })?;
    if raw.is_empty() || raw.len() > 64 {
        return Err(oauth_err(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "nonce must decode to 1-64 bytes",
        ));
    }
    if key != DEMO_API_KEY {
        return Err(oauth_err(
            StatusCode::UNAUTHORIZED,
            "invalid_grant",
            "Unknown API key",
        ));
    }
    if api_key_digest(&raw, created_at, DEMO_API_SECRET) != digest {
        return Err(oauth_err(
            StatusCode::UNAUTHORIZED,
            "invalid_grant",
            "The digest does not match",
        ));
    }
    {
        let mut db = s.db();
        if !db.nonces.insert(nonce.to_string()) {
            return Err(oauth_err(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                "This nonce has already been used",
            ));
        }
        db.touch();
    }
    Ok(issue_tokens(s, client_id, param(m, "scope").map(str::to_string), false).0)
}

/// `POST /oauth/revoke` (assumed): `{token, client_id, client_secret}` → always `200`, empty.
pub async fn revoke(State(s): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let m = match read_params(&headers, body).await {
        Ok(m) => m,
        Err(e) => return e.with_flavor(Flavor::OAuth).into_response(),
    };
    if let Err(e) = check_client(&s, &m) {
        return e.with_flavor(Flavor::OAuth).into_response();
    }
    let token = param(&m, "token").or_else(|| param(&m, "refresh_token"));
    if let Some(t) = token {
        let mut db = s.db();
        if db.tokens.remove(t).is_some() {
            db.touch();
        }
    }
    StatusCode::OK.into_response()
}
