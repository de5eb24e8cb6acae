// The one list of the app's own commands. build.rs turns it into `allow-<command>` permissions,
// lib.rs checks (in a test) that it matches the commands registered with tauri-specta, and the
// `allow-app-commands` set in src-tauri/permissions/app.toml grants them to the main window.
pub const APP_COMMANDS: &[&str] = &["app_info", "account_status", "storage_info", "list_forms", "sync_forms"];
