//! The loopback OAuth sign-in: bind `127.0.0.1:<port>`, open the browser on the authorize URL,
//! accept exactly one callback, check `state`, answer the browser, exchange the code, close.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{RawQuery, State};
use axum::response::{Html, IntoResponse, Response};
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::error::{DeskError, Result};

/// The callback path registered with the OAuth client.
pub const CALLBACK_PATH: &str = "/callback";
/// The default redirect port.
pub const DEFAULT_REDIRECT_PORT: u16 = 8765;
/// How long the browser has to come back.
pub const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(300);

/// Opens a URL in the user's browser. The desktop shell passes the opener plugin; tests pass
/// one that follows the redirects with an HTTP client.
pub trait BrowserOpener: Send + Sync {
    fn open(&self, url: &Url) -> Result<()>;
}

/// The host name in the redirect URI. Penneo compares redirect URIs exactly, so the one the
/// app sends must be the one registered with the OAuth client, letter for letter: some
/// administrators register `127.0.0.1`, some `localhost`. Either way the app listens on
/// `127.0.0.1` (what `localhost` resolves to).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum RedirectHost {
    #[default]
    #[serde(rename = "127.0.0.1")]
    Loopback,
    #[serde(rename = "localhost")]
    Localhost,
}

impl RedirectHost {
    pub fn as_str(self) -> &'static str {
        match self {
            RedirectHost::Loopback => "127.0.0.1",
            RedirectHost::Localhost => "localhost",
        }
    }

    /// A stored value; anything unknown is the default.
    pub fn parse(s: Option<&str>) -> Self {
        match s {
            Some("localhost") => RedirectHost::Localhost,
            _ => RedirectHost::Loopback,
        }
    }
}

/// The exact redirect URI for a host and port: `http://<host>:<port>/callback`.
pub fn redirect_uri(host: RedirectHost, port: u16) -> String {
    format!("http://{}:{port}{CALLBACK_PATH}", host.as_str())
}

/// Settings of one loopback sign-in.
#[derive(Debug, Clone)]
pub struct LoopbackOptions {
    /// Host name in the redirect URI.
    pub host: RedirectHost,
    /// Port to listen on (`0` picks a free one; only useful where any port is registered).
    pub port: u16,
    pub timeout: Duration,
}

impl Default for LoopbackOptions {
    fn default() -> Self {
        LoopbackOptions {
            host: RedirectHost::default(),
            port: DEFAULT_REDIRECT_PORT,
            timeout: SIGN_IN_TIMEOUT,
        }
    }
}

