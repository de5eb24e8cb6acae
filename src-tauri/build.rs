include!("command_list.rs");

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/permissions");
    println!("cargo:rerun-if-changed=src-tauri/command_list.rs");
    let manifest = tauri_build::AppManifest::new()
        .commands(APP_COMMANDS)
        .permissions_path_pattern("src-tauri/permissions/*.toml");
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .unwrap_or_else(|e| panic!("tauri build step failed: {e:#}"));
}
