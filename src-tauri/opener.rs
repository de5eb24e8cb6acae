//! How the app "opens the browser" for an OAuth sign-in.
//!
//! A real Penneo sign-in goes to the system browser (the opener plugin). The embedded demo
//! simulator runs with auto-approve: its authorize page answers at once with a redirect to the
//! app's loopback callback, so for an authorize URL on this machine that answers with a
//! redirect, the app follows that redirect itself — the same PKCE code path, without a browser
//! window popping up for the demo. A loopback server that shows a consent page instead goes to
//! the system browser like any other.

use std::sync::Arc;

use desk_core::signin::BrowserOpener;
use tauri::{AppHandle, Runtime};
use tauri_plugin_opener::OpenerExt;
use url::Url;

pub struct AppOpener<R: Runtime> {
    app: AppHandle<R>,
}

impl<R: Runtime> AppOpener<R> {
    pub fn new(app: AppHandle<R>) -> Arc<Self> {
        Arc::new(Self { app })
    }
}

fn is_loopback(url: &Url) -> bool {
    matches!(
        url.host_str(),
        Some("127.0.0.1") | Some("localhost") | Some("[::1]")
    )
}

impl<R: Runtime> BrowserOpener for AppOpener<R> {
    fn open(&self, url: &Url) -> desk_core::Result<()> {
        if !is_loopback(url) {
            return open_in_browser(&self.app, url).map_err(|e| {
                desk_core::DeskError::Internal(format!("could not open the browser: {e}"))
            });
        }
        let url = url.clone();
        let app = self.app.clone();
        tauri::async_runtime::spawn(async move {
            if let Err(e) = follow_auto_approve(&url).await {
                tracing::info!("loopback authorize page needs a person ({e}); opening the browser");
                if let Err(e) = open_in_browser(&app, &url) {
                    tracing::warn!("could not open the browser: {e}");
                }
            }
        });
        Ok(())
    }
}

pub(crate) fn open_in_browser<R: Runtime>(
    app: &AppHandle<R>,
    url: &Url,
) -> Result<(), tauri_plugin_opener::Error> {
    app.opener().open_url(url.as_str(), None::<&str>)
}

/// Follows an authorize URL that redirects straight back to a loopback callback.
async fn follow_auto_approve(url: &Url) -> Result<(), String> {
    let http = penneo::tls::client_builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| e.to_string())?;
    let res = http
        .get(url.clone())
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !res.status().is_redirection() {
        return Err(format!("authorize answered {}", res.status()));
    }
    let location = res
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .ok_or("redirect without a location")?;
    let callback = url.join(location).map_err(|e| e.to_string())?;
    if !is_loopback(&callback) {
        return Err("the redirect leaves this machine".into());
    }
    http.get(callback).send().await.map_err(|e| e.to_string())?;
    Ok(())
}
