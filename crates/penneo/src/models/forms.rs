//! Collect forms: the definition (sections, fields) and the server's form object.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

use super::{string_enum, Extra, Id};

string_enum! {
    /// Form (and form version) status.
    FormStatus { Draft => "DRAFT", Active => "ACTIVE", Archived => "ARCHIVED" }
}

string_enum! {
    /// Field type.
    FieldType {
        /// Short or long text (`multiline`), `validations.minLength/maxLength`.
        Text => "TEXT",
        /// E-mail address.
        Email => "EMAIL",
        /// Phone number (`countryCodes`).
        Phone => "PHONE",
        /// Number (`validations.min/max`).
        Number => "NUMBER",
        /// Date.
        Date => "DATE",
        /// Choice (`layout`, `options`).
        Choice => "CHOICE",
        /// National identity number.
        Nin => "NIN",
        /// Business id.
        BusinessId => "BUSINESS_ID",
        /// File upload.
        File => "FILE",
        /// Static HTML (`content`, may hold `{{fieldName}}`).
        Html => "HTML",
    }
}

string_enum! {
    /// How a CHOICE field is shown.
    ChoiceLayout { Radio => "RADIO", Select => "SELECT", Checkbox => "CHECKBOX" }
}

string_enum! {
    /// Condition operator (only `EQUALS` is documented).
    ConditionOperator { Equals => "EQUALS" }
}

