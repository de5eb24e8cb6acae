//! HTTPS for every HTTP client the app makes.
//!
//! reqwest speaks TLS through rustls, with ring's primitives (installed here as the process's
//! rustls provider; tauri-plugin-updater installs the same one when it checks for updates) and
//! the platform's certificate verifier: Windows' and macOS' own, the system's CA store on Linux.
//! So a practice whose network inspects TLS with a root of its own, installed on its machines,
//! reaches Penneo as its browser does; with a fixed list of roots it could not.

/// rustls' process-wide crypto provider: ring. Idempotent; reqwest needs one before a client is
/// built (it panics without), so every builder here calls it first.
pub fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Fails only when another thread installed one in between: that one is used.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// A reqwest client builder with the provider installed.
pub fn client_builder() -> reqwest::ClientBuilder {
    install_crypto_provider();
    reqwest::Client::builder()
}

/// A client with reqwest's defaults (for tests, examples and one-off calls), like
/// `reqwest::Client::new()`, which would panic without the provider.
pub fn client() -> reqwest::Client {
    client_builder()
        .build()
        .expect("an HTTP client with the default settings")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_a_client_after_installing_ring() {
        let _client = client();
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
        // Again: installing twice is not an error.
        install_crypto_provider();
    }
}