const DONE_PAGE: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Penneo Desk</title>\
<style>body{font-family:system-ui,sans-serif;margin:4rem auto;max-width:32rem;color:#1d2939}</style></head>\
<body><h1>Signed in</h1><p>You can close this tab and return to Penneo Desk.</p></body></html>";

fn failed_page(reason: &str) -> String {
    let esc = reason
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Penneo Desk</title>\
<style>body{{font-family:system-ui,sans-serif;margin:4rem auto;max-width:32rem;color:#1d2939}}</style></head>\
<body><h1>Sign-in did not complete</h1><p>{esc}</p><p>You can close this tab and return to Penneo Desk.</p></body></html>"
    )
}

type Outcome = Result<String>;

struct CallbackState {
    expected_state: String,
    tx: Mutex<Option<tokio::sync::oneshot::Sender<Outcome>>>,
    /// Requests that came with another state (answered 400 and otherwise ignored).
    wrong_state: std::sync::atomic::AtomicUsize,
}

/// Reads `code`/`state`/`error` from the callback's query.
fn judge(expected_state: &str, query: &str) -> Outcome {
    let mut code = None;
    let mut state = None;
    let mut error = None;
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        match k.as_ref() {
            "code" => code = Some(v.into_owned()),
            "state" => state = Some(v.into_owned()),
            "error" => error = Some(v.into_owned()),
            _ => {}
        }
    }
    if state.as_deref() != Some(expected_state) {
        return Err(DeskError::StateMismatch(
            "The browser came back from a different sign-in (the state did not match). Nothing was \
             signed in; start again from Penneo Desk."
                .into(),
        ));
    }
    if let Some(e) = error {
        if e == "access_denied" {
            return Err(DeskError::AccessDenied(
                "Access was declined in the browser, so Penneo Desk was not connected.".into(),
            ));
        }
        return Err(DeskError::AuthRequired(format!(
            "Penneo did not complete the sign-in ({e})."
        )));
    }
    code.filter(|c| !c.is_empty()).ok_or_else(|| {
        DeskError::AuthRequired("The browser came back without an authorization code.".into())
    })
}

async fn callback(State(st): State<Arc<CallbackState>>, RawQuery(q): RawQuery) -> Response {
    let outcome = judge(&st.expected_state, q.as_deref().unwrap_or(""));
    // Another state is not this sign-in's browser: any local page can send one (an `<img>`
    // is enough). It gets a 400 and the listener keeps waiting for the real one.
    if let Err(e @ DeskError::StateMismatch(_)) = &outcome {
        st.wrong_state
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        return (
            axum::http::StatusCode::BAD_REQUEST,
            [(axum::http::header::CONNECTION, "close")],
            Html(failed_page(&e.to_string())),
        )
            .into_response();
    }
    let sender = st.tx.lock().unwrap_or_else(|p| p.into_inner()).take();
    let Some(sender) = sender else {
        return (
            axum::http::StatusCode::GONE,
            Html(failed_page("This sign-in was already handled.")),
        )
            .into_response();
    };
    let page = match &outcome {
        Ok(_) => DONE_PAGE.to_string(),
        Err(e) => failed_page(&e.to_string()),
    };
    let _ = sender.send(outcome);
    ([(axum::http::header::CONNECTION, "close")], Html(page)).into_response()
}

/// A bound callback listener, ready for a redirect to [`Loopback::redirect_uri`].
pub struct Loopback {
    listener: tokio::net::TcpListener,
    redirect_uri: Url,
}

impl Loopback {
    /// Bind `127.0.0.1:<port>` for a redirect URI on `127.0.0.1`. A busy port is a clear
    /// error naming it.
    pub async fn bind(port: u16) -> Result<Loopback> {
        Self::bind_for(RedirectHost::Loopback, port).await
    }

    /// Bind `127.0.0.1:<port>` for a redirect URI on `host`.
    pub async fn bind_for(host: RedirectHost, port: u16) -> Result<Loopback> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            if e.kind() == std::io::ErrorKind::AddrInUse {
                DeskError::PortInUse(port)
            } else {
                DeskError::io(format!("Could not listen on 127.0.0.1:{port}"), e)
            }
        })?;
        let port = listener
            .local_addr()
            .map_err(|e| DeskError::io("Could not read the listening port", e))?
            .port();
        let redirect_uri = Url::parse(&redirect_uri(host, port))
            .map_err(|e| DeskError::Internal(format!("redirect URI: {e}")))?;
        Ok(Loopback {
            listener,
            redirect_uri,
        })
    }

    pub fn redirect_uri(&self) -> &Url {
        &self.redirect_uri
    }

    /// Serve until one callback arrives, the timeout passes or `cancel` fires; the listener is
    /// closed when this returns. Returns the authorization code.
    pub async fn wait_for_code(
        self,
        expected_state: &str,
        timeout: Duration,
        cancel: &CancellationToken,
    ) -> Result<String> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let st = Arc::new(CallbackState {
            expected_state: expected_state.to_string(),
            tx: Mutex::new(Some(tx)),
            wrong_state: Default::default(),
        });
        let seen = st.clone();
        let app = axum::Router::new()
            .route(CALLBACK_PATH, axum::routing::get(callback))
            .with_state(st);
        let stop = CancellationToken::new();
        let stop_server = stop.clone();
        let server = tokio::spawn(async move {
            let _ = axum::serve(self.listener, app)
                .with_graceful_shutdown(async move { stop_server.cancelled().await })
                .await;
        });
        let outcome = tokio::select! {
            r = rx => r.unwrap_or_else(|_| Err(DeskError::Internal("the callback listener stopped".into()))),
            _ = tokio::time::sleep(timeout) => Err(
                if seen.wrong_state.load(std::sync::atomic::Ordering::Relaxed) > 0 {
                    judge(expected_state, "state=").err().unwrap_or_else(|| {
                        DeskError::Internal("the state check passed an empty state".into())
                    })
                } else {
                    DeskError::Timeout(format!(
                        "No answer came back from the browser within {} minutes; the sign-in was stopped.",
                        (timeout.as_secs() / 60).max(1)
                    ))
                }
            ),
            _ = cancel.cancelled() => Err(DeskError::Cancelled("The sign-in was cancelled.".into())),
        };
        // Let the page reach the browser, then close the listener for good.
        stop.cancel();
        let abort = server.abort_handle();
        if tokio::time::timeout(Duration::from_secs(2), server)
            .await
            .is_err()
        {
            abort.abort();
        }
        outcome
    }
}

