//! Where client secrets, refresh tokens and API secrets are kept: the OS keychain through
//! `keyring-core`, or, where no keychain answers, a 0600 JSON file in the app's data dir.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{DeskError, Result};
use crate::redacted::Secret;

/// The keychain service name every entry is stored under.
pub const KEYRING_SERVICE: &str = "penneo-desk";

/// Which kind of store holds the secrets (shown in Settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum SecretBackendKind {
    Keychain,
    File,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SecretBackendInfo {
    pub kind: SecretBackendKind,
    /// A human description, e.g. "Secret Service (GNOME Keyring / KWallet)" or the file path.
    pub description: String,
    /// Why the keychain was not used, when it was not.
    pub fallback_reason: Option<String>,
}

/// A place to keep secrets by key. Keys look like `<account id>/refresh_token`.
pub trait SecretStore: Send + Sync {
    fn info(&self) -> SecretBackendInfo;
    fn get(&self, key: &str) -> Result<Option<Secret>>;
    fn set(&self, key: &str, value: &Secret) -> Result<()>;
    /// Deleting a missing key is not an error.
    fn delete(&self, key: &str) -> Result<()>;
}

/// The key under which an account's secret of `kind` is stored.
pub fn secret_key(account_id: &str, kind: &str) -> String {
    format!("{account_id}/{kind}")
}

/// A store backed by a keyring-core credential store (the platform keychain in the app; the
/// keyring-core mock store in tests).
pub struct KeyringSecretStore {
    store: Arc<keyring_core::CredentialStore>,
    description: String,
}

impl KeyringSecretStore {
    pub fn new(store: Arc<keyring_core::CredentialStore>, description: impl Into<String>) -> Self {
        KeyringSecretStore {
            store,
            description: description.into(),
        }
    }

    /// The platform's store (on Linux the D-Bus Secret Service).
    pub fn platform() -> Result<Self> {
        #[cfg(target_os = "linux")]
        {
            let store = dbus_secret_service_keyring_store::Store::new()
                .map_err(|e| DeskError::Secrets(format!("no Secret Service available: {e}")))?;
            Ok(KeyringSecretStore::new(
                store,
                "Secret Service (GNOME Keyring, KWallet or compatible)",
            ))
        }
        #[cfg(not(target_os = "linux"))]
        {
            Err(DeskError::Secrets(
                "no keychain store is built for this platform".to_string(),
            ))
        }
    }

    fn entry(&self, key: &str) -> Result<keyring_core::Entry> {
        keyring_core::Entry::new_in_store(&self.store, KEYRING_SERVICE, key)
            .map_err(|e| DeskError::Secrets(format!("keychain entry could not be made: {e}")))
    }
}

impl SecretStore for KeyringSecretStore {
    fn info(&self) -> SecretBackendInfo {
        SecretBackendInfo {
            kind: SecretBackendKind::Keychain,
            description: self.description.clone(),
            fallback_reason: None,
        }
    }

    fn get(&self, key: &str) -> Result<Option<Secret>> {
        match self.entry(key)?.get_password() {
            Ok(v) => Ok(Some(Secret::new(v))),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(DeskError::Secrets(format!("keychain read failed: {e}"))),
        }
    }

    fn set(&self, key: &str, value: &Secret) -> Result<()> {
        self.entry(key)?
            .set_password(value.expose())
            .map_err(|e| DeskError::Secrets(format!("keychain write failed: {e}")))
    }

    fn delete(&self, key: &str) -> Result<()> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(DeskError::Secrets(format!("keychain delete failed: {e}"))),
        }
    }
}

/// A JSON file, mode 0600, replaced atomically on every write.
pub struct FileSecretStore {
    path: PathBuf,
    lock: Mutex<()>,
    fallback_reason: Option<String>,
}

impl FileSecretStore {
    pub const FILE_NAME: &'static str = "secrets.json";

    pub fn new(data_dir: &Path) -> Self {
        FileSecretStore {
            path: data_dir.join(Self::FILE_NAME),
            lock: Mutex::new(()),
            fallback_reason: None,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn read_map(&self) -> Result<BTreeMap<String, String>> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                DeskError::Secrets(format!(
                    "the secrets file {} is damaged: {e}",
                    self.path.display()
                ))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(DeskError::io("could not read the secrets file", e)),
        }
    }

    fn write_map(&self, map: &BTreeMap<String, String>) -> Result<()> {
        let dir = self
            .path
            .parent()
            .ok_or_else(|| DeskError::Internal("secrets file has no folder".to_string()))?;
        std::fs::create_dir_all(dir).map_err(|e| DeskError::io("could not create data dir", e))?;
        // tempfile creates the file with mode 0600 on Unix.
        let mut tmp = tempfile::Builder::new()
            .prefix(".secrets")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| DeskError::io("could not create a temporary secrets file", e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(|e| DeskError::io("could not restrict the secrets file", e))?;
        }
        let bytes = serde_json::to_vec(map)?;
        tmp.write_all(&bytes)
            .and_then(|_| tmp.as_file().sync_all())
            .map_err(|e| DeskError::io("could not write the secrets file", e))?;
        tmp.persist(&self.path)
            .map_err(|e| DeskError::io("could not replace the secrets file", e.error))?;
        Ok(())
    }

