// The one list of the app's own commands. build.rs turns it into `allow-<command>` permissions,
// lib.rs checks (in a test) that it matches the commands registered with tauri-specta, and the
// `allow-app-commands` set in src-tauri/permissions/app.toml grants them to the main window.
pub const APP_COMMANDS: &[&str] = &[
    // app
    "app_info",
    "open_link",
    // accounts
    "account_status",
    "list_accounts",
    "add_account",
    "set_account_secrets",
    "sign_in",
    "cancel_sign_in",
    "switch_account",
    "open_demo",
    "sign_out",
    "remove_account",
    // settings
    "storage_info",
    "sync_state",
    "sync_all",
    // forms
    "list_forms",
    "sync_forms",
    "get_form",
    "form_versions",
    "form_version",
    "create_form",
    "update_form",
    "publish_form",
    "archive_form",
    "publish_form_version",
    "archive_form_version",
    "restore_form_version",
    "save_form_draft",
    "list_form_drafts",
    "delete_form_draft",
    // requests
    "create_prefilled_request",
    "list_prefilled_requests",
    // submissions
    "list_submissions",
    "get_submission",
    "search_answers",
    "set_review",
    "sync_submissions",
    "export_submissions",
    // casefiles
    "casefile_check_files",
    "send_casefile",
    "outbox_list",
    "outbox_entry",
    "outbox_retry",
    "outbox_remove",
    "list_casefiles",
    "sync_casefiles",
    "get_casefile",
    "casefile_files",
    "casefile_answers",
    // downloads
    "download_signed_documents",
    "list_downloads",
    "show_in_folder",
    // dialogs
    "pick_pdf_files",
    "pick_folder",
    "pick_save_path",
];
