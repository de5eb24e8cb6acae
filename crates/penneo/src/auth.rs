//! OAuth: authorize URL (PKCE S256 + state), code exchange, refresh, revoke, the `api_keys`
//! grant, and the [`TokenProvider`] every call gets its access token from.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use base64::Engine as _;
use rand::RngCore;
use reqwest::StatusCode;
use serde_json::json;
use sha1::Digest as _;
use url::Url;

use crate::client::{decode, json_body, Penneo};
use crate::endpoints::{self, Host};
use crate::error::{self, Error, ErrorContext, Result};
use crate::models::TokenSet;
use crate::Secret;

/// A token is treated as expired this many seconds before `access_token_expires_at`.
pub const EXPIRY_SKEW_SECS: i64 = 5;

/// Called with the new token set whenever the client obtains tokens (code exchange, refresh,
/// `api_keys` grant), so the app can persist a rotated refresh token.
pub type RotationHook = Arc<dyn Fn(&TokenSet) + Send + Sync>;

/// How this client authenticates.
#[derive(Clone)]
pub enum Credentials {
    /// An OAuth client (authorization code + PKCE, then refresh tokens).
    OAuth {
        /// Client id.
        client_id: String,
        /// Client secret.
        client_secret: Secret,
    },
    /// API keys (headless; the grant is re-run, there is no refresh token).
    ApiKeys {
        /// OAuth client id.
        client_id: String,
        /// OAuth client secret.
        client_secret: Secret,
        /// API key.
        api_key: String,
        /// API secret.
        api_secret: Secret,
    },
}

impl Credentials {
    /// OAuth client credentials.
    pub fn oauth(client_id: impl Into<String>, client_secret: Secret) -> Self {
        Credentials::OAuth {
            client_id: client_id.into(),
            client_secret,
        }
    }

    /// API-key credentials.
    pub fn api_keys(
        client_id: impl Into<String>,
        client_secret: Secret,
        api_key: impl Into<String>,
        api_secret: Secret,
    ) -> Self {
        Credentials::ApiKeys {
            client_id: client_id.into(),
            client_secret,
            api_key: api_key.into(),
            api_secret,
        }
    }

    fn client(&self) -> (&str, &Secret) {
        match self {
            Credentials::OAuth {
                client_id,
                client_secret,
            }
            | Credentials::ApiKeys {
                client_id,
                client_secret,
                ..
            } => (client_id, client_secret),
        }
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::OAuth { client_id, .. } => f
                .debug_struct("OAuth")
                .field("client_id", client_id)
                .field("client_secret", &"***")
                .finish(),
            Credentials::ApiKeys {
                client_id, api_key, ..
            } => f
                .debug_struct("ApiKeys")
                .field("client_id", client_id)
                .field("client_secret", &"***")
                .field("api_key", api_key)
                .field("api_secret", &"***")
                .finish(),
        }
    }
}

/// What the app needs to keep between opening the browser and handling the redirect.
#[derive(Clone)]
pub struct AuthorizeRequest {
    /// Open this in the browser.
    pub url: Url,
    /// The `state` sent (compare with the redirect's).
    pub state: String,
    /// The PKCE verifier (send with the code).
    pub pkce_verifier: Secret,
    /// The redirect URI (send with the code).
    pub redirect_uri: Url,
}

impl std::fmt::Debug for AuthorizeRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthorizeRequest")
            .field("url", &self.url.as_str())
            .field("pkce_verifier", &self.pkce_verifier)
            .finish_non_exhaustive()
    }
}