    fn guard(&self) -> std::sync::MutexGuard<'_, ()> {
        // A poisoned lock only means another thread panicked mid-write; the file itself is
        // always whole because it is replaced atomically.
        self.lock.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl SecretStore for FileSecretStore {
    fn info(&self) -> SecretBackendInfo {
        SecretBackendInfo {
            kind: SecretBackendKind::File,
            description: format!("File {} (readable only by you)", self.path.display()),
            fallback_reason: self.fallback_reason.clone(),
        }
    }

    fn get(&self, key: &str) -> Result<Option<Secret>> {
        let _g = self.guard();
        Ok(self.read_map()?.get(key).cloned().map(Secret::new))
    }

    fn set(&self, key: &str, value: &Secret) -> Result<()> {
        let _g = self.guard();
        let mut map = self.read_map()?;
        map.insert(key.to_string(), value.expose().to_string());
        self.write_map(&map)
    }

    fn delete(&self, key: &str) -> Result<()> {
        let _g = self.guard();
        let mut map = self.read_map()?;
        if map.remove(key).is_some() {
            self.write_map(&map)?;
        }
        Ok(())
    }
}

/// Check that a store really answers: write, read back and delete a probe entry.
fn round_trip(store: &dyn SecretStore) -> Result<()> {
    let key = format!("probe/{}", uuid::Uuid::new_v4());
    let probe = Secret::new(uuid::Uuid::new_v4().to_string());
    store.set(&key, &probe)?;
    let back = store.get(&key)?;
    store.delete(&key)?;
    if back.as_ref() != Some(&probe) {
        return Err(DeskError::Secrets(
            "the keychain did not return what was stored".to_string(),
        ));
    }
    Ok(())
}

/// Pick the keychain when it answers within `timeout`, otherwise the file store in `data_dir`.
/// `platform` builds the keychain store (pass `KeyringSecretStore::platform` in the app).
pub async fn probe_with<F>(data_dir: &Path, platform: F, timeout: Duration) -> Arc<dyn SecretStore>
where
    F: FnOnce() -> Result<KeyringSecretStore> + Send + 'static,
{
    let attempt = tokio::task::spawn_blocking(move || -> Result<KeyringSecretStore> {
        let store = platform()?;
        round_trip(&store)?;
        Ok(store)
    });
    let reason = match tokio::time::timeout(timeout, attempt).await {
        Ok(Ok(Ok(store))) => return Arc::new(store),
        Ok(Ok(Err(e))) => e.to_string(),
        Ok(Err(e)) => format!("the keychain check failed: {e}"),
        Err(_) => "the keychain did not answer in time".to_string(),
    };
    tracing::info!(reason = %reason, "using the file secret store");
    let mut file = FileSecretStore::new(data_dir);
    file.fallback_reason = Some(reason);
    Arc::new(file)
}

/// The app's choice: the platform keychain, or the file store.
pub async fn probe(data_dir: &Path) -> Arc<dyn SecretStore> {
    probe_with(
        data_dir,
        KeyringSecretStore::platform,
        Duration::from_secs(3),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exercise(store: &dyn SecretStore) {
        assert!(store.get("a/refresh_token").unwrap().is_none());
        store.set("a/refresh_token", &Secret::new("r1")).unwrap();
        store.set("b/refresh_token", &Secret::new("r2")).unwrap();
        assert_eq!(
            store.get("a/refresh_token").unwrap().unwrap().expose(),
            "r1"
        );
        store.set("a/refresh_token", &Secret::new("r3")).unwrap();
        assert_eq!(
            store.get("a/refresh_token").unwrap().unwrap().expose(),
            "r3"
        );
        store.delete("a/refresh_token").unwrap();
        store.delete("a/refresh_token").unwrap();
        assert!(store.get("a/refresh_token").unwrap().is_none());
        assert_eq!(
            store.get("b/refresh_token").unwrap().unwrap().expose(),
            "r2"
        );
    }

    #[test]
    fn file_store_round_trip_and_mode() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileSecretStore::new(dir.path());
        exercise(&store);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(store.path())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // No temporary files are left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, vec![FileSecretStore::FILE_NAME.to_string()]);
        // A second instance reads what the first wrote.
        let again = FileSecretStore::new(dir.path());
        assert_eq!(
            again.get("b/refresh_token").unwrap().unwrap().expose(),
            "r2"
        );
    }

    #[test]
    fn keyring_store_round_trip_on_mock() {
        let mock: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
        let store = KeyringSecretStore::new(mock, "mock");
        assert_eq!(store.info().kind, SecretBackendKind::Keychain);
        exercise(&store);
    }

    #[tokio::test]
    async fn probe_falls_back_to_file_when_no_keychain() {
        let dir = tempfile::tempdir().unwrap();
        let store = probe_with(
            dir.path(),
            || Err(DeskError::Secrets("no Secret Service".into())),
            Duration::from_secs(2),
        )
        .await;
        let info = store.info();
        assert_eq!(info.kind, SecretBackendKind::File);
        assert!(info.fallback_reason.unwrap().contains("no Secret Service"));
        exercise(store.as_ref());
    }

    #[tokio::test]
    async fn probe_falls_back_when_keychain_hangs() {
        let dir = tempfile::tempdir().unwrap();
        let store = probe_with(
            dir.path(),
            || {
                std::thread::sleep(Duration::from_millis(600));
                Err(DeskError::Secrets("late".into()))
            },
            Duration::from_millis(50),
        )
        .await;
        let info = store.info();
        assert_eq!(info.kind, SecretBackendKind::File);
        assert!(info.fallback_reason.unwrap().contains("in time"));
    }

    #[tokio::test]
    async fn probe_picks_a_working_keychain() {
        let dir = tempfile::tempdir().unwrap();
        let store = probe_with(
            dir.path(),
            || {
                let mock: Arc<keyring_core::CredentialStore> =
                    keyring_core::mock::Store::new().unwrap();
                Ok(KeyringSecretStore::new(mock, "mock keychain"))
            },
            Duration::from_secs(2),
        )
        .await;
        assert_eq!(store.info().kind, SecretBackendKind::Keychain);
        assert!(!dir.path().join(FileSecretStore::FILE_NAME).exists());
    }
}
