use serde::Serialize;
use specta::Type;

use crate::error::{CommandError, CommandResult, ErrorCode, ErrorParams};

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
/// `https://` links to Penneo's hosts, and links to a stored account's own hosts (a custom
/// environment, the demo workspace on this machine), are opened.
#[tauri::command]
#[specta::specta]
pub async fn open_link<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: tauri::State<'_, crate::state::AppState>,
    url: String,
) -> CommandResult<()> {
    let parsed = url::Url::parse(url.trim())
        .map_err(|_| CommandError::invalid("url", format!("{url} is not a web address")))?;
    let local = matches!(
        parsed.host_str(),
        Some("127.0.0.1") | Some("localhost") | Some("[::1]")
    );
    if parsed.scheme() != "https" && !(parsed.scheme() == "http" && local) {
        return Err(CommandError::invalid(
            "url",
            "Only https:// links are opened.",
        ));
    }
    if !state.core.link_allowed(&parsed).await? {
        return Err(CommandError::invalid(
            "url",
            format!(
                "Only links to Penneo or to your accounts' own addresses are opened, not {}.",
                parsed.host_str().unwrap_or("this one")
            ),
        ));
    }
    crate::opener::open_in_browser(&app, &parsed).map_err(|e| {
        CommandError::new(
            ErrorCode::Internal,
            format!("Could not open the browser: {e}"),
        )
    })
}

/// The most a copy may hold (a signing link, a redirect URI; never a document).
const CLIPBOARD_MAX_CHARS: usize = 16 * 1024;

/// Puts text (a signing link, a redirect URI to register) on the system clipboard. It is done
/// here rather than in the webview because a webview allows a clipboard write only inside the
/// click itself, and a signing link arrives from Penneo after the click (WebKit refuses it then).
#[tauri::command]
#[specta::specta]
pub fn copy_to_clipboard(app: tauri::AppHandle, text: String) -> CommandResult<()> {
    use tauri_plugin_clipboard_manager::ClipboardExt;
    if text.is_empty() || text.chars().count() > CLIPBOARD_MAX_CHARS {
        return Err(CommandError::invalid(
            "text",
            format!("Only 1 to {CLIPBOARD_MAX_CHARS} characters are copied."),
        )
        .with_params(ErrorParams {
            limit: Some(CLIPBOARD_MAX_CHARS as u64),
            ..ErrorParams::default()
        }));
    }
    app.clipboard().write_text(text).map_err(|e| {
        CommandError::new(
            ErrorCode::Internal,
            format!("Could not use the clipboard: {e}"),
        )
    })
}