impl AuthorizeRequest {
    /// Reads the redirect (`redirect_uri?code&state` or `?error&state`): checks `state` and
    /// returns the code.
    pub fn code_from_redirect(&self, redirect: &Url) -> Result<String> {
        let mut code = None;
        let mut state = None;
        let mut err = None;
        let mut desc = None;
        for (k, v) in redirect.query_pairs() {
            match k.as_ref() {
                "code" => code = Some(v.into_owned()),
                "state" => state = Some(v.into_owned()),
                "error" => err = Some(v.into_owned()),
                "error_description" => desc = Some(v.into_owned()),
                _ => {}
            }
        }
        if state.as_deref() != Some(self.state.as_str()) {
            return Err(Error::OAuth {
                error: "state_mismatch".into(),
                description: Some("the redirect's state does not match".into()),
            });
        }
        if let Some(error) = err {
            return Err(Error::OAuth {
                error,
                description: desc,
            });
        }
        code.filter(|c| !c.is_empty()).ok_or_else(|| Error::OAuth {
            error: "missing_code".into(),
            description: None,
        })
    }
}

/// `Base64(SHA1(raw_nonce ‖ created_at ‖ api_secret))`, the `api_keys` digest.
pub fn api_keys_digest(raw_nonce: &[u8], created_at: &str, api_secret: &Secret) -> String {
    let mut h = sha1::Sha1::new();
    h.update(raw_nonce);
    h.update(created_at.as_bytes());
    h.update(api_secret.expose().as_bytes());
    base64::engine::general_purpose::STANDARD.encode(h.finalize())
}

/// The S256 challenge of a PKCE verifier.
pub fn pkce_challenge(verifier: &Secret) -> String {
    let v = oauth2::PkceCodeVerifier::new(verifier.expose().to_owned());
    oauth2::PkceCodeChallenge::from_code_verifier_sha256(&v)
        .as_str()
        .to_owned()
}

fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn created_at_now() -> String {
    let fmt = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    time::OffsetDateTime::now_utc()
        .format(&fmt)
        .unwrap_or_else(|_| now_unix().to_string())
}

/// Raw OAuth calls (no state kept).
#[derive(Clone)]
struct OAuthCalls {
    http: reqwest::Client,
    oauth_base: Url,
    credentials: Option<Credentials>,
    observer: Option<Arc<dyn crate::observe::ExchangeObserver>>,
}

impl OAuthCalls {
    fn creds(&self) -> Result<&Credentials> {
        self.credentials
            .as_ref()
            .ok_or_else(|| Error::Config("no credentials configured".into()))
    }

    async fn token(&self, body: serde_json::Value) -> Result<TokenSet> {
        let ep = endpoints::TOKEN;
        let url = ep.url(&self.oauth_base, &[])?;
        let rb = json_body(self.http.post(url), &body)?;
        let resp = match self.observer.as_ref().filter(|o| o.enabled()) {
            None => rb.send().await.map_err(Error::from_reqwest)?,
            Some(o) => crate::observe::send(&self.http, rb, o.as_ref(), ep.operation).await?,
        };
        let status = resp.status();
        if !status.is_success() {
            let headers = resp.headers().clone();
            let bytes = resp.bytes().await.map_err(Error::from_reqwest)?;
            let ctx = ErrorContext {
                operation: ep.operation,
                assumed: false,
                sensitive: true,
            };
            let e = error::from_response(status, &headers, &bytes, ctx);
            // A 401 from the token endpoint means the client credentials are wrong.
            return Err(match e {
                Error::SignInRequired if status == StatusCode::UNAUTHORIZED => Error::OAuth {
                    error: "invalid_client".into(),
                    description: None,
                },
                other => other,
            });
        }
        let tokens: TokenSet = decode(resp).await.map_err(|e| match e {
            // Never echo a token response body.
            Error::Unexpected { status, .. } => Error::Unexpected {
                status,
                snippet: "token response could not be decoded".into(),
            },
            other => other,
        })?;
        if tokens.access_token.is_empty() {
            return Err(Error::Unexpected {
                status: status.as_u16(),
                snippet: "token response has an empty access_token".into(),
            });
        }
        Ok(tokens)
    }

    async fn refresh(&self, refresh_token: &Secret) -> Result<TokenSet> {
        let (client_id, client_secret) = self.creds()?.client();
        self.token(json!({
            "grant_type": "refresh_token",
            "client_id": client_id,
            "client_secret": client_secret.expose(),
            "refresh_token": refresh_token.expose(),
        }))
        .await
    }

