//! The `data` part of Send casefile creation (penneo-api.md §4.1), typed field by field.

use serde::{Deserialize, Serialize};
use sha2::Digest;

use super::{string_enum, Extra};
use crate::error::{Error, Result};

string_enum! {
    /// Casefile / signer language.
    Language {
        En => "en", Da => "da", Sv => "sv", Nl => "nl", Fr => "fr", Fi => "fi", No => "no", De => "de",
        /// Mentioned by one source only; the Send schema refuses it (use `no`).
        Nb => "nb",
    }
}

string_enum! {
    /// Signer `ssnType`.
    SsnType {
        Legacy => "legacy",
        DkCpr => "dk:cpr",
        SePin => "se:pin",
        NoNin => "no:nin",
        BeNrn => "be:nrn",
        FiPic => "fi:pic",
        /// Identified by a Google account.
        GoogleOidc => "google:oidc",
        /// Identified by a Microsoft account.
        MicrosoftOidc => "microsoft:oidc",
        Sms => "sms",
    }
}

string_enum! {
    /// Signer `secureSigningMethods[]`: the electronic IDs a signer may sign with.
    SecureSigningMethod {
        /// Danish MitID.
        MitId => "mitid.dk",
        /// Danish MitID, qualified electronic signature.
        MitIdQes => "qes.personal.mitid.dk",
        /// Swedish BankID.
        BankIdSe => "bankid_se",
        /// Norwegian BankID.
        BankIdNo => "bankid_no",
        /// Belgian itsme.
        Itsme => "itsme.be",
        /// Finnish Trust Network.
        Ftn => "ftn.fi",
        /// Belgian eID card.
        BelgianEid => "eid.belgium.be",
        /// Passport reader.
        PassportReader => "passport-reader.eident.dk",
        /// German AusweisApp.
        AusweisApp => "ausweisapp.bund.de",
    }
}

string_enum! {
    /// Signer `insecureSigningMethods[]`.
    InsecureSigningMethod { Text => "text", Draw => "draw", Image => "image" }
}

string_enum! {
    /// Signer `emailFormat`.
    EmailFormat { Text => "text", Html => "html" }
}

/// `{"caseFile": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CaseFileDraft {
    /// The casefile.
    pub case_file: CaseFileSpec,
    /// Unknown top-level keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `caseFile`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CaseFileSpec {
    /// Required, 1–1024 chars.
    pub title: String,
    /// Required, ≥ 1.
    pub signers: Vec<SignerSpec>,
    /// Required, ≥ 1 signable.
    pub documents: Vec<DocumentSpec>,
    /// Language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    /// Searchable metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta_data: Option<String>,
    /// Reference shown in the UI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Folder (≥ 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<u64>,
    /// Unix seconds; none = now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_at: Option<i64>,
    /// Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_at: Option<i64>,
    /// Sensitive data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive_data: Option<bool>,
    /// Access control.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_control: Option<bool>,
    /// No notifications to the owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_notifications_owner: Option<bool>,
    /// No attachments in e-mails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_email_attachments: Option<bool>,
    /// Sign on meeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_on_meeting: Option<bool>,
    /// 0 = all documents visible, 1 = role-specific.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility_mode: Option<u8>,
    /// Sender name (2–255).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_name: Option<String>,
    /// CC recipients.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub cc_recipients: Vec<CcRecipient>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `ccRecipients[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CcRecipient {
    /// Required.
    pub name: String,
    /// Required.
    pub email: String,
    /// Store as contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_as_contact: Option<bool>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `signers[]`.
#[derive(Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SignerSpec {
    /// Required.
    pub name: String,
    /// E-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Role (matches `documents[].roles`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Same number = parallel; lower first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_order: Option<u32>,
    /// On behalf of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_behalf_of: Option<String>,
    /// National id (personal data: not shown by `Debug`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub social_security_number_plain: Option<String>,
    /// VAT number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vatin: Option<String>,
    /// Kind of national id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssn_type: Option<SsnType>,
    /// Access control.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_control: Option<bool>,
    /// Allow insecure signing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_insecure_signing: Option<bool>,
    /// Which insecure methods.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub insecure_signing_methods: Vec<InsecureSigningMethod>,
    /// Which electronic IDs the signer may sign with (none = Penneo's default).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub secure_signing_methods: Vec<SecureSigningMethod>,
    /// Language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    /// E-mail format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_format: Option<EmailFormat>,
    /// Min 5 chars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_subject: Option<String>,
    /// Min 5 chars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_text: Option<String>,
    /// Min 5 chars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder_email_subject: Option<String>,
    /// Min 5 chars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder_email_text: Option<String>,
    /// Min 5 chars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_email_subject: Option<String>,
    /// Min 5 chars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_email_text: Option<String>,
    /// Days between reminders (≥ 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder_interval: Option<u32>,
    /// Min 5 chars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_url: Option<String>,
    /// Min 5 chars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_url: Option<String>,
    /// Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_at: Option<i64>,
    /// Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_at: Option<i64>,
    /// Store as contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_as_contact: Option<bool>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

