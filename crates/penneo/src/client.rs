//! The client, its builder and the request machinery (auth headers, 401 handling, retries).

use std::sync::Arc;
use std::time::Duration;

use rand::Rng;
use reqwest::header::{HeaderValue, AUTHORIZATION};
use reqwest::{RequestBuilder, Response};
use serde::de::DeserializeOwned;
use url::Url;

use crate::auth::{AuthHandler, Credentials, RotationHook, TokenProvider};
use crate::endpoints::{AuthStyle, Endpoint, Host};
use crate::error::{self, Error, ErrorContext, Result};
use crate::models::TokenSet;

/// Where the client talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Environment {
    /// `https://sandbox.oauth.penneo.cloud` + `https://sandbox.penneo.com`.
    Sandbox,
    /// `https://login.penneo.com` + `https://app.penneo.com`.
    Production,
    /// Any pair of hosts (e.g. the simulator: both `http://127.0.0.1:<port>`).
    Custom {
        /// OAuth host base.
        oauth_base: Url,
        /// API host base (Sign, Send, Collect under it).
        api_base: Url,
    },
}

impl Environment {
    /// `(oauth_base, api_base)`.
    pub fn bases(&self) -> Result<(Url, Url)> {
        let parse = |s: &str| Url::parse(s).map_err(|e| Error::Config(format!("bad URL {s}: {e}")));
        match self {
            Environment::Sandbox => Ok((
                parse("https://sandbox.oauth.penneo.cloud/")?,
                parse("https://sandbox.penneo.com/")?,
            )),
            Environment::Production => Ok((
                parse("https://login.penneo.com/")?,
                parse("https://app.penneo.com/")?,
            )),
            Environment::Custom {
                oauth_base,
                api_base,
            } => Ok((oauth_base.clone(), api_base.clone())),
        }
    }

    /// Both hosts at one base URL (the simulator).
    pub fn custom_single(base: Url) -> Self {
        Environment::Custom {
            oauth_base: base.clone(),
            api_base: base,
        }
    }
}

/// Retry policy for idempotent calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// First backoff.
    pub base_delay: Duration,
    /// Backoff cap.
    pub max_delay: Duration,
    /// A `Retry-After` longer than this is not waited for: the error is returned instead.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(300),
            max_delay: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..Default::default()
        }
    }

    /// The delay before retry number `attempt` (0-based): full-jitter capped exponential, or the
    /// server's `Retry-After` when it sent one.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(ra) = retry_after {
            return ra;
        }
        let exp = self.base_delay.saturating_mul(1u32 << attempt.min(16));
        let capped = exp.min(self.max_delay);
        let ms = capped.as_millis() as u64;
        if ms == 0 {
            return Duration::ZERO;
        }
        // Jitter between half and the full capped delay.
        Duration::from_millis(rand::thread_rng().gen_range(ms / 2..=ms))
    }
}

/// Builder of [`Penneo`].
pub struct PenneoBuilder {
    environment: Environment,
    credentials: Option<Credentials>,
    tokens: Option<TokenSet>,
    on_rotated: Option<RotationHook>,
    user_agent: String,
    connect_timeout: Duration,
    read_timeout: Duration,
    upload_idle_timeout: Duration,
    retry: RetryPolicy,
    job_poll_interval: Duration,
    observer: Option<Arc<dyn crate::observe::ExchangeObserver>>,
}

impl std::fmt::Debug for PenneoBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PenneoBuilder")
            .field("environment", &self.environment)
            .field("credentials", &self.credentials)
            .field("user_agent", &self.user_agent)
            .finish_non_exhaustive()
    }
}

impl Default for PenneoBuilder {
    fn default() -> Self {
        PenneoBuilder {
            environment: Environment::Sandbox,
            credentials: None,
            tokens: None,
            on_rotated: None,
            user_agent: crate::DEFAULT_USER_AGENT.to_owned(),
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(60),
            upload_idle_timeout: Duration::from_secs(120),
            retry: RetryPolicy::default(),
            job_poll_interval: crate::jobs::MIN_POLL_INTERVAL,
            observer: None,
        }
    }
}

