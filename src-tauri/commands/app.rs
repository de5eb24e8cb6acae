use serde::Serialize;
use specta::Type;

use crate::error::CommandResult;

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub name: String,
    pub version: String,
}

/// The product name and version, shown in Settings and the window's about line.
#[tauri::command]
#[specta::specta]
pub fn app_info(app: tauri::AppHandle) -> CommandResult<AppInfo> {
    let pkg = app.package_info();
    Ok(AppInfo {
        name: pkg.name.clone(),
        version: pkg.version.to_string(),
    })
}

/// Opens a web link (a prefilled request, a signing link) in the system browser. Only
/// `https://` links, and `http://` on this machine (the demo workspace), are opened.
#[tauri::command]
#[specta::specta]
pub fn open_link(app: tauri::AppHandle, url: String) -> CommandResult<()> {
    let parsed = url::Url::parse(url.trim()).map_err(|_| {
        crate::error::CommandError::invalid("url", format!("{url} is not a web address"))
    })?;
    let local = matches!(
        parsed.host_str(),
        Some("127.0.0.1") | Some("localhost") | Some("[::1]")
    );
    if parsed.scheme() != "https" && !(parsed.scheme() == "http" && local) {
        return Err(crate::error::CommandError::invalid(
            "url",
            "Only https:// links are opened.",
        ));
    }
    crate::opener::open_in_browser(&app, &parsed).map_err(|e| {
        crate::error::CommandError::new("internal", format!("Could not open the browser: {e}"))
    })
}
