//! Wire models. Every object the app reads and may send back keeps unknown fields in `extra`.

pub mod answers;
pub mod casefile_draft;
pub mod casefiles;
pub mod forms;
pub mod jobs;
#[cfg(feature = "specta")]
mod specta_types;
pub mod token;

pub use answers::*;
pub use casefile_draft::*;
pub use casefiles::*;
pub use forms::*;
pub use jobs::*;
pub use token::*;

/// Unknown JSON fields, kept for the round trip.
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// Defines a string enum with an `Unknown(String)` fallback that round-trips.
macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident => $wire:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vm])* #[doc = concat!("`", $wire, "`")] $variant,)*
            /// A value this client does not know (kept verbatim).
            Unknown(String),
        }
        impl $name {
            /// The wire spelling.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(s) => s.as_str(),
                }
            }
        }
        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($wire => Self::$variant,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                Ok(Self::from(s.as_ref()))
            }
        }
        #[cfg(feature = "specta")]
        crate::models::specta_types::specta_string_enum!(
            $name,
            [$($wire),*]
        );
    };
}

/// Defines an integer enum with an `Unknown(i64)` fallback that round-trips.
macro_rules! int_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $wire:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vm])* $variant,)*
            /// A code this client does not know (kept verbatim).
            Unknown(i64),
        }
        impl $name {
            /// The wire code.
            pub fn code(&self) -> i64 {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(c) => *c,
                }
            }
        }
        impl From<i64> for $name {
            fn from(c: i64) -> Self {
                match c {
                    $($wire => Self::$variant,)*
                    other => Self::Unknown(other),
                }
            }
        }
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_i64(self.code())
            }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = crate::models::lenient_i64(d)?;
                Ok(Self::from(v))
            }
        }
    };
}

pub(crate) use int_enum;
pub(crate) use string_enum;

/// Accepts an integer or a string of digits.
pub(crate) fn lenient_i64<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    use serde::de::Error as _;
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
            .ok_or_else(|| D::Error::custom(format!("not an integer: {n}"))),
        serde_json::Value::String(s) => s
            .trim()
            .parse()
            .map_err(|_| D::Error::custom(format!("not an integer: {s:?}"))),
        other => Err(D::Error::custom(format!(
            "expected an integer, got {other}"
        ))),
    }
}

use serde::Deserialize as _;

/// An id that Penneo sends as a number in some places and a string in others; kept as text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "specta", derive(specta::Type), specta(transparent))]
pub struct Id(pub String);

impl Id {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Id {
    fn from(s: &str) -> Self {
        Id(s.to_owned())
    }
}

impl From<String> for Id {
    fn from(s: String) -> Self {
        Id(s)
    }
}

impl From<u64> for Id {
    fn from(n: u64) -> Self {
        Id(n.to_string())
    }
}

impl serde::Serialize for Id {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Id {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => Ok(Id(s)),
            serde_json::Value::Number(n) => Ok(Id(n.to_string())),
            other => Err(D::Error::custom(format!("expected an id, got {other}"))),
        }
    }
}

/// A list that Penneo returns either as a bare array or as `{items: [...]}`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(untagged)]
pub(crate) enum ListBody<T> {
    Bare(Vec<T>),
    Items { items: Vec<T> },
}

impl<T> ListBody<T> {
    pub(crate) fn into_vec(self) -> Vec<T> {
        match self {
            ListBody::Bare(v) | ListBody::Items { items: v } => v,
        }
    }
}

/// Accepts an unsigned integer or a string of digits.
pub(crate) fn lenient_u64<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    use serde::de::Error as _;
    let v = lenient_i64(d)?;
    u64::try_from(v).map_err(|_| D::Error::custom(format!("negative id {v}")))
}

/// `Option<T>` that never fails: `null`, a missing key or a value of the wrong type is `None`
/// (one odd field must not fail the record it is in).
pub(crate) fn lenient_opt<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let v = serde_json::Value::deserialize(d)?;
    if v.is_null() {
        return Ok(None);
    }
    Ok(serde_json::from_value(v).ok())
}

/// `Option<i64>` that never fails; accepts a number or a string of digits.
pub(crate) fn lenient_opt_i64<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<i64>, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    Ok(lenient_i64(v).ok())
}

/// A list that never fails: a non-array is empty, and an element that does not decode is left
/// out with a warning (one odd signer must not hide the casefile).
pub(crate) fn lenient_vec<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let v = serde_json::Value::deserialize(d)?;
    let serde_json::Value::Array(items) = v else {
        return Ok(Vec::new());
    };
    Ok(items
        .into_iter()
        .filter_map(|x| match serde_json::from_value(x) {
            Ok(t) => Some(t),
            Err(e) => {
                tracing::warn!(error = %e, "left out a list element Penneo sent in an unexpected shape");
                None
            }
        })
        .collect())
}

#[cfg(test)]
mod round_trip {
    //! What crosses to the UI is what serde writes: a real example of each model the UI edits
    //! goes in and comes out the same, unknown keys included (the generated TypeScript types
    //! describe this JSON; `ui/src/lib/testing/wire.test.ts` checks the same examples against
    //! them).
    use serde_json::{json, Value};

    fn same<T: serde::Serialize + serde::de::DeserializeOwned>(v: Value) {
        let typed: T = serde_json::from_value(v.clone()).expect("reads");
        assert_eq!(serde_json::to_value(&typed).unwrap(), v);
    }

    #[test]
    fn forms_drafts_requests_and_answers_round_trip() {
        same::<super::Form>(json!({
            "id": "f1", "formId": "f1", "name": "KYC", "language": "EN", "status": "ACTIVE",
            "version": 2, "publicUrl": "https://forms.example/f1",
            "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-02T00:00:00Z",
            "sections": [{
                "slug": "person", "title": "About you", "multipleEntries": {"max": 3},
                "fields": [
                    {"type": "TEXT", "name": "full_name", "label": "Name", "required": true,
                     "validations": {"minLength": 2, "maxLength": 80}, "mapTo": "primarySigner.name"},
                    {"type": "NUMBER", "name": "share", "validations": {"min": 0, "max": 100.5}},
                    {"type": "CHOICE", "name": "kind", "layout": "RADIO",
                     "options": [{"label": "A", "value": "a"}],
                     "condition": {"rules": [{"field": "full_name", "operator": "EQUALS", "value": "Ada"}]}},
                    {"type": "SIGNATURE", "name": "future_type", "futureSetting": {"kept": true}}
                ]
            }],
            "activeVersion": 2
        }));
        same::<super::CaseFileDraft>(json!({"caseFile": {
            "title": "Engagement", "language": "da", "visibilityMode": 0,
            "signers": [{"name": "Ida", "email": "ida@example.org", "signOrder": 0,
                         "secureSigningMethods": ["mitid.dk"], "storeAsContact": false, "localId": "s1"}],
            "documents": [{"title": "Letter", "name": "letter.pdf", "roles": ["Client"],
                           "source": {"path": "/x/letter.pdf", "fileName": "letter.pdf", "size": 3}}],
            "futureOption": 1
        }}));
        same::<super::PrefilledRequest>(json!({"answers": {
            "person": [{"full_name": {"value": "Ida", "editable": false}}]
        }}));
        same::<super::Answers>(json!({
            "submissionId": "s1", "version": 1,
            "respondents": [{"name": "Ida", "email": null}],
            "sections": [{"slug": "owners", "multipleEntries": true,
                          "instances": [{"answers": [{"name": "owner", "type": "TEXT", "value": "Bo"}]}]}]
        }));
    }
}
