//! Collect answers (`…/answers` of a submission, request or casefile).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Extra, FieldType, Id};

/// The answers object. Keys the server may leave out default as a whole (`#[serde(default)]` on
/// the type, here and below, so that the generated TypeScript marks optional only what may really
/// be missing from what is sent on).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct Answers {
    /// Submission id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submission_id: Option<Id>,
    /// Form id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_id: Option<Id>,
    /// Form version answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    /// Who answered.
    pub respondents: Vec<Respondent>,
    /// Sections.
    pub sections: Vec<AnswerSection>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `{name, email}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct Respondent {
    /// Name.
    pub name: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One answered section: `answers` for a plain section, `instances` for a repeatable one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AnswerSection {
    /// Section slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Repeatable?
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiple_entries: Option<bool>,
    /// Answers of a plain section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answers: Option<Vec<Answer>>,
    /// Instances of a repeatable section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instances: Option<Vec<AnswerInstance>>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One instance of a repeatable section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct AnswerInstance {
    /// Its answers.
    pub answers: Vec<Answer>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One answer: `value`, or `values` for a repeatable field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Answer {
    /// Field name.
    pub name: String,
    /// Field label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Field type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub field_type: Option<FieldType>,
    /// Single value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// Values of a repeatable field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<Value>>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Answers {
    /// Every answer in order, with the section slug/title it belongs to (instances flattened).
    pub fn iter_answers(&self) -> impl Iterator<Item = (&AnswerSection, &Answer)> {
        self.sections.iter().flat_map(|s| {
            let plain = s.answers.iter().flatten().map(move |a| (s, a));
            let inst = s
                .instances
                .iter()
                .flatten()
                .flat_map(move |i| i.answers.iter().map(move |a| (s, a)));
            plain.chain(inst)
        })
    }
}