impl PenneoBuilder {
    /// Sandbox (default), production, or custom hosts.
    pub fn environment(mut self, env: Environment) -> Self {
        self.environment = env;
        self
    }

    /// OAuth client or API-key credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// A stored session (e.g. a refresh token from the keychain with an expired access token).
    pub fn tokens(mut self, tokens: TokenSet) -> Self {
        self.tokens = Some(tokens);
        self
    }

    /// Called with the new token set every time a refresh (or grant) replaces the tokens, so
    /// the app can persist the rotated refresh token.
    pub fn on_tokens_rotated(mut self, hook: RotationHook) -> Self {
        self.on_rotated = Some(hook);
        self
    }

    /// User agent (default `PenneoDesk/<version>`).
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = ua.into();
        self
    }

    /// Connect timeout (default 10 s).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }

    /// Time allowed between bytes of a response, and for the headers of a non-upload call
    /// (default 60 s).
    pub fn read_timeout(mut self, d: Duration) -> Self {
        self.read_timeout = d;
        self
    }

    /// Uploads fail when no byte was sent and no response came for this long (default 120 s).
    pub fn upload_idle_timeout(mut self, d: Duration) -> Self {
        self.upload_idle_timeout = d;
        self
    }

    /// Retry policy of idempotent calls.
    pub fn retry_policy(mut self, p: RetryPolicy) -> Self {
        self.retry = p;
        self
    }

    /// Interval of [`crate::jobs::JobsHandler::wait`]; never below 3 s (20 polls a minute).
    pub fn job_poll_interval(mut self, d: Duration) -> Self {
        self.job_poll_interval = d.max(crate::jobs::MIN_POLL_INTERVAL);
        self
    }

    /// Reports every exchange (token calls included) to `observer` while it is enabled; see
    /// [`crate::observe`].
    pub fn observer(mut self, observer: Arc<dyn crate::observe::ExchangeObserver>) -> Self {
        self.observer = Some(observer);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Penneo> {
        let (oauth_base, api_base) = self.environment.bases()?;
        let ua = HeaderValue::from_str(&self.user_agent)
            .map_err(|_| Error::Config("user agent is not a valid header value".into()))?;
        let base = || {
            crate::tls::client_builder()
                .user_agent(ua.clone())
                .connect_timeout(self.connect_timeout)
                .pool_idle_timeout(Duration::from_secs(60))
                .redirect(redirect_policy())
        };
        let http = base()
            .read_timeout(self.read_timeout)
            .build()
            .map_err(|e| Error::Config(format!("HTTP client: {e}")))?;
        // Uploads: no fixed deadline for the headers (a large upload takes long); an idle
        // timeout on progress is enforced instead (see upload.rs).
        let upload_http = base()
            .http1_only()
            .build()
            .map_err(|e| Error::Config(format!("HTTP client: {e}")))?;
        let tokens = TokenProvider::new(
            http.clone(),
            oauth_base.clone(),
            self.credentials.clone(),
            self.tokens,
            self.on_rotated,
            self.observer.clone(),
        );
        Ok(Penneo {
            inner: Arc::new(Inner {
                http,
                upload_http,
                oauth_base,
                api_base,
                environment: self.environment,
                credentials: self.credentials,
                tokens,
                retry: self.retry,
                user_agent: self.user_agent,
                upload_idle_timeout: self.upload_idle_timeout,
                read_timeout: self.read_timeout,
                job_poll_interval: self.job_poll_interval,
                observer: self.observer,
            }),
        })
    }
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) upload_http: reqwest::Client,
    pub(crate) oauth_base: Url,
    pub(crate) api_base: Url,
    environment: Environment,
    pub(crate) credentials: Option<Credentials>,
    pub(crate) tokens: TokenProvider,
    pub(crate) retry: RetryPolicy,
    user_agent: String,
    pub(crate) upload_idle_timeout: Duration,
    /// The longest wait for a response body to arrive in full on the upload client (which has
    /// no per-read timeout: a long upload reads nothing for minutes).
    pub(crate) read_timeout: Duration,
    pub(crate) job_poll_interval: Duration,
    pub(crate) observer: Option<Arc<dyn crate::observe::ExchangeObserver>>,
}