    async fn api_keys(&self) -> Result<TokenSet> {
        let Credentials::ApiKeys {
            client_id,
            client_secret,
            api_key,
            api_secret,
        } = self.creds()?
        else {
            return Err(Error::Config(
                "the api_keys grant needs API-key credentials".into(),
            ));
        };
        let mut raw = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut raw);
        let created_at = created_at_now();
        let digest = api_keys_digest(&raw, &created_at, api_secret);
        self.token(json!({
            "grant_type": "api_keys",
            "client_id": client_id,
            "client_secret": client_secret.expose(),
            "key": api_key,
            "nonce": base64::engine::general_purpose::STANDARD.encode(raw),
            "created_at": created_at,
            "digest": digest,
        }))
        .await
    }
}

struct TokenState {
    tokens: Option<TokenSet>,
    expires_at: Option<i64>,
}

struct ProviderInner {
    calls: OAuthCalls,
    state: tokio::sync::Mutex<TokenState>,
    on_rotated: Option<RotationHook>,
    renewals: AtomicU64,
}

/// Hands out access tokens: refreshes [`EXPIRY_SKEW_SECS`] before expiry, refreshes once when a
/// call got `401`, and lets only one refresh run at a time (callers that arrive during a
/// refresh wait for it and use its result). For API keys it re-runs the grant.
///
/// When the server rejects the refresh (or there is no session), it reports
/// [`Error::SignInRequired`] and forgets the tokens. A network failure during refresh is
/// reported as the network error and the session is kept, so going offline does not sign the
/// user out.
#[derive(Clone)]
pub struct TokenProvider {
    inner: Arc<ProviderInner>,
}

impl std::fmt::Debug for TokenProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenProvider")
            .field("renewals", &self.renewals())
            .finish_non_exhaustive()
    }
}

impl TokenProvider {
    pub(crate) fn new(
        http: reqwest::Client,
        oauth_base: Url,
        credentials: Option<Credentials>,
        tokens: Option<TokenSet>,
        on_rotated: Option<RotationHook>,
        observer: Option<Arc<dyn crate::observe::ExchangeObserver>>,
    ) -> Self {
        let now = now_unix();
        let expires_at = tokens.as_ref().and_then(|t| t.expires_at(now));
        TokenProvider {
            inner: Arc::new(ProviderInner {
                calls: OAuthCalls {
                    http,
                    oauth_base,
                    credentials,
                    observer,
                },
                state: tokio::sync::Mutex::new(TokenState { tokens, expires_at }),
                on_rotated,
                renewals: AtomicU64::new(0),
            }),
        }
    }

    /// How many refreshes / grants this provider has run.
    pub fn renewals(&self) -> u64 {
        self.inner.renewals.load(Ordering::Relaxed)
    }

    /// Replaces the session (e.g. after sign-in) — the rotation hook is called.
    pub async fn set_tokens(&self, tokens: TokenSet) {
        let mut st = self.inner.state.lock().await;
        self.install(&mut st, tokens);
    }

    /// Forgets the session.
    pub async fn clear(&self) {
        let mut st = self.inner.state.lock().await;
        st.tokens = None;
        st.expires_at = None;
    }

    /// Whether this OAuth session has ended: the server refused its refresh token (or it had
    /// none), so every call now answers [`Error::SignInRequired`] until a new sign-in. Never
    /// true for API keys, whose grant simply runs again.
    pub async fn session_ended(&self) -> bool {
        matches!(
            self.inner.calls.credentials,
            Some(Credentials::OAuth { .. })
        ) && self.inner.state.lock().await.tokens.is_none()
    }

    /// A copy of the current tokens.
    pub async fn tokens(&self) -> Option<TokenSet> {
        self.inner.state.lock().await.tokens.clone()
    }

