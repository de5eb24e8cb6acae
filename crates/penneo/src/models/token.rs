//! OAuth token responses.

use serde::{Deserialize, Serialize};

use super::Extra;
use crate::Secret;

/// `POST /oauth/token` response.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenSet {
    /// The access token (valid ~10 minutes).
    pub access_token: Secret,
    /// Lifetime in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<i64>,
    /// Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token_expires_at: Option<i64>,
    /// Absent for the `api_keys` grant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
    /// Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token_expires_at: Option<i64>,
    /// Unknown keys (e.g. `token_type`, `scope`).
    #[serde(flatten)]
    pub extra: Extra,
}

impl std::fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSet")
            .field("access_token", &self.access_token)
            .field("access_token_expires_at", &self.access_token_expires_at)
            .field("refresh_token", &self.refresh_token)
            .field("refresh_token_expires_at", &self.refresh_token_expires_at)
            .finish_non_exhaustive()
    }
}

impl TokenSet {
    /// A session restored from a stored refresh token only: the access token is empty and
    /// already expired, so the first call refreshes.
    pub fn from_refresh_token(
        refresh_token: Secret,
        refresh_token_expires_at: Option<i64>,
    ) -> Self {
        TokenSet {
            access_token: Secret::new(""),
            expires_in: None,
            access_token_expires_at: Some(0),
            refresh_token: Some(refresh_token),
            refresh_token_expires_at,
            extra: Extra::new(),
        }
    }

    /// When the access token expires (Unix seconds): `access_token_expires_at`, else
    /// `received_at + expires_in`.
    pub fn expires_at(&self, received_at: i64) -> Option<i64> {
        self.access_token_expires_at
            .or_else(|| self.expires_in.map(|d| received_at + d))
    }
}
