//! The preferences the backend keeps for the UI: defaults on a fresh data dir, a change stores
//! only what it sets, and everything is still there when the app opens the data dir again.

use std::sync::Arc;

use crate::common::*;
use desk_core::use_cases::{Preferences, PreferencesUpdate};
use desk_core::ErrorCode;

#[tokio::test]
async fn preferences_start_off_and_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path(), Arc::new(IdleBrowser)).await;
    assert_eq!(core.preferences().await.unwrap(), Preferences::default());

    let after = core
        .set_preferences(PreferencesUpdate {
            language: Some("da".into()),
            welcome_seen: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        after,
        Preferences {
            language: Some("da".into()),
            welcome_seen: true,
            confirm_production_sends: false,
        }
    );
    let after = core
        .set_preferences(PreferencesUpdate {
            confirm_production_sends: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(after.welcome_seen && after.confirm_production_sends);
    assert_eq!(after.language.as_deref(), Some("da"), "left out: kept");

    let e = core
        .set_preferences(PreferencesUpdate {
            language: Some("da; DROP TABLE".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        (ErrorCode::InvalidInput, Some("language"))
    );

    core.shutdown().await;
    drop(core);
    let core = desk_core::DeskCore::open(config(dir.path(), Arc::new(IdleBrowser)))
        .await
        .unwrap();
    assert_eq!(core.preferences().await.unwrap(), after);
}