/// The Penneo client. Cheap to clone (one shared connection pool and token provider).
#[derive(Clone)]
pub struct Penneo {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for Penneo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Penneo")
            .field("environment", &self.inner.environment)
            .field("credentials", &self.inner.credentials)
            .field("tokens", &self.inner.tokens)
            .field("user_agent", &self.inner.user_agent)
            .finish_non_exhaustive()
    }
}

/// How many redirects one request follows.
const MAX_REDIRECTS: usize = 5;

/// Whether a redirect from `from` to `to` is followed: only within the origin (scheme, host
/// and port) the request was sent to. A request carries the access token (`Authorization`,
/// `X-Auth-Token`) or, for the token endpoint, the client secret and refresh token in its
/// body; reqwest strips `Authorization` on a host change but not `X-Auth-Token`, and re-sends
/// a body on 307/308. So another origin, and https → http, is never followed: the 3xx comes
/// back as the answer and fails the call.
pub(crate) fn may_follow(from: &url::Url, to: &url::Url) -> bool {
    from.origin() == to.origin() && matches!(to.scheme(), "https" | "http")
}

fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let first = attempt.previous().first().cloned();
        let allowed = attempt.previous().len() <= MAX_REDIRECTS
            && first
                .as_ref()
                .is_some_and(|first| may_follow(first, attempt.url()));
        if allowed {
            attempt.follow()
        } else {
            if let Some(first) = first {
                tracing::warn!(
                    from = %first.origin().ascii_serialization(),
                    to = %attempt.url().origin().ascii_serialization(),
                    "a redirect was not followed"
                );
            }
            attempt.stop()
        }
    })
}

/// Reads at most this much of an error body.
const MAX_ERROR_BODY: usize = 64 * 1024;

impl Penneo {
    /// A builder (sandbox, default timeouts and retries).
    pub fn builder() -> PenneoBuilder {
        PenneoBuilder::default()
    }

    /// OAuth: authorize URL, code exchange, refresh, revoke, `api_keys`.
    pub fn auth(&self) -> AuthHandler {
        AuthHandler::new(self.clone())
    }

    /// The token provider (current session, refresh, single-flight).
    pub fn token_provider(&self) -> &TokenProvider {
        &self.inner.tokens
    }

    /// Whether `other` is a clone of this client (one session), not another client.
    pub fn same_session(&self, other: &Penneo) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// Collect forms and versions.
    pub fn forms(&self) -> crate::forms::FormsHandler {
        crate::forms::FormsHandler::new(self.clone())
    }

    /// Collect prefilled requests.
    pub fn requests(&self) -> crate::requests::RequestsHandler {
        crate::requests::RequestsHandler::new(self.clone())
    }

    /// Collect submissions.
    pub fn submissions(&self) -> crate::submissions::SubmissionsHandler {
        crate::submissions::SubmissionsHandler::new(self.clone())
    }

    /// Casefiles: Send creation, Sign details/list/delete, Collect answers/files.
    pub fn casefiles(&self) -> crate::casefiles::CaseFilesHandler {
        crate::casefiles::CaseFilesHandler::new(self.clone())
    }

    /// Send jobs.
    pub fn jobs(&self) -> crate::jobs::JobsHandler {
        crate::jobs::JobsHandler::new(self.clone())
    }

    /// Sign documents (content download).
    pub fn documents(&self) -> crate::documents::DocumentsHandler {
        crate::documents::DocumentsHandler::new(self.clone())
    }