/// `{rules: [{field, operator, value}]}` on a section or field.
///
/// Keys the server may leave out default as a whole (`#[serde(default)]` on the type rather than
/// on each field, here and below, so that the generated TypeScript marks optional only what may
/// really be missing from what is sent back).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct Condition {
    /// The rules (all must hold).
    pub rules: Vec<ConditionRule>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One condition rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConditionRule {
    /// The name of an earlier field.
    pub field: String,
    /// Operator.
    pub operator: ConditionOperator,
    /// Value to compare with.
    pub value: Value,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `{max: n}`: the field or section may be repeated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MultipleEntries {
    /// Maximum number of entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Validation bounds (TEXT: `minLength`/`maxLength`; NUMBER: `min`/`max`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Validations {
    /// TEXT minimum length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    /// TEXT maximum length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// NUMBER minimum (kept as a JSON number so it round-trips exactly).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Number>,
    /// NUMBER maximum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Number>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A CHOICE option.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ChoiceOption {
    /// Shown text.
    pub label: String,
    /// Stored value.
    pub value: String,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One field of a section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Field {
    /// Unique in the form, `^[a-z][a-z0-9_]*$` (absent on HTML blocks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Type.
    #[serde(rename = "type")]
    pub field_type: FieldType,
    /// Required?
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// `primarySigner.name` | `primarySigner.email` (the latter only on EMAIL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map_to: Option<String>,
    /// Show only when the rules hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    /// Repeatable field (answer comes back as `values`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiple_entries: Option<MultipleEntries>,
    /// Validation bounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validations: Option<Validations>,
    /// TEXT: long answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiline: Option<bool>,
    /// CHOICE layout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<ChoiceLayout>,
    /// CHOICE options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<ChoiceOption>>,
    /// PHONE: allowed countries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_codes: Option<Vec<String>>,
    /// HTML content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Field {
    /// A field of the given type and name with everything else unset.
    pub fn new(field_type: FieldType, name: impl Into<String>, label: impl Into<String>) -> Self {
        Field {
            name: Some(name.into()),
            label: Some(label.into()),
            field_type,
            required: None,
            map_to: None,
            condition: None,
            multiple_entries: None,
            validations: None,
            multiline: None,
            layout: None,
            options: None,
            country_codes: None,
            content: None,
            extra: Extra::new(),
        }
    }
}

/// A section of a form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct Section {
    /// Unique slug (keys prefilled answers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Show only when the rules hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    /// Repeatable section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiple_entries: Option<MultipleEntries>,
    /// Fields.
    pub fields: Vec<Field>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A form definition: the body of create and update.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct FormDefinition {
    /// Name.
    pub name: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Language code (examples show `EN`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Title template with merge fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_file_title_template: Option<String>,
    /// Opaque; sent back unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_signers_config: Option<Value>,
    /// Sections.
    pub sections: Vec<Section>,
    /// Unknown keys (kept and sent back).
    #[serde(flatten)]
    pub extra: Extra,
}

/// The server's form object (`GET /v1/forms/{formId}`, create/update/publish responses, and a
/// form version). Accepts `formId`, `externalId` or `id` for the id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct Form {
    /// `id` (same value as `formId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Id>,
    /// `formId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_id: Option<Id>,
    /// `externalId` (older servers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<Id>,
    /// Name.
    pub name: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<FormStatus>,
    /// Version number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    /// Title template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_file_title_template: Option<String>,
    /// Opaque; sent back unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_signers_config: Option<Value>,
    /// Sections (absent in summaries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sections: Option<Vec<Section>>,
    /// Public URL when ACTIVE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
    /// ISO-8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// ISO-8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Form {
    /// The form id, whichever key carried it (`formId`, then `id`, then `externalId`).
    pub fn form_id(&self) -> Option<&Id> {
        self.form_id
            .as_ref()
            .or(self.id.as_ref())
            .or(self.external_id.as_ref())
    }

    /// The definition to send back in an update: every definition key plus unknown keys, without
    /// the server-managed ones (ids, status, version, timestamps, public URL).
    pub fn to_definition(&self) -> FormDefinition {
        FormDefinition {
            name: self.name.clone(),
            description: self.description.clone(),
            language: self.language.clone(),
            case_file_title_template: self.case_file_title_template.clone(),
            additional_signers_config: self.additional_signers_config.clone(),
            sections: self.sections.clone().unwrap_or_default(),
            extra: self.extra.clone(),
        }
    }
}

/// `{version, status, createdAt, updatedAt}` from the version list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct FormVersionSummary {
    /// Version number.
    pub version: u32,
    /// Status.
    pub status: FormStatus,
    /// ISO-8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// ISO-8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /v1/version`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct VersionInfo {
    /// Server version.
    #[serde(default)]
    pub version: Option<String>,
    /// Default language.
    #[serde(default)]
    pub language: Option<String>,
    /// Opaque.
    #[serde(default)]
    pub additional_signers_config: Option<Value>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A prefilled value: `{value, editable}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PrefillValue {
    /// The value.
    pub value: Value,
    /// `false` locks the field.
    pub editable: bool,
}

/// One instance of a section in a prefilled request: field name → value.
pub type PrefillInstance = BTreeMap<String, PrefillValue>;

/// v2 prefilled-request body: section slug → instances → field name → value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PrefilledRequest {
    /// `answers`.
    pub answers: BTreeMap<String, Vec<PrefillInstance>>,
}

impl PrefilledRequest {
    /// An empty request (the respondent fills everything).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one instance of a section (call repeatedly for a repeatable section).
    pub fn section_instance<I, K>(mut self, slug: &str, fields: I) -> Self
    where
        I: IntoIterator<Item = (K, PrefillValue)>,
        K: Into<String>,
    {
        let instance: PrefillInstance = fields.into_iter().map(|(k, v)| (k.into(), v)).collect();
        self.answers
            .entry(slug.to_owned())
            .or_default()
            .push(instance);
        self
    }
}

/// `{requestId, requestUrl}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct FormRequest {
    /// Request id.
    pub request_id: Id,
    /// The link to send the respondent.
    #[serde(default)]
    pub request_url: Option<String>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

string_enum! {
    /// `sort` for the form list (`-` prefix = descending).
    FormSort {
        NameAsc => "name",
        NameDesc => "-name",
        CreatedAsc => "createdAt",
        CreatedDesc => "-createdAt",
        UpdatedAsc => "updatedAt",
        UpdatedDesc => "-updatedAt",
    }
}

/// Query of the form list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FormListQuery {
    /// Status filter (sent comma-separated); empty = all.
    pub status: Vec<FormStatus>,
    /// Sort.
    pub sort: Option<FormSort>,
    /// Page size.
    pub limit: Option<u32>,
    /// Offset.
    pub offset: Option<u32>,
}

/// A submission summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Submission {
    /// Submission id.
    pub submission_id: Id,
    /// The Sign casefile id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub casefile_id: Option<Id>,
    /// The prefilled request it answered, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<Id>,
    /// Form version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    /// ISO-8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<String>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Query of the submission list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SubmissionQuery {
    /// 1–1000 (server default 10).
    pub limit: Option<u32>,
    /// Offset.
    pub offset: Option<u32>,
    /// ISO-8601 UTC, exclusive.
    pub completed_after: Option<String>,
    /// ISO-8601 UTC, exclusive.
    pub completed_before: Option<String>,
}

/// A file attached to a casefile in Collect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CasefileFile {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Id>,
    /// File name.
    pub filename: String,
    /// Size in bytes.
    #[serde(default)]
    pub size: Option<u64>,
    /// MIME type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Download link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub download_url: Option<String>,
    /// ISO-8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// ISO-8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Keys a casefile file's download link may come under, in order of preference. Penneo
/// publishes only `filename` and `size` for this list; `downloadUrl` is this project's reading,
/// the others are what other APIs commonly call it.
pub const FILE_LINK_KEYS: &[&str] = &["downloadUrl", "url", "link", "href"];

impl CasefileFile {
    /// The download link as listed: `downloadUrl`, else a non-empty string under `url`,
    /// `link` or `href`.
    pub fn link(&self) -> Option<&str> {
        self.download_url
            .as_deref()
            .filter(|u| !u.trim().is_empty())
            .or_else(|| {
                FILE_LINK_KEYS[1..].iter().find_map(|k| {
                    self.extra
                        .get(*k)
                        .and_then(serde_json::Value::as_str)
                        .filter(|u| !u.trim().is_empty())
                })
            })
    }
}
