//! Where client secrets, refresh tokens and API secrets are kept: the platform's keychain
//! through `keyring-core` — the Windows Credential Manager on Windows, the macOS Keychain on
//! macOS, the Secret Service (GNOME Keyring, KWallet) on Linux, chosen at compile time by target.
//!
//! [`SecretVault`] is the app's store and holds the rules:
//! - a keychain that answers is used; one that is slow to answer (locked, with an unlock prompt
//!   on the screen) is waited for, never taken as absent;
//! - where no keychain answers (a Linux machine without a Secret Service), secrets are kept in
//!   memory for the run until the user agrees in Settings to keep them in a 0600 file in the data
//!   dir ([`SecretVault::allow_file_store`]);
//! - when a keychain answers again (at the next start, or at once when the user asks for it in
//!   Settings: [`SecretStore::retry_keychain`]), whatever the file and memory hold is moved into
//!   it and the file wiped;
//! - deleting (sign-out) deletes from the keychain, the file and memory alike.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
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
    /// No keychain answered and the file store is not allowed (yet): kept until the app quits.
    Memory,
    /// The keychain has not answered yet (it may be waiting for the user to unlock it).
    Waiting,
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
    /// The user agreed to keep secrets in the 0600 file where no keychain answers. A store
    /// without that choice has nothing to do.
    fn allow_file_store(&self) -> Result<()> {
        Ok(())
    }
    /// Asks the keychain again where none answered (the user started or unlocked one), without
    /// a restart. A store without a keychain to ask has nothing to do.
    fn retry_keychain(&self) -> Result<()> {
        Ok(())
    }
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

    /// The platform's store, chosen at compile time: the Secret Service over D-Bus on Linux,
    /// the Credential Manager on Windows, the Keychain on macOS.
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
        #[cfg(target_os = "windows")]
        {
            let store = windows_native_keyring_store::Store::new().map_err(|e| {
                DeskError::Secrets(format!("the Credential Manager is not available: {e}"))
            })?;
            Ok(KeyringSecretStore::new(store, "Windows Credential Manager"))
        }
        #[cfg(target_os = "macos")]
        {
            let store = apple_native_keyring_store::keychain::Store::new().map_err(|e| {
                DeskError::Secrets(format!("the macOS Keychain is not available: {e}"))
            })?;
            Ok(KeyringSecretStore::new(store, "macOS Keychain"))
        }
        #[cfg(not(any(target_os = "linux", target_os = "windows", target_os = "macos")))]
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

    /// Deletes the file (after its secrets moved into a keychain).
    fn wipe(&self) -> Result<()> {
        let _g = self.guard();
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(DeskError::io("could not delete the secrets file", e)),
        }
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

/// The name of the marker that records the user's agreement to the file store.
pub const FILE_CONSENT: &str = "secrets-file-allowed";

enum VaultState {
    /// The keychain was asked and has not answered yet.
    Waiting,
    Keychain(Arc<KeyringSecretStore>),
    /// No keychain: why.
    Absent(String),
}

/// Builds the platform's keychain store; called at start and again on [`SecretVault::retry_keychain`].
type KeychainFactory = dyn Fn() -> Result<KeyringSecretStore> + Send + Sync;

/// The app's secret store: the keychain when one answers, with the rules in the module docs.
pub struct SecretVault {
    platform: Box<KeychainFactory>,
    state: Mutex<VaultState>,
    answered: Condvar,
    file: FileSecretStore,
    consent_path: PathBuf,
    memory: Mutex<BTreeMap<String, String>>,
    /// How long a call waits for a keychain that has not answered (then it fails, asking the
    /// user to unlock it; it never falls back).
    wait: Duration,
}

impl SecretVault {
    /// Asks the keychain `platform` builds (on a thread of its own: an unlock prompt may keep it
    /// for a while) and returns at once; calls wait for its answer.
    pub fn open<F>(data_dir: &Path, platform: F) -> Arc<Self>
    where
        F: Fn() -> Result<KeyringSecretStore> + Send + Sync + 'static,
    {
        Self::open_with_wait(data_dir, platform, Duration::from_secs(120))
    }

    pub fn open_with_wait<F>(data_dir: &Path, platform: F, wait: Duration) -> Arc<Self>
    where
        F: Fn() -> Result<KeyringSecretStore> + Send + Sync + 'static,
    {
        let vault = Arc::new(SecretVault {
            platform: Box::new(platform),
            state: Mutex::new(VaultState::Waiting),
            answered: Condvar::new(),
            file: FileSecretStore::new(data_dir),
            consent_path: data_dir.join(FILE_CONSENT),
            memory: Mutex::new(BTreeMap::new()),
            wait,
        });
        let v = vault.clone();
        std::thread::spawn(move || {
            let next = v.ask_keychain();
            *v.lock_state() = next;
            v.answered.notify_all();
        });
        vault
    }

