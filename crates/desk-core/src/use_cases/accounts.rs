//! Accounts, sign-in and sessions.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;
use url::Url;

use super::{DeskCore, DeskEvent};
use crate::db::accounts::{self as adb, Account, AuthKind, Environment};
use crate::db::now;
use crate::error::{DeskError, Result};
use crate::redacted::Secret;
use crate::secret_store::secret_key;
use crate::signin::{self, LoopbackOptions};

const CLIENT_SECRET: &str = "client_secret";
const API_SECRET: &str = "api_secret";
const REFRESH_TOKEN: &str = "refresh_token";

/// The file the demo simulator keeps its workspace in.
pub const DEMO_STATE_FILE: &str = "demo-workspace.json";

/// The Demo environment's public credentials and user: the embedded simulator's, or none in a
/// build without the `demo` feature.
mod demo {
    #[cfg(feature = "demo")]
    pub const CLIENT_ID: Option<&str> = Some(penneo_sim::DEMO_CLIENT_ID);
    #[cfg(feature = "demo")]
    pub const CLIENT_SECRET: Option<&str> = Some(penneo_sim::DEMO_CLIENT_SECRET);
    #[cfg(feature = "demo")]
    pub const USER_NAME: Option<&str> = Some(penneo_sim::DEMO_USER_NAME);
    #[cfg(feature = "demo")]
    pub const USER_EMAIL: Option<&str> = Some(penneo_sim::DEMO_USER_EMAIL);

    #[cfg(not(feature = "demo"))]
    pub const CLIENT_ID: Option<&str> = None;
    #[cfg(not(feature = "demo"))]
    pub const CLIENT_SECRET: Option<&str> = None;
    #[cfg(not(feature = "demo"))]
    pub const USER_NAME: Option<&str> = None;
    #[cfg(not(feature = "demo"))]
    pub const USER_EMAIL: Option<&str> = None;

    /// Why the Demo environment cannot open in this build.
    #[cfg_attr(feature = "demo", allow(dead_code))]
    pub fn not_in_this_build() -> crate::error::DeskError {
        crate::error::DeskError::NotSupported("This build of the app has no demo workspace.".into())
    }
}

/// How an account signs in.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum AuthInput {
    /// OAuth client (authorization code + PKCE through the browser).
    #[serde(rename = "oauth", rename_all = "camelCase")]
    OAuth {
        client_id: String,
        #[cfg_attr(feature = "specta", specta(type = String))]
        client_secret: Secret,
        #[serde(default)]
        redirect_port: Option<u16>,
        /// `127.0.0.1` (default) or `localhost`: the redirect URI's host, exactly as registered.
        #[serde(default)]
        redirect_host: Option<signin::RedirectHost>,
    },
    /// API key + secret for service accounts (also needs the OAuth client).
    #[serde(rename_all = "camelCase")]
    ApiKey {
        client_id: String,
        #[cfg_attr(feature = "specta", specta(type = String))]
        client_secret: Secret,
        api_key: String,
        #[cfg_attr(feature = "specta", specta(type = String))]
        api_secret: Secret,
    },
}

/// A new account from the UI. Hosts are needed only for `custom` (and may override sandbox's).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewAccount {
    pub label: String,
    pub environment: Environment,
    #[serde(default)]
    pub oauth_host: Option<String>,
    #[serde(default)]
    pub api_host: Option<String>,
    pub auth: AuthInput,
}

/// Whether an account has a usable session right now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SessionInfo {
    pub account: Account,
    /// A client is signed in in memory.
    pub signed_in: bool,
    /// Secrets to sign in again without asking are stored.
    pub can_resume: bool,
    /// The secrets a new sign-in needs (the OAuth client secret; for an API key also the API
    /// secret) are stored. After a sign-out they are not: `set_secrets` first.
    pub has_secrets: bool,
}

/// An account's secrets as stored (each `None` when missing).
struct StoredSecrets {
    client_secret: Option<Secret>,
    api_secret: Option<Secret>,
    refresh_token: Option<Secret>,
}