    /// Collect `GET /v1/version` (**assumed** endpoint).
    pub async fn version(&self) -> Result<crate::models::VersionInfo> {
        let ep = crate::endpoints::VERSION;
        let url = self.url(&ep, &[])?;
        self.json(ep, url, Ok).await
    }

    /// The API host's base URL.
    pub(crate) fn api_base(&self) -> &Url {
        &self.inner.api_base
    }

    /// The OAuth or API base URL for an endpoint.
    pub(crate) fn url(&self, ep: &Endpoint, params: &[&str]) -> Result<Url> {
        let base = match ep.host {
            Host::OAuth => &self.inner.oauth_base,
            Host::Api => &self.inner.api_base,
        };
        ep.url(base, params)
    }

    pub(crate) fn ctx(ep: &Endpoint) -> ErrorContext {
        ErrorContext {
            operation: ep.operation,
            assumed: ep.assumed,
            sensitive: ep.host == Host::OAuth,
        }
    }

    /// Sends a call: adds auth, refreshes once on `401` and retries once, retries idempotent
    /// calls on connect errors / `5xx` / `429`. `build` adds the body and headers; it is called
    /// for every attempt. Returns the successful (2xx) response.
    pub(crate) async fn send<F>(&self, ep: Endpoint, url: Url, build: F) -> Result<Response>
    where
        F: Fn(RequestBuilder) -> Result<RequestBuilder>,
    {
        let retry = ep.idempotent;
        self.send_with(&self.inner.http, ep, url, build, retry)
            .await
    }

    /// A token renewal failed before the call could be (re)sent. A passing failure (429,
    /// 5xx, a dropped connection) is waited out like a failed call, within the same retry
    /// budget — nothing of the call was sent, so this holds for every call; anything else,
    /// or an exhausted budget, is the call's error.
    async fn renewal_failed(&self, ep: &Endpoint, e: Error, attempt: &mut u32) -> Result<()> {
        let policy = &self.inner.retry;
        let wait_ok = e
            .retry_after()
            .is_none_or(|ra| ra <= policy.max_retry_after);
        if !(e.is_retryable() && *attempt < policy.max_retries && wait_ok) {
            return Err(e);
        }
        let delay = policy.delay(*attempt, e.retry_after());
        tracing::debug!(operation = ep.operation, attempt = *attempt, ?delay, error = %e, "token renewal failed: retrying");
        tokio::time::sleep(delay).await;
        *attempt += 1;
        Ok(())
    }