    /// Builds the keychain store and checks that it answers; once it does, what the file and
    /// memory hold moves into it. Blocks (an unlock prompt may be on the screen).
    fn ask_keychain(&self) -> VaultState {
        let result = (self.platform)().and_then(|store| {
            round_trip(&store)?;
            Ok(store)
        });
        match result {
            Ok(store) => {
                let store = Arc::new(store);
                if let Err(e) = self.migrate_file_into(&store) {
                    tracing::warn!(error = %e, "secrets file not moved into the keychain yet");
                }
                self.migrate_memory_into(&store);
                VaultState::Keychain(store)
            }
            Err(e) => {
                tracing::info!(reason = %e, "no keychain answered");
                VaultState::Absent(e.to_string())
            }
        }
    }

    /// What memory held for this run goes into the keychain (each entry left in memory if the
    /// keychain refuses it, so nothing is lost).
    fn migrate_memory_into(&self, keychain: &KeyringSecretStore) {
        let mut memory = self.memory.lock().unwrap_or_else(|p| p.into_inner());
        memory.retain(|k, v| match keychain.set(k, &Secret::new(v.clone())) {
            Ok(()) => false,
            Err(e) => {
                tracing::warn!(error = %e, "a secret held in memory not moved into the keychain");
                true
            }
        });
    }

    fn lock_state(&self) -> std::sync::MutexGuard<'_, VaultState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Moves every secret of the file into the keychain (each read back before the file goes),
    /// then wipes the file.
    fn migrate_file_into(&self, keychain: &KeyringSecretStore) -> Result<()> {
        if !self.file.path().exists() {
            return Ok(());
        }
        let map = {
            let _g = self.file.guard();
            self.file.read_map()?
        };
        for (k, v) in &map {
            let secret = Secret::new(v.clone());
            keychain.set(k, &secret)?;
            if keychain.get(k)?.as_ref() != Some(&secret) {
                return Err(DeskError::Secrets(
                    "the keychain did not return a moved secret".to_string(),
                ));
            }
        }
        self.file.wipe()?;
        tracing::info!(
            count = map.len(),
            "secrets moved from the file into the keychain"
        );
        Ok(())
    }

    fn file_allowed(&self) -> bool {
        self.consent_path.exists()
    }

    /// Runs `f` on the store in use, once the keychain has answered.
    fn with_store<T>(
        &self,
        f: impl FnOnce(&dyn SecretStore) -> Result<T>,
        mem: impl FnOnce(&Mutex<BTreeMap<String, String>>) -> T,
    ) -> Result<T> {
        let guard = self.lock_state();
        let (guard, timeout) = self
            .answered
            .wait_timeout_while(guard, self.wait, |s| matches!(s, VaultState::Waiting))
            .unwrap_or_else(|p| p.into_inner());
        if timeout.timed_out() && matches!(*guard, VaultState::Waiting) {
            return Err(DeskError::Secrets(
                "the keychain has not answered: unlock it (its prompt may be waiting behind \
                 this window) and try again"
                    .to_string(),
            ));
        }
        match &*guard {
            VaultState::Keychain(k) => {
                let k = k.clone();
                drop(guard);
                f(k.as_ref())
            }
            _ => {
                drop(guard);
                if self.file_allowed() {
                    f(&self.file)
                } else {
                    Ok(mem(&self.memory))
                }
            }
        }
    }
}

impl SecretStore for SecretVault {
    fn info(&self) -> SecretBackendInfo {
        match &*self.lock_state() {
            VaultState::Waiting => SecretBackendInfo {
                kind: SecretBackendKind::Waiting,
                description: "Waiting for the system keychain (unlock it if it asks)".to_string(),
                fallback_reason: None,
            },
            VaultState::Keychain(k) => k.info(),
            VaultState::Absent(reason) if self.file_allowed() => SecretBackendInfo {
                fallback_reason: Some(reason.clone()),
                ..self.file.info()
            },
            VaultState::Absent(reason) => SecretBackendInfo {
                kind: SecretBackendKind::Memory,
                description: "In memory until Penneo Desk quits: sign in again at the next \
                              start, or allow the private file"
                    .to_string(),
                fallback_reason: Some(reason.clone()),
            },
        }
    }

    fn get(&self, key: &str) -> Result<Option<Secret>> {
        self.with_store(
            |s| s.get(key),
            |m| {
                m.lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .get(key)
                    .cloned()
                    .map(Secret::new)
            },
        )
    }

    fn set(&self, key: &str, value: &Secret) -> Result<()> {
        self.with_store(
            |s| s.set(key, value),
            |m| {
                m.lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(key.to_string(), value.expose().to_string());
            },
        )
    }