fn default_hosts(env: Environment) -> Option<(&'static str, &'static str)> {
    match env {
        Environment::Production => Some(("https://login.penneo.com", "https://app.penneo.com")),
        Environment::Sandbox => Some((
            "https://sandbox.oauth.penneo.cloud",
            "https://sandbox.penneo.com",
        )),
        Environment::Demo | Environment::Custom => None,
    }
}

fn check_host(field: &str, s: &str) -> Result<String> {
    let u = Url::parse(s.trim()).map_err(|_| {
        DeskError::invalid_field(field, format!("{s} is not a web address (https://…)"))
    })?;
    let local = matches!(
        u.host_str(),
        Some("127.0.0.1") | Some("localhost") | Some("[::1]")
    );
    if u.scheme() != "https" && !(u.scheme() == "http" && local) {
        return Err(DeskError::invalid_field(
            field,
            "Use an https:// address (http:// only for 127.0.0.1)",
        ));
    }
    Ok(u.as_str().trim_end_matches('/').to_string())
}

fn base_url(s: &str) -> Result<Url> {
    let with_slash = if s.ends_with('/') {
        s.to_string()
    } else {
        format!("{s}/")
    };
    Url::parse(&with_slash).map_err(|e| DeskError::Internal(format!("stored host {s}: {e}")))
}

impl DeskCore {
    pub async fn list_accounts(&self) -> Result<Vec<SessionInfo>> {
        let accounts = self.inner.db.call(|c| adb::list(c)).await?;
        let mut out = Vec::new();
        for a in accounts {
            let signed_in = self.live_session(&a.id).await.is_some();
            let can_resume = self.can_resume(&a).await?;
            let has_secrets = self.has_secrets(&a).await?;
            out.push(SessionInfo {
                account: a,
                signed_in,
                can_resume,
                has_secrets,
            });
        }
        Ok(out)
    }

    /// Whether the app may open `url` in the browser: https to Penneo's own hosts
    /// (`penneo.com`, `penneo.cloud` and their subdomains), or a link to the very origin
    /// (scheme, host, port) of a stored account's sign-in or API host (a custom
    /// environment, the demo's simulator on this machine). Nothing else: a link from the
    /// webview is not trusted to pick its own destination.
    pub async fn link_allowed(&self, url: &Url) -> Result<bool> {
        let penneo_host = url.host_str().is_some_and(|h| {
            let h = h.to_ascii_lowercase();
            ["penneo.com", "penneo.cloud"]
                .iter()
                .any(|d| h == *d || h.ends_with(&format!(".{d}")))
        });
        if url.scheme() == "https" && penneo_host && url.port().is_none() {
            return Ok(true);
        }
        let accounts = self.inner.db.call(|c| adb::list(c)).await?;
        let origin = url.origin();
        Ok(accounts.iter().any(|a| {
            [&a.oauth_host, &a.api_host]
                .iter()
                .filter_map(|h| Url::parse(h).ok())
                .any(|h| h.origin() == origin)
        }))
    }

    pub async fn active_account(&self) -> Result<Option<Account>> {
        self.inner.db.call(|c| adb::active(c)).await
    }

    async fn can_resume(&self, a: &Account) -> Result<bool> {
        Ok(match a.auth_kind {
            AuthKind::OAuth => self.secret_get(&a.id, REFRESH_TOKEN).await?.is_some(),
            AuthKind::ApiKey => {
                self.secret_get(&a.id, API_SECRET).await?.is_some()
                    && self.secret_get(&a.id, CLIENT_SECRET).await?.is_some()
            }
        })
    }

    async fn has_secrets(&self, a: &Account) -> Result<bool> {
        Ok(self.secret_get(&a.id, CLIENT_SECRET).await?.is_some()
            && (a.auth_kind == AuthKind::OAuth
                || self.secret_get(&a.id, API_SECRET).await?.is_some()))
    }