    /// A valid access token, refreshing (once, shared) if it is missing or about to expire.
    pub async fn access_token(&self) -> Result<Secret> {
        let mut st = self.inner.state.lock().await;
        if let Some(t) = Self::valid(&st) {
            return Ok(t);
        }
        self.renew(&mut st).await
    }

    /// A call was answered `401` with `rejected`: refresh unless another caller already did,
    /// and return the token to retry with.
    pub async fn token_rejected(&self, rejected: &Secret) -> Result<Secret> {
        let mut st = self.inner.state.lock().await;
        if let Some(t) = &st.tokens {
            if &t.access_token != rejected {
                if let Some(v) = Self::valid(&st) {
                    return Ok(v);
                }
            }
        }
        self.renew(&mut st).await
    }

    fn valid(st: &TokenState) -> Option<Secret> {
        let t = st.tokens.as_ref()?;
        match st.expires_at {
            Some(exp) if now_unix() >= exp - EXPIRY_SKEW_SECS => None,
            _ => Some(t.access_token.clone()),
        }
    }

    fn install(&self, st: &mut TokenState, tokens: TokenSet) {
        st.expires_at = tokens.expires_at(now_unix());
        if let Some(hook) = &self.inner.on_rotated {
            hook(&tokens);
        }
        st.tokens = Some(tokens);
    }

    async fn renew(&self, st: &mut TokenState) -> Result<Secret> {
        let calls = &self.inner.calls;
        let result = match &calls.credentials {
            None => return Err(Error::SignInRequired),
            Some(Credentials::ApiKeys { .. }) => {
                self.inner.renewals.fetch_add(1, Ordering::Relaxed);
                calls.api_keys().await
            }
            Some(Credentials::OAuth { .. }) => {
                let Some(mut refresh_token) =
                    st.tokens.as_ref().and_then(|t| t.refresh_token.clone())
                else {
                    st.tokens = None;
                    return Err(Error::SignInRequired);
                };
                let expired = st
                    .tokens
                    .as_ref()
                    .and_then(|t| t.refresh_token_expires_at)
                    .is_some_and(|exp| now_unix() >= exp - EXPIRY_SKEW_SECS);
                if expired {
                    st.tokens = None;
                    return Err(Error::SignInRequired);
                }
                self.inner.renewals.fetch_add(1, Ordering::Relaxed);
                let r = calls.refresh(&refresh_token).await;
                // Servers that do not rotate send no new refresh token: keep the old one.
                r.map(|mut t| {
                    if t.refresh_token.is_none() {
                        t.refresh_token =
                            Some(std::mem::replace(&mut refresh_token, Secret::new("")));
                        if t.refresh_token_expires_at.is_none() {
                            t.refresh_token_expires_at =
                                st.tokens.as_ref().and_then(|o| o.refresh_token_expires_at);
                        }
                    }
                    t
                })
            }
        };
        match result {
            Ok(tokens) => {
                let access = tokens.access_token.clone();
                self.install(st, tokens);
                Ok(access)
            }
            Err(e) if e.is_retryable() => {
                tracing::warn!(error = %e, "token renewal failed (transient); session kept");
                Err(e)
            }
            Err(e) => {
                tracing::info!(error = %e, "token renewal rejected; sign-in required");
                st.tokens = None;
                st.expires_at = None;
                Err(Error::SignInRequired)
            }
        }
    }
}

/// `client.auth()`.
#[derive(Debug, Clone)]
pub struct AuthHandler {
    client: Penneo,
}

impl AuthHandler {
    pub(crate) fn new(client: Penneo) -> Self {
        AuthHandler { client }
    }

    fn calls(&self) -> OAuthCalls {
        OAuthCalls {
            http: self.client.inner.http.clone(),
            oauth_base: self.client.inner.oauth_base.clone(),
            credentials: self.client.inner.credentials.clone(),
            observer: self.client.inner.observer.clone(),
        }
    }