    pub(crate) async fn send_with<F>(
        &self,
        http: &reqwest::Client,
        ep: Endpoint,
        url: Url,
        build: F,
        retry: bool,
    ) -> Result<Response>
    where
        F: Fn(RequestBuilder) -> Result<RequestBuilder>,
    {
        let policy = &self.inner.retry;
        let mut attempt: u32 = 0;
        let mut reauthed = false;
        loop {
            let token = match ep.auth {
                AuthStyle::None => None,
                _ => match self.inner.tokens.access_token().await {
                    Ok(t) => Some(t),
                    Err(e) => {
                        self.renewal_failed(&ep, e, &mut attempt).await?;
                        continue;
                    }
                },
            };
            let mut rb = http.request(ep.method.clone(), url.clone());
            if let Some(t) = &token {
                rb = match ep.auth {
                    AuthStyle::Bearer => rb.header(AUTHORIZATION, bearer(t.expose())?),
                    AuthStyle::XAuthToken => {
                        rb.header("X-Auth-Token", sensitive_value(t.expose())?)
                    }
                    AuthStyle::None => rb,
                };
            }
            let rb = build(rb)?;
            let sent = match self.inner.observer.as_ref().filter(|o| o.enabled()) {
                None => rb.send().await.map_err(Error::from_reqwest),
                Some(o) => crate::observe::send(http, rb, o.as_ref(), ep.operation).await,
            };
            let err = match sent {
                Ok(resp) if resp.status().is_success() => return Ok(resp),
                Ok(resp) => {
                    let status = resp.status();
                    if status.as_u16() == 401 && !reauthed {
                        if let Some(t) = &token {
                            reauthed = true;
                            tracing::debug!(
                                operation = ep.operation,
                                "401: refreshing the access token once"
                            );
                            if let Err(e) = self.inner.tokens.token_rejected(t).await {
                                self.renewal_failed(&ep, e, &mut attempt).await?;
                                // The renewal itself failed: the next 401 may refresh again.
                                reauthed = false;
                            }
                            continue;
                        }
                    }
                    let headers = resp.headers().clone();
                    let body = read_limited(resp, MAX_ERROR_BODY).await;
                    // Penneo's Send API answers a bad or expired token with a 400 naming the
                    // JWT: the session, not the request, is wrong. Refresh once and retry; a
                    // second one means sign in again — never "the casefile was refused".
                    if status.as_u16() == 400 && token.is_some() && error::names_bad_token(&body) {
                        if let (Some(t), false) = (&token, reauthed) {
                            reauthed = true;
                            tracing::debug!(
                                operation = ep.operation,
                                "400 naming the token: refreshing the access token once"
                            );
                            self.inner.tokens.token_rejected(t).await?;
                            continue;
                        }
                        return Err(Error::SignInRequired);
                    }
                    error::from_response(status, &headers, &body, Self::ctx(&ep))
                }
                Err(e) => e,
            };
            if retry && err.is_retryable() && attempt < policy.max_retries {
                if let Some(ra) = err.retry_after() {
                    if ra > policy.max_retry_after {
                        return Err(err);
                    }
                }
                let delay = policy.delay(attempt, err.retry_after());
                tracing::debug!(operation = ep.operation, attempt, ?delay, error = %err, "retrying");
                tokio::time::sleep(delay).await;
                attempt += 1;
                continue;
            }
            return Err(err);
        }
    }

    /// Sends and decodes a JSON response.
    pub(crate) async fn json<T, F>(&self, ep: Endpoint, url: Url, build: F) -> Result<T>
    where
        T: DeserializeOwned,
        F: Fn(RequestBuilder) -> Result<RequestBuilder>,
    {
        let resp = self.send(ep, url, build).await?;
        decode(resp).await
    }

    /// Sends and ignores the (possibly empty) body.
    pub(crate) async fn empty<F>(&self, ep: Endpoint, url: Url, build: F) -> Result<()>
    where
        F: Fn(RequestBuilder) -> Result<RequestBuilder>,
    {
        let resp = self.send(ep, url, build).await?;
        resp.bytes().await.map_err(Error::from_reqwest)?;
        Ok(())
    }
}

/// The most a JSON answer may hold (a page of 500 submissions is far smaller; so is a
/// document sent as base64 JSON instead of a PDF stream): more is refused, not buffered.
pub const MAX_JSON_BODY: usize = 64 * 1024 * 1024;