    // The secret store may be the OS keychain, whose calls block (D-Bus round trips, an unlock
    // prompt): they run on the blocking pool, never on an async worker, and never while a lock
    // is held.

    async fn secret_get(&self, account_id: &str, kind: &str) -> Result<Option<Secret>> {
        let (s, key) = (self.inner.secrets.clone(), secret_key(account_id, kind));
        tokio::task::spawn_blocking(move || s.get(&key)).await?
    }

    async fn secret_set(&self, account_id: &str, kind: &str, value: &Secret) -> Result<()> {
        let (s, key, value) = (
            self.inner.secrets.clone(),
            secret_key(account_id, kind),
            value.clone(),
        );
        tokio::task::spawn_blocking(move || s.set(&key, &value)).await?
    }

    async fn secret_delete(&self, account_id: &str, kind: &str) -> Result<()> {
        let (s, key) = (self.inner.secrets.clone(), secret_key(account_id, kind));
        tokio::task::spawn_blocking(move || s.delete(&key)).await?
    }

    /// Store the secrets of an existing account again (after a sign-out deleted them), so it
    /// can sign in. `api_secret` is required for an API-key account and ignored otherwise.
    pub async fn set_secrets(
        &self,
        account_id: &str,
        client_secret: Secret,
        api_secret: Option<Secret>,
    ) -> Result<()> {
        let a = self.account(account_id).await?;
        if client_secret.is_empty() {
            return Err(DeskError::invalid_field(
                "clientSecret",
                "Enter the OAuth client secret",
            ));
        }
        let api_secret = match a.auth_kind {
            AuthKind::OAuth => None,
            AuthKind::ApiKey => match api_secret {
                Some(s) if !s.is_empty() => Some(s),
                _ => {
                    return Err(DeskError::invalid_field(
                        "apiSecret",
                        "Enter the API secret",
                    ))
                }
            },
        };
        self.secret_set(&a.id, CLIENT_SECRET, &client_secret)
            .await?;
        if let Some(api) = api_secret {
            self.secret_set(&a.id, API_SECRET, &api).await?;
        }
        Ok(())
    }

    /// Store a new account (its secrets go to the secret store, never to the database).
    pub async fn add_account(&self, input: NewAccount) -> Result<Account> {
        let label = input.label.trim().to_string();
        if label.is_empty() {
            return Err(DeskError::invalid_field("label", "Give the account a name"));
        }
        let (oauth_host, api_host) = match (input.environment, default_hosts(input.environment)) {
            (Environment::Demo, _) => (
                "http://127.0.0.1".to_string(),
                "http://127.0.0.1".to_string(),
            ),
            (_, Some((o, a))) => (
                input
                    .oauth_host
                    .as_deref()
                    .map(|h| check_host("oauthHost", h))
                    .transpose()?
                    .unwrap_or_else(|| o.to_string()),
                input
                    .api_host
                    .as_deref()
                    .map(|h| check_host("apiHost", h))
                    .transpose()?
                    .unwrap_or_else(|| a.to_string()),
            ),
            (_, None) => (
                check_host("oauthHost", input.oauth_host.as_deref().unwrap_or(""))?,
                check_host("apiHost", input.api_host.as_deref().unwrap_or(""))?,
            ),
        };
        let id = uuid::Uuid::new_v4().to_string();
        let mut account = Account {
            id: id.clone(),
            label,
            environment: input.environment,
            oauth_host,
            api_host,
            auth_kind: AuthKind::OAuth,
            client_id: None,
            api_key: None,
            redirect_port: None,
            redirect_host: signin::RedirectHost::Loopback,
            // Penneo publishes no "who am I" call; only the demo knows its user up front.
            user_name: (input.environment == Environment::Demo)
                .then_some(demo::USER_NAME)
                .flatten()
                .map(str::to_string),
            user_email: (input.environment == Environment::Demo)
                .then_some(demo::USER_EMAIL)
                .flatten()
                .map(str::to_string),
            is_active: false,
            created_at: now(),
            last_signed_in_at: None,
        };
        match input.auth {
            AuthInput::OAuth {
                client_id,
                client_secret,
                redirect_port,
                redirect_host,
            } => {
                if client_id.trim().is_empty() {
                    return Err(DeskError::invalid_field(
                        "clientId",
                        "Enter the OAuth client id",
                    ));
                }
                if client_secret.is_empty() {
                    return Err(DeskError::invalid_field(
                        "clientSecret",
                        "Enter the OAuth client secret",
                    ));
                }
                account.client_id = Some(client_id.trim().to_string());
                account.redirect_port =
                    Some(redirect_port.unwrap_or(signin::DEFAULT_REDIRECT_PORT));
                account.redirect_host = redirect_host.unwrap_or_default();
                self.secret_set(&id, CLIENT_SECRET, &client_secret).await?;
            }
            AuthInput::ApiKey {
                client_id,
                client_secret,
                api_key,
                api_secret,
            } => {
                if api_key.trim().is_empty() {
                    return Err(DeskError::invalid_field("apiKey", "Enter the API key"));
                }
                if api_secret.is_empty() {
                    return Err(DeskError::invalid_field(
                        "apiSecret",
                        "Enter the API secret",
                    ));
                }
                account.auth_kind = AuthKind::ApiKey;
                account.client_id = Some(client_id.trim().to_string());
                account.api_key = Some(api_key.trim().to_string());
                self.secret_set(&id, CLIENT_SECRET, &client_secret).await?;
                self.secret_set(&id, API_SECRET, &api_secret).await?;
            }
        }
        let a = account.clone();
        self.inner.db.call(move |c| adb::insert(c, &a)).await?;
        Ok(account)
    }