    /// Builds the browser URL `GET {oauth}/oauth/authorize?response_type=code&client_id&
    /// redirect_uri&code_challenge&code_challenge_method=S256&state[&scope]` with a fresh PKCE
    /// verifier (32 random bytes → 43 chars) and `state`.
    pub fn authorize_url(
        &self,
        redirect_uri: &Url,
        scope: Option<&str>,
    ) -> Result<AuthorizeRequest> {
        let creds = self
            .client
            .inner
            .credentials
            .as_ref()
            .ok_or_else(|| Error::Config("no credentials configured".into()))?;
        let (client_id, _) = creds.client();
        let (challenge, verifier) = oauth2::PkceCodeChallenge::new_random_sha256();
        let state = oauth2::CsrfToken::new_random();
        let mut url = self.client.url(&endpoints::AUTHORIZE, &[])?;
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("response_type", "code")
                .append_pair("client_id", client_id)
                .append_pair("redirect_uri", redirect_uri.as_str())
                .append_pair("code_challenge", challenge.as_str())
                .append_pair("code_challenge_method", challenge.method().as_str())
                .append_pair("state", state.secret());
            if let Some(s) = scope {
                q.append_pair("scope", s);
            }
        }
        Ok(AuthorizeRequest {
            url,
            state: state.secret().clone(),
            pkce_verifier: Secret::new(verifier.secret().clone()),
            redirect_uri: redirect_uri.clone(),
        })
    }

    /// Asks the OAuth server, before the browser opens, whether it takes `redirect_uri` for
    /// this client: one `GET /oauth/authorize` with a throwaway PKCE challenge and state, not
    /// following any redirect. OAuth servers (Penneo's included) compare redirect URIs
    /// exactly and answer a mismatch with an error page instead of a redirect, so the app
    /// would otherwise wait for a callback that never comes. A `400` page that names the
    /// redirect URI and refuses it (`redirect_uri_mismatch`, "not registered", …) gives
    /// [`Error::OAuth`] `redirect_uri_mismatch`; anything else (a login page, a redirect, no
    /// answer) is `Ok` and the sign-in goes on as usual.
    pub async fn check_redirect_uri(&self, redirect_uri: &Url) -> Result<()> {
        let probe = self.authorize_url(redirect_uri, None)?;
        let http = crate::tls::client_builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .user_agent(crate::DEFAULT_USER_AGENT)
            .build()
            .map_err(|e| Error::Config(format!("HTTP client: {e}")))?;
        let Ok(resp) = http
            .get(probe.url.clone())
            .header(reqwest::header::ACCEPT, "text/html")
            .send()
            .await
        else {
            return Ok(());
        };
        // Only a 400 that says so: a login page or any other answer lets the sign-in go on
        // (a false alarm here would block a sign-in that works).
        if resp.status() != reqwest::StatusCode::BAD_REQUEST {
            return Ok(());
        }
        let body = resp.bytes().await.unwrap_or_default();
        let text = String::from_utf8_lossy(&body[..body.len().min(64 * 1024)]).to_lowercase();
        let names_redirect = text.contains("redirect_uri") || text.contains("redirect uri");
        let refuses = [
            "mismatch",
            "not registered",
            "invalid",
            "not allowed",
            "does not match",
        ]
        .iter()
        .any(|w| text.contains(w));
        if names_redirect && refuses {
            return Err(Error::OAuth {
                error: "redirect_uri_mismatch".into(),
                description: Some(format!(
                    "{redirect_uri} is not a redirect URI registered for this OAuth client"
                )),
            });
        }
        Ok(())
    }

    /// Exchanges an authorization code; the tokens become the client's session.
    pub async fn exchange_code(
        &self,
        code: &str,
        pkce_verifier: &Secret,
        redirect_uri: &Url,
    ) -> Result<TokenSet> {
        let calls = self.calls();
        let (client_id, client_secret) = calls.creds()?.client();
        let tokens = calls
            .token(json!({
                "grant_type": "authorization_code",
                "client_id": client_id,
                "client_secret": client_secret.expose(),
                "code": code,
                "code_verifier": pkce_verifier.expose(),
                "redirect_uri": redirect_uri.as_str(),
            }))
            .await?;
        self.client.inner.tokens.set_tokens(tokens.clone()).await;
        Ok(tokens)
    }

    /// One refresh-token grant (outside the provider; the provider does this by itself).
    pub async fn refresh(&self, refresh_token: &Secret) -> Result<TokenSet> {
        self.calls().refresh(refresh_token).await
    }

    /// One `api_keys` grant with a fresh CSPRNG nonce; the tokens become the session.
    pub async fn api_keys_grant(&self) -> Result<TokenSet> {
        let tokens = self.calls().api_keys().await?;
        self.client.inner.tokens.set_tokens(tokens.clone()).await;
        Ok(tokens)
    }

    /// Revokes a token (**assumed** endpoint `POST {oauth}/oauth/revoke`).
    pub async fn revoke(&self, token: &Secret) -> Result<()> {
        let calls = self.calls();
        let (client_id, client_secret) = calls.creds()?.client();
        let body = json!({ "token": token.expose(), "client_id": client_id, "client_secret": client_secret.expose() });
        let ep = endpoints::REVOKE;
        debug_assert_eq!(ep.host, Host::OAuth);
        let url = self.client.url(&ep, &[])?;
        self.client.empty(ep, url, |rb| json_body(rb, &body)).await
    }

    /// Revokes the refresh token (best effort) and forgets the session.
    pub async fn sign_out(&self) -> Result<()> {
        let provider = &self.client.inner.tokens;
        let rt = provider.tokens().await.and_then(|t| t.refresh_token);
        provider.clear().await;
        match rt {
            Some(rt) => self.revoke(&rt).await,
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_matches_the_worked_vector() {
        let raw: Vec<u8> = (0u8..20).collect();
        assert_eq!(
            base64::engine::general_purpose::STANDARD.encode(&raw),
            "AAECAwQFBgcICQoLDA0ODxAREhM="
        );
        let d = api_keys_digest(
            &raw,
            "2026-01-01T00:00:00.000Z",
            &Secret::new("example-api-secret"),
        );
        assert_eq!(d, "Ha6dVrME5JyQbgvpBtAooAavL1A=");
    }

    #[test]
    fn pkce_rfc7636_vector() {
        let v = Secret::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(
            pkce_challenge(&v),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn created_at_is_iso_with_millis() {
        let s = created_at_now();
        assert_eq!(s.len(), 24, "{s}");
        assert!(s.ends_with('Z') && s.as_bytes()[10] == b'T');
    }

    #[test]
    fn credentials_debug_redacts() {
        let c = Credentials::api_keys(
            "cid",
            Secret::new("csecret"),
            "key1",
            Secret::new("asecret"),
        );
        let s = format!("{c:?}");
        assert!(!s.contains("csecret") && !s.contains("asecret"), "{s}");
        assert!(s.contains("cid") && s.contains("key1"));
    }

    #[test]
    fn redirect_parsing_checks_state() {
        let req = AuthorizeRequest {
            url: Url::parse("http://x/oauth/authorize").unwrap(),
            state: "st1".into(),
            pkce_verifier: Secret::new("v"),
            redirect_uri: Url::parse("http://127.0.0.1:1/cb").unwrap(),
        };
        assert_eq!(
            req.code_from_redirect(
                &Url::parse("http://127.0.0.1:1/cb?code=abc&state=st1").unwrap()
            )
            .unwrap(),
            "abc"
        );
        assert!(matches!(
            req.code_from_redirect(&Url::parse("http://127.0.0.1:1/cb?code=abc&state=other").unwrap()),
            Err(Error::OAuth { ref error, .. }) if error == "state_mismatch"
        ));
        assert!(matches!(
            req.code_from_redirect(&Url::parse("http://127.0.0.1:1/cb?error=access_denied&state=st1").unwrap()),
            Err(Error::OAuth { ref error, .. }) if error == "access_denied"
        ));
    }
}
