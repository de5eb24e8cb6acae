//! The user's preferences that the backend keeps (in the database's `settings` table, so they
//! live with the data dir): the UI's language (notifications are worded in it), whether the
//! first-start welcome was seen, and whether a send on production asks once more.

use serde::{Deserialize, Serialize};

use super::DeskCore;
use crate::db::accounts::{get_setting, set_setting};
use crate::error::{DeskError, Result};

const LANGUAGE: &str = "ui.language";
const WELCOME_SEEN: &str = "ui.welcome_seen";
const CONFIRM_PRODUCTION_SENDS: &str = "ui.confirm_production_sends";

/// What the user chose, as the UI reads it at start.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Preferences {
    /// The UI's language as a BCP 47 tag (`da`, `en`), once the UI has said it.
    pub language: Option<String>,
    /// The first-start welcome was closed (it opens again only from Settings).
    pub welcome_seen: bool,
    /// "Ask once more before sending on production" (off unless the user turns it on).
    pub confirm_production_sends: bool,
}

/// A change to some preferences; what is left out stays as it was.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PreferencesUpdate {
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub welcome_seen: Option<bool>,
    #[serde(default)]
    pub confirm_production_sends: Option<bool>,
}

/// A language tag the UI may set: letters, digits, `-` and `_`, at most 35 characters (the
/// longest BCP 47 tag a UI would use, with room to spare).
fn valid_language(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= 35
        && tag.starts_with(|c: char| c.is_ascii_alphabetic())
        && tag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl DeskCore {
    /// The preferences as stored (defaults where none was set).
    pub async fn preferences(&self) -> Result<Preferences> {
        self.inner
            .db
            .call(|c| {
                let flag = |key| Ok::<_, DeskError>(get_setting(c, key)?.as_deref() == Some("1"));
                Ok(Preferences {
                    language: get_setting(c, LANGUAGE)?,
                    welcome_seen: flag(WELCOME_SEEN)?,
                    confirm_production_sends: flag(CONFIRM_PRODUCTION_SENDS)?,
                })
            })
            .await
    }

    /// Stores what `update` sets and returns the preferences after it.
    pub async fn set_preferences(&self, update: PreferencesUpdate) -> Result<Preferences> {
        if let Some(tag) = &update.language {
            if !valid_language(tag) {
                return Err(DeskError::invalid_field(
                    "language",
                    format!("{tag:?} is not a language tag such as \"da\" or \"en-GB\"."),
                ));
            }
        }
        self.inner
            .db
            .call(move |c| {
                let flag = |on: bool| if on { "1" } else { "0" };
                if let Some(tag) = &update.language {
                    set_setting(c, LANGUAGE, tag)?;
                }
                if let Some(seen) = update.welcome_seen {
                    set_setting(c, WELCOME_SEEN, flag(seen))?;
                }
                if let Some(on) = update.confirm_production_sends {
                    set_setting(c, CONFIRM_PRODUCTION_SENDS, flag(on))?;
                }
                Ok(())
            })
            .await?;
        self.preferences().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags() {
        for ok in ["da", "en", "en-GB", "nb_NO", "zh-Hant-TW"] {
            assert!(valid_language(ok), "{ok}");
        }
        for bad in ["", "-da", "da dk", "da;", "<script>", &"a".repeat(36)] {
            assert!(!valid_language(bad), "{bad}");
        }
    }
}