    /// From every place a secret may be: the keychain, the file and memory.
    fn delete(&self, key: &str) -> Result<()> {
        self.memory
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key);
        self.file.delete(key)?;
        self.with_store(|s| s.delete(key), |_| ())
    }

    /// Where the keychain did not answer: asks it again now, on the calling thread (a blocking
    /// thread: an unlock prompt may keep it), and moves the file's and memory's secrets into it
    /// when it answers. Calls in between keep using the file or memory; `info` says the outcome.
    fn retry_keychain(&self) -> Result<()> {
        if !matches!(&*self.lock_state(), VaultState::Absent(_)) {
            return Ok(()); // in use, or still being asked
        }
        let next = self.ask_keychain();
        *self.lock_state() = next;
        self.answered.notify_all();
        Ok(())
    }

    /// Records the user's agreement and moves what memory holds into the file. With a keychain
    /// in use nothing changes (the file is only the fallback).
    fn allow_file_store(&self) -> Result<()> {
        std::fs::create_dir_all(self.consent_path.parent().unwrap_or(Path::new(".")))
            .and_then(|_| std::fs::write(&self.consent_path, b"yes\n"))
            .map_err(|e| DeskError::io("could not record the choice", e))?;
        if matches!(&*self.lock_state(), VaultState::Keychain(_)) {
            return Ok(());
        }
        let held: Vec<(String, String)> =
            std::mem::take(&mut *self.memory.lock().unwrap_or_else(|p| p.into_inner()))
                .into_iter()
                .collect();
        for (k, v) in held {
            self.file.set(&k, &Secret::new(v))?;
        }
        Ok(())
    }
}

