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