/// The whole flow against a Penneo client configured with OAuth credentials.
pub async fn oauth_sign_in(
    client: &penneo::Penneo,
    opener: &dyn BrowserOpener,
    opts: &LoopbackOptions,
    cancel: &CancellationToken,
) -> Result<penneo::TokenSet> {
    let lb = Loopback::bind_for(opts.host, opts.port).await?;
    // An unregistered redirect URI ends on Penneo's error page, never back here: ask first.
    match client.auth().check_redirect_uri(lb.redirect_uri()).await {
        Err(penneo::Error::OAuth { error, .. }) if error == "redirect_uri_mismatch" => {
            return Err(DeskError::RedirectUriMismatch(
                lb.redirect_uri().to_string(),
            ));
        }
        Err(e) => return Err(e.into()),
        Ok(()) => {}
    }
    let uri = lb.redirect_uri().to_string();
    let req = client.auth().authorize_url(lb.redirect_uri(), None)?;
    opener.open(&req.url)?;
    let code = lb
        .wait_for_code(&req.state, opts.timeout, cancel)
        .await
        .map_err(|e| match e {
            DeskError::Timeout(m) => DeskError::Timeout(format!(
                "{m} If Penneo's page said redirect_uri_mismatch, the OAuth client must have \
                 exactly {uri} registered."
            )),
            other => other,
        })?;
    Ok(client
        .auth()
        .exchange_code(&code, &req.pkce_verifier, &req.redirect_uri)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judging_the_callback() {
        assert_eq!(judge("s1", "code=abc&state=s1").unwrap(), "abc");
        assert_eq!(
            judge("s1", "code=abc&state=s2").unwrap_err().code(),
            crate::ErrorCode::StateMismatch
        );
        assert_eq!(
            judge("s1", "code=abc").unwrap_err().code(),
            crate::ErrorCode::StateMismatch
        );
        assert_eq!(
            judge("s1", "error=access_denied&state=s1")
                .unwrap_err()
                .code(),
            crate::ErrorCode::AccessDenied
        );
        assert_eq!(
            judge("s1", "state=s1").unwrap_err().code(),
            crate::ErrorCode::AuthRequired
        );
    }

    #[test]
    fn redirect_uris_are_exact() {
        assert_eq!(
            redirect_uri(RedirectHost::Loopback, 8765),
            "http://127.0.0.1:8765/callback"
        );
        assert_eq!(
            redirect_uri(RedirectHost::Localhost, 9001),
            "http://localhost:9001/callback"
        );
        assert_eq!(
            serde_json::to_value(RedirectHost::Localhost).unwrap(),
            "localhost"
        );
        assert_eq!(
            serde_json::from_value::<RedirectHost>(serde_json::json!("127.0.0.1")).unwrap(),
            RedirectHost::Loopback
        );
        assert_eq!(RedirectHost::parse(None), RedirectHost::Loopback);
    }

    #[tokio::test]
    async fn a_localhost_redirect_is_served_on_127_0_0_1() {
        let lb = Loopback::bind_for(RedirectHost::Localhost, 0)
            .await
            .unwrap();
        let uri = lb.redirect_uri().clone();
        assert_eq!(uri.host_str(), Some("localhost"));
        let cancel = CancellationToken::new();
        let browser = tokio::spawn(async move {
            penneo::tls::client()
                .get(format!("{uri}?code=c1&state=s"))
                .send()
                .await
                .unwrap()
                .status()
        });
        let code = lb
            .wait_for_code("s", Duration::from_secs(10), &cancel)
            .await
            .unwrap();
        assert_eq!(code, "c1");
        assert!(browser.await.unwrap().is_success());
    }

    #[tokio::test]
    async fn busy_port_is_named() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let err = Loopback::bind(port).await.err().unwrap();
        assert_eq!(err.code(), crate::ErrorCode::PortInUse);
        assert!(err.to_string().contains(&port.to_string()));
        assert_eq!(err.field(), Some("redirectPort"));
    }

    #[tokio::test]
    async fn one_callback_then_closed() {
        let lb = Loopback::bind(0).await.unwrap();
        let uri = lb.redirect_uri().clone();
        let port = uri.port().unwrap();
        let cancel = CancellationToken::new();
        let browser = tokio::spawn(async move {
            let http = penneo::tls::client();
            // Something else on the port first (a favicon) is not the callback.
            let r = http
                .get(format!("http://127.0.0.1:{port}/favicon.ico"))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 404);
            let r = http
                .get(format!("{uri}?code=c0de&state=xyz"))
                .send()
                .await
                .unwrap();
            r.text().await.unwrap()
        });
        let code = lb
            .wait_for_code("xyz", Duration::from_secs(10), &cancel)
            .await
            .unwrap();
        assert_eq!(code, "c0de");
        let page = browser.await.unwrap();
        assert!(page.contains("You can close this tab and return to Penneo Desk"));
        // The listener is closed.
        assert!(penneo::tls::client()
            .get(format!("http://127.0.0.1:{port}/callback"))
            .send()
            .await
            .is_err());
    }

    /// A request with another state (any local page can send one) gets a 400 and does not
    /// end the sign-in: the real callback after it still signs in.
    #[tokio::test]
    async fn a_wrong_state_is_refused_and_the_listener_goes_on() {
        let lb = Loopback::bind(0).await.unwrap();
        let uri = lb.redirect_uri().clone();
        let cancel = CancellationToken::new();
        let browser = tokio::spawn(async move {
            let http = penneo::tls::client();
            for forged in ["code=evil&state=other", "code=evil", "error=access_denied"] {
                let r = http.get(format!("{uri}?{forged}")).send().await.unwrap();
                assert_eq!(r.status(), 400, "{forged}");
            }
            http.get(format!("{uri}?code=real&state=xyz"))
                .send()
                .await
                .unwrap()
                .status()
        });
        let code = lb
            .wait_for_code("xyz", Duration::from_secs(10), &cancel)
            .await
            .unwrap();
        assert_eq!(code, "real");
        assert!(browser.await.unwrap().is_success());

        // Only wrong states until the time is up: the sign-in ends saying so.
        let lb = Loopback::bind(0).await.unwrap();
        let uri = lb.redirect_uri().clone();
        tokio::spawn(async move {
            let _ = penneo::tls::client()
                .get(format!("{uri}?code=evil&state=other"))
                .send()
                .await;
        });
        let err = lb
            .wait_for_code("xyz", Duration::from_millis(500), &cancel)
            .await
            .unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::StateMismatch, "{err}");
    }

    #[tokio::test]
    async fn timeout_and_cancel_close_the_listener() {
        let lb = Loopback::bind(0).await.unwrap();
        let port = lb.redirect_uri().port().unwrap();
        let err = lb
            .wait_for_code("s", Duration::from_millis(100), &CancellationToken::new())
            .await
            .unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::Timeout);
        // The port is free again.
        Loopback::bind(port).await.unwrap();

        let lb = Loopback::bind(0).await.unwrap();
        let cancel = CancellationToken::new();
        let c2 = cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            c2.cancel();
        });
        let err = lb
            .wait_for_code("s", Duration::from_secs(30), &cancel)
            .await
            .unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::Cancelled);
    }
}