/// The app's store: the platform keychain, with the fallback rules of [`SecretVault`].
pub fn platform_vault(data_dir: &Path) -> Arc<dyn SecretStore> {
    SecretVault::open(data_dir, KeyringSecretStore::platform)
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

    fn mock_keychain() -> Result<KeyringSecretStore> {
        let mock: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
        Ok(KeyringSecretStore::new(mock, "mock keychain"))
    }

    fn no_keychain() -> Result<KeyringSecretStore> {
        Err(DeskError::Secrets("no Secret Service available".into()))
    }

    #[test]
    fn a_keychain_that_answers_is_used_and_no_file_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let vault = SecretVault::open(dir.path(), mock_keychain);
        exercise(vault.as_ref());
        assert_eq!(vault.info().kind, SecretBackendKind::Keychain);
        assert!(!dir.path().join(FileSecretStore::FILE_NAME).exists());
    }

    #[test]
    fn without_a_keychain_secrets_stay_in_memory_until_the_user_allows_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let vault = SecretVault::open(dir.path(), no_keychain);
        vault.set("a/client_secret", &Secret::new("c1")).unwrap();
        assert_eq!(
            vault.get("a/client_secret").unwrap().unwrap().expose(),
            "c1"
        );
        let info = vault.info();
        assert_eq!(info.kind, SecretBackendKind::Memory);
        assert!(info.fallback_reason.unwrap().contains("no Secret Service"));
        // Nothing on disk without the user's word.
        assert!(!dir.path().join(FileSecretStore::FILE_NAME).exists());
        exercise(vault.as_ref());

        // The user agrees in Settings: what memory held goes to the 0600 file.
        vault.allow_file_store().unwrap();
        assert_eq!(vault.info().kind, SecretBackendKind::File);
        let file = FileSecretStore::new(dir.path());
        assert_eq!(file.get("a/client_secret").unwrap().unwrap().expose(), "c1");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(file.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // The choice is remembered at the next start.
        let again = SecretVault::open(dir.path(), no_keychain);
        // (Asked once the keychain has answered; until then it says it is waiting.)
        assert!(again.get("missing").unwrap().is_none());
        assert_eq!(again.info().kind, SecretBackendKind::File);
        assert_eq!(
            again.get("a/client_secret").unwrap().unwrap().expose(),
            "c1"
        );
    }

    #[test]
    fn the_file_moves_into_a_keychain_that_answers_again_and_is_wiped() {
        let dir = tempfile::tempdir().unwrap();
        let before = SecretVault::open(dir.path(), no_keychain);
        before.allow_file_store().unwrap();
        before.set("a/refresh_token", &Secret::new("r1")).unwrap();
        before.set("b/api_secret", &Secret::new("s2")).unwrap();
        assert!(dir.path().join(FileSecretStore::FILE_NAME).exists());

        let mock: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
        let shared = mock.clone();
        let after = SecretVault::open(dir.path(), move || {
            Ok(KeyringSecretStore::new(shared.clone(), "mock keychain"))
        });
        assert_eq!(
            after.get("a/refresh_token").unwrap().unwrap().expose(),
            "r1"
        );
        assert_eq!(after.info().kind, SecretBackendKind::Keychain);
        assert!(
            !dir.path().join(FileSecretStore::FILE_NAME).exists(),
            "the file is wiped once its secrets are in the keychain"
        );
        // They are in the keychain itself, not only reachable through the vault.
        let keychain = KeyringSecretStore::new(mock, "mock keychain");
        assert_eq!(
            keychain.get("b/api_secret").unwrap().unwrap().expose(),
            "s2"
        );
    }

    #[test]
    fn sign_out_deletes_from_the_keychain_and_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let mock: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
        let keychain = KeyringSecretStore::new(mock.clone(), "mock");
        let vault = SecretVault::open(dir.path(), move || {
            Ok(KeyringSecretStore::new(mock.clone(), "mock"))
        });
        vault.set("a/refresh_token", &Secret::new("new")).unwrap();
        // A copy left in the file (written before a move into the keychain could finish).
        FileSecretStore::new(dir.path())
            .set("a/refresh_token", &Secret::new("old"))
            .unwrap();
        vault.delete("a/refresh_token").unwrap();
        assert!(vault.get("a/refresh_token").unwrap().is_none());
        assert!(keychain.get("a/refresh_token").unwrap().is_none());
        assert!(FileSecretStore::new(dir.path())
            .get("a/refresh_token")
            .unwrap()
            .is_none());
    }

    #[test]
    fn a_locked_keychain_is_waited_for_not_taken_as_absent() {
        let dir = tempfile::tempdir().unwrap();
        let vault = SecretVault::open(dir.path(), || {
            // The user takes a while to type the keychain password.
            std::thread::sleep(Duration::from_millis(800));
            mock_keychain()
        });
        assert_eq!(vault.info().kind, SecretBackendKind::Waiting);
        let started = std::time::Instant::now();
        vault.set("a/refresh_token", &Secret::new("r1")).unwrap();
        assert!(
            started.elapsed() >= Duration::from_millis(300),
            "the call waited"
        );
        assert_eq!(vault.info().kind, SecretBackendKind::Keychain);
        assert!(!dir.path().join(FileSecretStore::FILE_NAME).exists());
        assert!(vault.get("a/refresh_token").unwrap().is_some());
    }

    #[test]
    fn a_keychain_that_never_answers_fails_the_call_without_falling_back() {
        let dir = tempfile::tempdir().unwrap();
        let vault = SecretVault::open_with_wait(
            dir.path(),
            || {
                std::thread::sleep(Duration::from_secs(3));
                mock_keychain()
            },
            Duration::from_millis(100),
        );
        let err = vault
            .set("a/refresh_token", &Secret::new("r1"))
            .unwrap_err();
        assert!(err.to_string().contains("unlock"), "{err}");
        assert_eq!(vault.info().kind, SecretBackendKind::Waiting);
        assert!(!dir.path().join(FileSecretStore::FILE_NAME).exists());
    }

    #[test]
    fn a_keychain_started_later_is_used_after_a_retry_without_a_restart() {
        use std::sync::atomic::{AtomicBool, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let mock: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
        let up = Arc::new(AtomicBool::new(false));
        let (m, u) = (mock.clone(), up.clone());
        let vault = SecretVault::open(dir.path(), move || {
            if u.load(Ordering::SeqCst) {
                Ok(KeyringSecretStore::new(m.clone(), "mock keychain"))
            } else {
                no_keychain()
            }
        });
        // No keychain yet: one secret in memory, then the user allows the file, another there.
        vault.set("a/client_secret", &Secret::new("c1")).unwrap();
        assert_eq!(vault.info().kind, SecretBackendKind::Memory);
        vault.retry_keychain().unwrap();
        assert_eq!(vault.info().kind, SecretBackendKind::Memory, "still none");
        vault.allow_file_store().unwrap();
        vault.set("b/refresh_token", &Secret::new("r2")).unwrap();
        assert_eq!(vault.info().kind, SecretBackendKind::File);

        // The user starts their keychain and presses "Try again" in Settings.
        up.store(true, Ordering::SeqCst);
        vault.retry_keychain().unwrap();
        assert_eq!(vault.info().kind, SecretBackendKind::Keychain);
        let keychain = KeyringSecretStore::new(mock, "mock keychain");
        assert_eq!(
            keychain.get("a/client_secret").unwrap().unwrap().expose(),
            "c1"
        );
        assert_eq!(
            keychain.get("b/refresh_token").unwrap().unwrap().expose(),
            "r2"
        );
        assert!(
            !dir.path().join(FileSecretStore::FILE_NAME).exists(),
            "the file is wiped once its secrets are in the keychain"
        );
        assert_eq!(
            vault.get("a/client_secret").unwrap().unwrap().expose(),
            "c1"
        );
    }
}