impl std::fmt::Debug for SignerSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignerSpec")
            .field("name", &self.name)
            .field("email", &self.email)
            .field("role", &self.role)
            .field("sign_order", &self.sign_order)
            .field(
                "social_security_number_plain",
                &self.social_security_number_plain.as_ref().map(|_| "***"),
            )
            .field("ssn_type", &self.ssn_type)
            .finish_non_exhaustive()
    }
}

impl SignerSpec {
    /// A signer with a name and e-mail.
    pub fn new(name: impl Into<String>, email: impl Into<String>) -> Self {
        SignerSpec {
            name: name.into(),
            email: Some(email.into()),
            ..Default::default()
        }
    }
}

/// `documents[]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DocumentSpec {
    /// Required, ≤ 1024.
    pub title: String,
    /// Required: the uploaded file name.
    pub name: String,
    /// Default true; false = attachment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signable: Option<bool>,
    /// Which signer roles sign it.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub roles: Vec<String>,
    /// ≥ 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_order: Option<u32>,
    /// Metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta_data: Option<String>,
    /// Unknown keys.
    #[serde(flatten)]
    pub extra: Extra,
}

impl DocumentSpec {
    /// A signable document.
    pub fn new(title: impl Into<String>, file_name: impl Into<String>) -> Self {
        DocumentSpec {
            title: title.into(),
            name: file_name.into(),
            ..Default::default()
        }
    }
}

/// The exact `data` string that will be (or was) sent and its SHA-256 hex (`payloadHash`).
/// Record both in the outbox before sending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PreparedData {
    /// The `data` multipart part, byte for byte.
    pub data: String,
    /// `hex(sha256(data))`, what Penneo reports as `payloadHash`.
    pub sha256: String,
}

impl PreparedData {
    /// Wraps an already serialised `data` string (e.g. read back from an outbox).
    pub fn from_data(data: String) -> Self {
        let sha256 = hex::encode(sha2::Sha256::digest(data.as_bytes()));
        PreparedData { data, sha256 }
    }
}

impl CaseFileDraft {
    /// A draft with a title, signers and documents.
    pub fn new(
        title: impl Into<String>,
        signers: Vec<SignerSpec>,
        documents: Vec<DocumentSpec>,
    ) -> Self {
        CaseFileDraft {
            case_file: CaseFileSpec {
                title: title.into(),
                signers,
                documents,
                ..Default::default()
            },
            extra: Extra::new(),
        }
    }

    /// Local checks of the documented constraints; `file_names` are the names of the files that
    /// will be uploaded (each must equal one `documents[].name`, and be unique).
    pub fn validate(&self, file_names: &[String]) -> Result<()> {
        let cf = &self.case_file;
        let bad = |message: String, field: &str| {
            Err(Error::InvalidInput {
                message,
                field: Some(field.to_owned()),
            })
        };
        if cf.language.as_ref().is_some_and(|l| l.as_str() == "nb") {
            return bad(
                "language 'nb' is not accepted by Penneo; use 'no' (Norwegian)".into(),
                "caseFile.language",
            );
        }
        let title_len = cf.title.chars().count();
        if title_len == 0 || title_len > 1024 {
            return bad(
                "caseFile.title must be 1–1024 characters".into(),
                "caseFile.title",
            );
        }
        if cf.signers.is_empty() {
            return bad("at least one signer is required".into(), "caseFile.signers");
        }
        if !cf.documents.iter().any(|d| d.signable.unwrap_or(true)) {
            return bad(
                "at least one signable document is required".into(),
                "caseFile.documents",
            );
        }
        for (i, s) in cf.signers.iter().enumerate() {
            if s.name.trim().is_empty() {
                return bad(
                    format!("signer {i} has no name"),
                    &format!("caseFile.signers[{i}].name"),
                );
            }
            if let Some(r) = &s.role {
                if !valid_role(r) {
                    return bad(role_message(r), &format!("caseFile.signers[{i}].role"));
                }
            }
            if s.language.as_ref().is_some_and(|l| l.as_str() == "nb") {
                return bad(
                    "language 'nb' is not accepted by Penneo; use 'no' (Norwegian)".into(),
                    &format!("caseFile.signers[{i}].language"),
                );
            }
            let texts = [
                ("emailSubject", &s.email_subject),
                ("emailText", &s.email_text),
                ("reminderEmailSubject", &s.reminder_email_subject),
                ("reminderEmailText", &s.reminder_email_text),
                ("completedEmailSubject", &s.completed_email_subject),
                ("completedEmailText", &s.completed_email_text),
            ];
            for (k, v) in texts {
                if v.as_deref().is_some_and(|t| t.chars().count() < 5) {
                    return bad(
                        format!("{k} must have at least 5 characters"),
                        &format!("caseFile.signers[{i}].{k}"),
                    );
                }
            }
            if s.reminder_interval == Some(0) {
                return bad(
                    "reminderInterval must be ≥ 1".into(),
                    &format!("caseFile.signers[{i}].reminderInterval"),
                );
            }
        }
        for (i, d) in cf.documents.iter().enumerate() {
            for (k, r) in d.roles.iter().enumerate() {
                if !valid_role(r) {
                    return bad(
                        role_message(r),
                        &format!("caseFile.documents[{i}].roles[{k}]"),
                    );
                }
            }
            if d.title.is_empty() || d.title.chars().count() > 1024 {
                return bad(
                    format!("document {i} title must be 1–1024 characters"),
                    &format!("caseFile.documents[{i}].title"),
                );
            }
        }
        let mut seen = std::collections::HashSet::new();
        for name in file_names {
            if !seen.insert(name.as_str()) {
                return bad(format!("file name {name} is used twice"), "files");
            }
            if !cf.documents.iter().any(|d| &d.name == name) {
                return bad(format!("file {name} matches no documents[].name"), "files");
            }
        }
        for (i, d) in cf.documents.iter().enumerate() {
            if !file_names.iter().any(|n| n == &d.name) {
                return bad(
                    format!("document {} has no file", d.name),
                    &format!("caseFile.documents[{i}].name"),
                );
            }
        }
        Ok(())
    }