    /// Start (once) the embedded simulator for the Demo environment; returns its base URL.
    #[cfg(feature = "demo")]
    pub(crate) async fn demo_base(&self) -> Result<String> {
        let mut demo = self.inner.demo.lock().await;
        if let Some(sim) = demo.as_ref() {
            return Ok(sim.base_url());
        }
        let sim = penneo_sim::Sim::start(penneo_sim::SimConfig {
            listen: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
            seed: penneo_sim::Seed::Demo,
            state_file: Some(self.inner.cfg.data_dir.join(DEMO_STATE_FILE)),
            job_delay_ms: self.inner.cfg.demo_job_delay_ms,
            auto_approve: true,
            signer_status_scheme: match self.inner.cfg.demo_signer_status_scheme {
                penneo::SignerStatusScheme::Sdk => penneo_sim::state::SignerStatusScheme::Sdk,
                penneo::SignerStatusScheme::Postman => {
                    penneo_sim::state::SignerStatusScheme::Postman
                }
            },
            ..Default::default()
        })
        .await
        .map_err(|e| DeskError::Internal(format!("the demo workspace could not start: {e}")))?;
        let url = sim.base_url();
        *demo = Some(sim);
        Ok(url)
    }

    /// A build without the `demo` feature has no simulator to serve the Demo environment.
    #[cfg(not(feature = "demo"))]
    pub(crate) async fn demo_base(&self) -> Result<String> {
        Err(demo::not_in_this_build())
    }