/// Reads a whole body into memory, refusing one that announces or sends more than `max`
/// bytes (reading stops there).
pub(crate) async fn read_capped(mut resp: Response, max: usize) -> Result<Vec<u8>> {
    let status = resp.status();
    let too_big = || Error::Unexpected {
        status: status.as_u16(),
        snippet: format!("the answer is larger than the {max} bytes the app reads"),
    };
    if resp.content_length().is_some_and(|n| n > max as u64) {
        return Err(too_big());
    }
    let mut out = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(Error::from_reqwest)? {
        if out.len() + chunk.len() > max {
            return Err(too_big());
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// Decodes a JSON body (at most [`MAX_JSON_BODY`]); an empty body decodes as JSON `null`.
pub(crate) async fn decode<T: DeserializeOwned>(resp: Response) -> Result<T> {
    let status = resp.status();
    let bytes = read_capped(resp, MAX_JSON_BODY).await?;
    let slice: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        &bytes
    };
    serde_json::from_slice(slice).map_err(|e| Error::decode(status, &bytes, &e))
}

/// Adds a JSON body.
/// Streams a response body into `writer` chunk by chunk (never the whole body in memory),
/// then flushes; returns the bytes written. `what` names the download in an I/O error.
pub(crate) async fn stream_body<W>(mut resp: Response, writer: &mut W, what: &str) -> Result<u64>
where
    W: tokio::io::AsyncWrite + Unpin + ?Sized,
{
    use tokio::io::AsyncWriteExt;
    let wio = |source| Error::Io {
        path: what.to_string(),
        source,
    };
    let mut written = 0u64;
    while let Some(chunk) = resp.chunk().await.map_err(Error::from_reqwest)? {
        writer.write_all(&chunk).await.map_err(wio)?;
        written += chunk.len() as u64;
    }
    writer.flush().await.map_err(wio)?;
    Ok(written)
}

pub(crate) fn json_body<T: serde::Serialize>(
    rb: RequestBuilder,
    body: &T,
) -> Result<RequestBuilder> {
    let bytes = serde_json::to_vec(body).map_err(|e| Error::InvalidInput {
        message: format!("cannot serialise request: {e}"),
        field: None,
    })?;
    Ok(rb
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(bytes))
}

fn sensitive_value(v: &str) -> Result<HeaderValue> {
    let mut h = HeaderValue::from_str(v)
        .map_err(|_| Error::Config("token is not a valid header value".into()))?;
    h.set_sensitive(true);
    Ok(h)
}

fn bearer(token: &str) -> Result<HeaderValue> {
    sensitive_value(&format!("Bearer {token}"))
}

async fn read_limited(mut resp: Response, max: usize) -> Vec<u8> {
    let mut out = Vec::new();
    while let Ok(Some(chunk)) = resp.chunk().await {
        let room = max.saturating_sub(out.len());
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if out.len() >= max {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_stay_in_the_origin() {
        let u = |s: &str| url::Url::parse(s).unwrap();
        let from = u("https://app.penneo.com/send/api/v1/casefiles");
        assert!(may_follow(&from, &u("https://app.penneo.com/other")));
        assert!(
            !may_follow(&from, &u("http://app.penneo.com/other")),
            "https → http"
        );
        assert!(!may_follow(&from, &u("https://evil.example/x")));
        assert!(!may_follow(&from, &u("https://app.penneo.com:8443/x")));
        assert!(!may_follow(&from, &u("https://penneo.com/x")));
        assert!(!may_follow(&from, &u("file:///etc/passwd")));
        let local = u("http://127.0.0.1:4000/oauth/token");
        assert!(may_follow(&local, &u("http://127.0.0.1:4000/oauth/token2")));
        assert!(!may_follow(&local, &u("http://127.0.0.1:4001/oauth/token")));
    }

    #[test]
    fn backoff_is_capped_and_honours_retry_after() {
        let p = RetryPolicy {
            max_retries: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(800),
            max_retry_after: Duration::from_secs(60),
        };
        for attempt in 0..10 {
            let d = p.delay(attempt, None);
            let cap = (100u64 << attempt.min(16)).min(800);
            assert!(d <= Duration::from_millis(cap), "attempt {attempt}: {d:?}");
            assert!(
                d >= Duration::from_millis(cap / 2),
                "attempt {attempt}: {d:?}"
            );
        }
        assert_eq!(
            p.delay(0, Some(Duration::from_secs(3))),
            Duration::from_secs(3)
        );
    }

    #[test]
    fn environments() {
        let (o, a) = Environment::Production.bases().unwrap();
        assert_eq!(o.as_str(), "https://login.penneo.com/");
        assert_eq!(a.as_str(), "https://app.penneo.com/");
        let (o, a) = Environment::Sandbox.bases().unwrap();
        assert_eq!(o.host_str(), Some("sandbox.oauth.penneo.cloud"));
        assert_eq!(a.host_str(), Some("sandbox.penneo.com"));
    }
}