    /// Serialises the draft to the exact `data` string and its SHA-256.
    pub fn prepare(&self) -> Result<PreparedData> {
        let data = serde_json::to_string(self).map_err(|e| Error::InvalidInput {
            message: format!("cannot serialise draft: {e}"),
            field: None,
        })?;
        Ok(PreparedData::from_data(data))
    }
}

/// A role as the Send schema allows it: `^[a-zA-Z0-9][a-zA-Z0-9 ,_-]*[a-zA-Z0-9,_-]$`, at
/// least 3 characters (ASCII letters only: æ, ø, å are refused).
pub fn valid_role(r: &str) -> bool {
    let b = r.as_bytes();
    let inner = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b' ' | b',' | b'_' | b'-');
    b.len() >= 3 && b[0].is_ascii_alphanumeric() && b.iter().all(inner) && b[b.len() - 1] != b' '
}

/// A spelling of a role without the letters Penneo refuses: æ→ae, ø→oe, å→aa, and their Swedish,
/// Finnish and German cousins ä→ae, ö→oe, ü→ue; other accents stripped (é→e); any other character
/// the Send schema refuses dropped; no separator at the start, no space at the end, no double
/// spaces. The editor (`ui/src/lib/casefiles/roles.ts`) offers the same spelling: both are tested
/// against `tests/fixtures/role_spellings.json`. The result may still be invalid (too short).
pub fn role_suggestion(r: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::new();
    for c in r.trim().chars() {
        match c {
            'æ' | 'ä' => out.push_str("ae"),
            'Æ' | 'Ä' => out.push_str("Ae"),
            'ø' | 'ö' => out.push_str("oe"),
            'Ø' | 'Ö' => out.push_str("Oe"),
            'å' => out.push_str("aa"),
            'Å' => out.push_str("Aa"),
            'ü' => out.push_str("ue"),
            'Ü' => out.push_str("Ue"),
            // Decomposed, an accented letter is its base letter and combining marks, which the
            // filter drops with everything else outside the schema's alphabet.
            c => out.extend(
                std::iter::once(c)
                    .nfd()
                    .filter(|d| d.is_ascii_alphanumeric() || matches!(d, ' ' | ',' | '_' | '-')),
            ),
        }
    }
    let trimmed = out.trim_start_matches([' ', ',', '_', '-']).trim_end();
    let mut spelled = String::with_capacity(trimmed.len());
    for c in trimmed.chars() {
        if !(c == ' ' && spelled.ends_with(' ')) {
            spelled.push(c);
        }
    }
    spelled
}

fn role_message(r: &str) -> String {
    let hint = role_suggestion(r);
    let offer = if valid_role(&hint) && hint != r {
        format!(" Try \"{hint}\".")
    } else {
        String::new()
    };
    format!(
        "The role \"{r}\" is not allowed: at least 3 characters, only a-z, A-Z, digits, space, \
         comma, underscore and hyphen (æ, ø and å are not allowed), starting with a letter or \
         digit and not ending with a space.{offer}"
    )
}

#[cfg(test)]
mod role_tests {
    use super::*;

    #[test]
    fn roles_follow_the_send_schema_and_get_a_spelling_without_aeoeaa() {
        for ok in ["Client", "Board member, 2_a-", "abc", "A-1", "x,,"] {
            assert!(valid_role(ok), "{ok}");
        }
        for bad in ["ab", "Køber", "Buyer ", "-Buyer", " Buyer", "Sælger", "a.b"] {
            assert!(!valid_role(bad), "{bad}");
        }
        assert!(role_message("Køber").contains("Try \"Koeber\""));
    }

    /// The same table the editor's test reads: both offer the same spelling for a refused role.
    #[test]
    fn role_spellings_match_the_shared_table() {
        let table: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/fixtures/role_spellings.json")).unwrap();
        let cases = table["cases"].as_array().unwrap();
        assert!(cases.len() >= 10);
        for case in cases {
            let role = case[0].as_str().unwrap();
            let offered = Some(role_suggestion(role)).filter(|s| valid_role(s) && s != role.trim());
            assert_eq!(offered.as_deref(), case[1].as_str(), "{role}");
        }
    }
}