    /// Add (or find) the Demo account, sign it in through the same PKCE flow, make it active.
    /// A build without the `demo` feature refuses (`not_supported`).
    pub async fn start_demo(&self) -> Result<Account> {
        let (Some(demo_client_id), Some(demo_client_secret)) =
            (demo::CLIENT_ID, demo::CLIENT_SECRET)
        else {
            return Err(demo::not_in_this_build());
        };
        let existing = self
            .inner
            .db
            .call(|c| adb::list(c))
            .await?
            .into_iter()
            .find(|a| a.environment == Environment::Demo);
        let account = match existing {
            Some(a) => {
                // A sign-out deleted the demo client's secret; it is public, so put it back.
                if !self.has_secrets(&a).await? {
                    self.set_secrets(&a.id, Secret::new(demo_client_secret), None)
                        .await?;
                }
                a
            }
            None => {
                self.add_account(NewAccount {
                    label: "Demo workspace".into(),
                    environment: Environment::Demo,
                    oauth_host: None,
                    api_host: None,
                    auth: AuthInput::OAuth {
                        client_id: demo_client_id.into(),
                        client_secret: Secret::new(demo_client_secret),
                        redirect_port: Some(0),
                        redirect_host: None,
                    },
                })
                .await?
            }
        };
        // A stored session that still works is reused; otherwise sign in again.
        if let Ok(client) = self.client_for(&account.id).await {
            if client.token_provider().access_token().await.is_ok() {
                self.set_active(&account.id).await?;
                return self.account(&account.id).await;
            }
            self.inner.sessions.lock().await.remove(&account.id);
        }
        self.sign_in(&account.id, &CancellationToken::new()).await
    }

    pub(crate) async fn account(&self, id: &str) -> Result<Account> {
        let id = id.to_string();
        self.inner
            .db
            .call(move |c| adb::get(c, &id))
            .await?
            .ok_or_else(|| DeskError::NotFound("That account no longer exists.".into()))
    }

    /// Build a client for an account with the stored secrets (no network).
    async fn build_client(&self, a: &Account) -> Result<penneo::Penneo> {
        let (hosts, secrets) = self.client_parts(a).await?;
        self.assemble_client(a, hosts, secrets)
    }

    /// What a client of `a` is made of: its hosts (the demo's simulator started) and the
    /// stored secrets, read off the blocking pool. No lock is held.
    async fn client_parts(&self, a: &Account) -> Result<((String, String), StoredSecrets)> {
        let hosts = if a.environment == Environment::Demo {
            let base = self.demo_base().await?;
            if a.oauth_host != base {
                let (id, b) = (a.id.clone(), base.clone());
                self.inner
                    .db
                    .call(move |c| {
                        c.execute(
                            "UPDATE accounts SET oauth_host=?2, api_host=?2 WHERE id=?1",
                            rusqlite::params![id, b],
                        )?;
                        Ok(())
                    })
                    .await?;
            }
            (base.clone(), base)
        } else {
            (a.oauth_host.clone(), a.api_host.clone())
        };
        let client_secret = self.secret_get(&a.id, CLIENT_SECRET).await?;
        let api_secret = match a.auth_kind {
            AuthKind::OAuth => None,
            AuthKind::ApiKey => self.secret_get(&a.id, API_SECRET).await?,
        };
        let refresh_token = match a.auth_kind {
            AuthKind::OAuth => self.secret_get(&a.id, REFRESH_TOKEN).await?,
            AuthKind::ApiKey => None,
        };
        Ok((
            hosts,
            StoredSecrets {
                client_secret,
                api_secret,
                refresh_token,
            },
        ))
    }

    /// Puts a client together from [`DeskCore::client_parts`] (no I/O, no waiting).
    fn assemble_client(
        &self,
        a: &Account,
        (oauth, api): (String, String),
        stored: StoredSecrets,
    ) -> Result<penneo::Penneo> {
        let client_id = a.client_id.clone().unwrap_or_default();
        let client_secret = stored.client_secret.ok_or_else(|| {
            DeskError::AuthRequired(
                "The OAuth client secret is not stored any more; enter it again.".into(),
            )
        })?;
        let creds = match a.auth_kind {
            AuthKind::OAuth => penneo::Credentials::oauth(client_id, client_secret),
            AuthKind::ApiKey => {
                let api_secret = stored.api_secret.ok_or_else(|| {
                    DeskError::AuthRequired(
                        "The API secret is not stored any more; enter it again.".into(),
                    )
                })?;
                penneo::Credentials::api_keys(
                    client_id,
                    client_secret,
                    a.api_key.clone().unwrap_or_default(),
                    api_secret,
                )
            }
        };
        let mut b = penneo::Penneo::builder()
            .environment(penneo::Environment::Custom {
                oauth_base: base_url(&oauth)?,
                api_base: base_url(&api)?,
            })
            .credentials(creds)
            .retry_policy(self.inner.cfg.retry.clone())
            .job_poll_interval(self.inner.cfg.job_poll_interval)
            .observer(self.inner.recorder.clone());
        if a.auth_kind == AuthKind::OAuth {
            if let Some(rt) = stored.refresh_token {
                // An expired access token: the first call refreshes.
                b = b.tokens(penneo::TokenSet {
                    access_token: Secret::new(""),
                    expires_in: None,
                    access_token_expires_at: Some(0),
                    refresh_token: Some(rt),
                    refresh_token_expires_at: None,
                    extra: Default::default(),
                });
            }
            // Keep a rotated refresh token (the old one stops working). The hook runs inside
            // the client's token lock, so the keychain write goes to the blocking pool; a
            // write that finds a newer rotation already numbered skips itself, so the last
            // token stored is the newest.
            let store = self.inner.secrets.clone();
            let key = secret_key(&a.id, REFRESH_TOKEN);
            let latest = Arc::new(std::sync::atomic::AtomicU64::new(0));
            b = b.on_tokens_rotated(Arc::new(move |t: &penneo::TokenSet| {
                let Some(rt) = t.refresh_token.clone() else {
                    return;
                };
                use std::sync::atomic::Ordering;
                let n = latest.fetch_add(1, Ordering::SeqCst) + 1;
                let (store, key, latest) = (store.clone(), key.clone(), latest.clone());
                let write = move || {
                    if latest.load(Ordering::SeqCst) != n {
                        return;
                    }
                    if let Err(e) = store.set(&key, &rt) {
                        tracing::error!(error = %e, "could not store the new refresh token");
                    }
                };
                match tokio::runtime::Handle::try_current() {
                    Ok(h) => {
                        h.spawn_blocking(write);
                    }
                    Err(_) => write(),
                }
            }));
        }
        Ok(b.build()?)
    }

    /// The account's session, unless it has ended: a session whose refresh the server
    /// refused (sign-in required) is dropped here, with the refresh token that died with it,
    /// so the account shows as signed out and the next call asks for a sign-in instead of
    /// failing against a dead session.
    async fn live_session(&self, account_id: &str) -> Option<penneo::Penneo> {
        let client = self.inner.sessions.lock().await.get(account_id).cloned()?;
        if !client.token_provider().session_ended().await {
            return Some(client);
        }
        let dropped = {
            let mut sessions = self.inner.sessions.lock().await;
            // Only this very session: a sign-in may have put a new one in meanwhile.
            let same = sessions
                .get(account_id)
                .is_some_and(|c| c.same_session(&client));
            same && sessions.remove(account_id).is_some()
        };
        if dropped {
            tracing::info!(account = account_id, "the session ended; sign-in required");
            if let Err(e) = self.secret_delete(account_id, REFRESH_TOKEN).await {
                tracing::warn!(error = %e, "could not delete the refused refresh token");
            }
            self.emit(DeskEvent::SignedOut {
                account_id: account_id.to_string(),
            });
        }
        None
    }

    /// The signed-in client of an account; resumes from stored secrets when possible.
    ///
    /// One client per account, whoever asks: with rotating refresh tokens two clients resuming
    /// one account would both spend the stored refresh token, and the loser's session would
    /// die. The secrets are read first (no lock held across the keychain), then the client is
    /// put together and stored under the sessions lock, where a caller that lost the race
    /// takes the winner's client and drops its own unused one.
    pub(crate) async fn client_for(&self, account_id: &str) -> Result<penneo::Penneo> {
        if let Some(c) = self.live_session(account_id).await {
            return Ok(c);
        }
        let a = self.account(account_id).await?;
        let (hosts, stored) = self.client_parts(&a).await?;
        let resumable = match a.auth_kind {
            AuthKind::OAuth => stored.refresh_token.is_some(),
            AuthKind::ApiKey => stored.api_secret.is_some() && stored.client_secret.is_some(),
        };
        if !resumable {
            return Err(DeskError::AuthRequired(format!(
                "Sign in to {} to continue.",
                a.label
            )));
        }
        let mut sessions = self.inner.sessions.lock().await;
        if let Some(c) = sessions.get(account_id) {
            return Ok(c.clone());
        }
        let client = self.assemble_client(&a, hosts, stored)?;
        sessions.insert(account_id.to_string(), client.clone());
        Ok(client)
    }

    pub(crate) async fn active_client(&self) -> Result<(String, penneo::Penneo)> {
        let id = self.active_id().await?;
        let c = self.client_for(&id).await?;
        Ok((id, c))
    }

    /// Sign an account in (browser for OAuth, the grant for API keys) and make it active.
    /// `cancel` stops a browser sign-in that is waiting.
    pub async fn sign_in(&self, account_id: &str, cancel: &CancellationToken) -> Result<Account> {
        let a = self.account(account_id).await?;
        let client = self.build_client(&a).await?;
        match a.auth_kind {
            AuthKind::OAuth => {
                let opts = LoopbackOptions {
                    host: a.redirect_host,
                    port: a.redirect_port.unwrap_or(signin::DEFAULT_REDIRECT_PORT),
                    timeout: self.inner.cfg.sign_in_timeout,
                };
                let tokens =
                    signin::oauth_sign_in(&client, self.inner.cfg.opener.as_ref(), &opts, cancel)
                        .await?;
                // The rotation hook stored the refresh token; store it again in case the server
                // sent none through the hook path.
                if let Some(rt) = &tokens.refresh_token {
                    self.secret_set(&a.id, REFRESH_TOKEN, rt).await?;
                }
            }
            AuthKind::ApiKey => {
                client.auth().api_keys_grant().await?;
            }
        }
        self.inner
            .sessions
            .lock()
            .await
            .insert(a.id.clone(), client);
        let id = a.id.clone();
        self.inner
            .db
            .call(move |c| {
                c.execute(
                    "UPDATE accounts SET last_signed_in_at=?2 WHERE id=?1",
                    rusqlite::params![id, now()],
                )?;
                adb::set_active(c, &id)
            })
            .await?;
        // Sends that waited for this sign-in go on.
        if let Err(e) = self.resume_outbox().await {
            tracing::warn!(error = %e, "could not resume the outbox after sign-in");
        }
        self.account(&a.id).await
    }

    pub async fn set_active(&self, account_id: &str) -> Result<()> {
        let id = account_id.to_string();
        self.inner.db.call(move |c| adb::set_active(c, &id)).await
    }

    /// Revoke the refresh token, forget the session and delete the account's secrets.
    /// The account and its cache stay (sign in again with its secrets).
    pub async fn sign_out(&self, account_id: &str) -> Result<()> {
        let a = self.account(account_id).await?;
        let session = self.inner.sessions.lock().await.remove(&a.id);
        let client = match session {
            Some(c) => Some(c),
            None => self.build_client(&a).await.ok(),
        };
        if let Some(c) = client {
            if let Err(e) = c.auth().sign_out().await {
                tracing::warn!(error = %e, "revoking the refresh token failed; secrets are deleted anyway");
            }
        }
        for k in [REFRESH_TOKEN, CLIENT_SECRET, API_SECRET] {
            self.secret_delete(&a.id, k).await?;
        }
        self.emit(DeskEvent::SignedOut {
            account_id: a.id.clone(),
        });
        Ok(())
    }

    /// Sign out and remove the account with everything cached for it.
    pub async fn remove_account(&self, account_id: &str) -> Result<()> {
        self.sign_out(account_id).await?;
        let id = account_id.to_string();
        self.inner.db.call(move |c| adb::delete(c, &id)).await
    }

    /// Settings: the server's version info for the active account.
    pub async fn server_version(&self) -> Result<penneo::VersionInfo> {
        let (_, c) = self.active_client().await?;
        Ok(c.version().await?)
    }
}
