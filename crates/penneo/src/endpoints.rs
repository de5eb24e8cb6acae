//! Every path this client calls, in one table.
//!
//! Each row names its `source` (see `docs/penneo-api.md` §0 for the keys: "connector swagger"
//! is Penneo's Power Platform connector definition, "Postman" Penneo's Postman collections,
//! "sdk-php" / "sdk-net" Penneo's SDKs). `assumed: true` marks a path that Penneo has not
//! published and that this project's contract (`docs/penneo-contract.md`) guessed; its source
//! says "contract: assumed". When the truth is known, change the one line here.
//! A `404` without a Penneo error body on an assumed endpoint, or a router's "no such route"
//! answer (NestJS `Cannot GET /…`) on any endpoint, becomes [`crate::Error::NotSupported`]
//! ("not supported by this Penneo server").

use reqwest::Method;
use url::Url;

use crate::error::{Error, Result};

/// Which host an endpoint lives on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    /// The OAuth server (`login.penneo.com`, …).
    OAuth,
    /// The API host (`app.penneo.com`, …); Sign, Send and Collect live under it.
    Api,
}

/// How a call authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthStyle {
    /// No credentials (OAuth token endpoint, job status).
    None,
    /// `Authorization: Bearer <access token>` (Sign, Collect).
    Bearer,
    /// `X-Auth-Token: <access token>` (Send casefile creation).
    XAuthToken,
}

/// One row of the endpoint table.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// Stable operation name (used in errors).
    pub operation: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Host.
    pub host: Host,
    /// Path template relative to the host base; `{name}` segments are substituted.
    pub path: &'static str,
    /// Authentication style.
    pub auth: AuthStyle,
    /// Safe to repeat (retried on connect errors, `5xx`, `429`).
    pub idempotent: bool,
    /// Path assumed by the project contract, not published by Penneo.
    pub assumed: bool,
    /// Where the path comes from (a Penneo source, or "contract: assumed").
    pub source: &'static str,
}

macro_rules! endpoints {
    ($( $(#[$m:meta])* $name:ident = $op:literal, $method:ident, $host:ident, $path:literal, $auth:ident, idempotent: $idem:literal, assumed: $assumed:literal, source: $source:literal; )*) => {
        $( $(#[$m])* pub const $name: Endpoint = Endpoint {
            operation: $op,
            method: Method::$method,
            host: Host::$host,
            path: $path,
            auth: AuthStyle::$auth,
            idempotent: $idem,
            assumed: $assumed,
            source: $source,
        }; )*
        /// Every endpoint, for documentation and tests.
        pub const ALL: &[Endpoint] = &[$($name),*];
    };
}

endpoints! {
    // ---- OAuth -------------------------------------------------------------------------------
    /// #3, opened in a browser; only used to build the URL.
    AUTHORIZE = "authorize", GET, OAuth, "oauth/authorize", None, idempotent: true, assumed: false, source: "connector swagger, sdk-php, readme.io";
    /// #1, all grants.
    TOKEN = "token", POST, OAuth, "oauth/token", None, idempotent: false, assumed: false, source: "connector swagger, sdk-php, Postman";
    /// #2 (**assumed**).
    REVOKE = "revoke", POST, OAuth, "oauth/revoke", None, idempotent: true, assumed: true, source: "contract: assumed";

    // ---- Collect ({api}/collect/api) -----------------------------------------------------------
    /// #4 (**assumed**).
    VERSION = "version", GET, Api, "collect/api/v1/version", Bearer, idempotent: true, assumed: true, source: "contract: assumed";
    /// #7 (**assumed**).
    LIST_FORMS = "list_forms", GET, Api, "collect/api/v1/forms", Bearer, idempotent: true, assumed: true, source: "contract: assumed";
    /// #8.
    GET_FORM = "get_form", GET, Api, "collect/api/v1/forms/{formId}", Bearer, idempotent: true, assumed: false, source: "Postman (Collect)";
    /// #9.
    CREATE_FORM = "create_form", POST, Api, "collect/api/v1/forms", Bearer, idempotent: false, assumed: false, source: "Postman (Collect)";
    /// #10.
    UPDATE_FORM = "update_form", PUT, Api, "collect/api/v1/forms/{formId}", Bearer, idempotent: false, assumed: false, source: "Postman (Collect)";
    /// #11.
    ARCHIVE_FORM = "archive_form", POST, Api, "collect/api/v1/forms/{formId}/archive", Bearer, idempotent: false, assumed: false, source: "Postman (Collect)";
    /// #22.
    PUBLISH_FORM = "publish_form", POST, Api, "collect/api/v1/forms/{formId}/publish", Bearer, idempotent: false, assumed: false, source: "Postman (Collect)";
    /// Version history (**assumed**).
    LIST_FORM_VERSIONS = "list_form_versions", GET, Api, "collect/api/v1/forms/{formId}/versions", Bearer, idempotent: true, assumed: true, source: "contract: assumed";
    /// One version (**assumed**).
    GET_FORM_VERSION = "get_form_version", GET, Api, "collect/api/v1/forms/{formId}/versions/{version}", Bearer, idempotent: true, assumed: true, source: "contract: assumed";
    /// #12 (**assumed**).
    UPDATE_FORM_VERSION = "update_form_version", PUT, Api, "collect/api/v1/forms/{formId}/versions/{version}", Bearer, idempotent: false, assumed: true, source: "contract: assumed";
    /// #20 (**assumed**).
    PUBLISH_FORM_VERSION = "publish_form_version", POST, Api, "collect/api/v1/forms/{formId}/versions/{version}/publish", Bearer, idempotent: false, assumed: true, source: "contract: assumed";
    /// #19 (**assumed**).
    ARCHIVE_FORM_VERSION = "archive_form_version", POST, Api, "collect/api/v1/forms/{formId}/versions/{version}/archive", Bearer, idempotent: false, assumed: true, source: "contract: assumed";
    /// #21 (**assumed**).
    RESTORE_FORM_VERSION = "restore_form_version", POST, Api, "collect/api/v1/forms/{formId}/versions/{version}/restore", Bearer, idempotent: false, assumed: true, source: "contract: assumed";
    /// #13 (v2 body).
    CREATE_REQUEST = "create_request", POST, Api, "collect/api/v2/forms/{formId}/requests", Bearer, idempotent: false, assumed: false, source: "Postman (Collect)";
    /// #14 (v1 per the collection at HEAD; a newer doc says v2).
    REQUEST_ANSWERS = "request_answers", GET, Api, "collect/api/v1/forms/{formId}/requests/{requestId}/answers", Bearer, idempotent: true, assumed: false, source: "Postman (Collect)";
    /// #15.
    LIST_SUBMISSIONS = "list_submissions", GET, Api, "collect/api/v1/forms/{formId}/submissions", Bearer, idempotent: true, assumed: false, source: "Postman (Collect), readme.io";
    /// #16.
    SUBMISSION_ANSWERS = "submission_answers", GET, Api, "collect/api/v1/forms/{formId}/submissions/{submissionId}/answers", Bearer, idempotent: true, assumed: false, source: "Postman (Collect)";
    /// #5 (**assumed**).
    CASEFILE_ANSWERS = "casefile_answers", GET, Api, "collect/api/v1/casefiles/{casefileId}/answers", Bearer, idempotent: true, assumed: true, source: "contract: assumed";
    /// #6.
    CASEFILE_FILES = "casefile_files", GET, Api, "collect/api/v1/casefiles/{casefileId}/files", Bearer, idempotent: true, assumed: false, source: "Postman (Collect), readme.io";
    /// The content of one casefile file (**assumed**: Penneo publishes the list, not the download).
    CASEFILE_FILE_CONTENT = "casefile_file_content", GET, Api, "collect/api/v1/files/{fileId}", Bearer, idempotent: true, assumed: true, source: "contract: assumed (the simulator's path)";

    // ---- Send ({api}/send/api/v1) ----------------------------------------------------------------
    /// #17, multipart; never retried blindly.
    CREATE_CASEFILE = "create_casefile", POST, Api, "send/api/v1/casefiles/20251022/create", XAuthToken, idempotent: false, assumed: false, source: "Postman, Send OpenAPI, readme.io";
    /// #18; a read despite being a POST, so it is retried.
    JOB_STATUS = "job_status", POST, Api, "send/api/v1/queue/public/status", None, idempotent: true, assumed: false, source: "connector swagger, Postman, Send OpenAPI";

    // ---- Sign ({api}/api/v1, {api}/api/v3) -------------------------------------------------------
    /// Casefile details.
    GET_CASEFILE = "get_casefile", GET, Api, "api/v1/casefiles/{casefileId}", Bearer, idempotent: true, assumed: false, source: "connector swagger, Postman";
    /// Delete a casefile.
    DELETE_CASEFILE = "delete_casefile", DELETE, Api, "api/v1/casefiles/{casefileId}", Bearer, idempotent: false, assumed: false, source: "Postman, sdk-php";
    /// Casefile list (`x-paginate` + `Link`).
    LIST_CASEFILES = "list_casefiles", GET, Api, "api/v1/casefiles", Bearer, idempotent: true, assumed: false, source: "sdk-net, readme.io";
    /// The documents of a casefile.
    CASEFILE_DOCUMENTS = "casefile_documents", GET, Api, "api/v1/casefiles/{casefileId}/documents", Bearer, idempotent: true, assumed: false, source: "sdk-php, sdk-net";
    /// A signer's signing link (the SDKs' `SigningRequest::getLink`: a JSON array, link first).
    SIGNING_REQUEST_LINK = "signing_request_link", GET, Api, "api/v1/signingrequests/{signingRequestId}/link", Bearer, idempotent: true, assumed: false, source: "sdk-php (SigningRequest::getLink), sdk-net";
    /// E-mail a signer a reminder now (the SDKs' `SigningRequest::send`: `PATCH`, no body).
    SEND_SIGNING_REQUEST = "send_signing_request", PATCH, Api, "api/v1/signingrequests/{signingRequestId}/send", Bearer, idempotent: false, assumed: false, source: "sdk-php (SigningRequest::send), sdk-net";
    /// Document content (PDF with `Accept: application/pdf`).
    DOCUMENT_CONTENT = "document_content", GET, Api, "api/v3/documents/{documentId}/content", Bearer, idempotent: true, assumed: false, source: "Postman (v3; the connector swagger has the v1 twin)";
}

impl Endpoint {
    /// Builds the URL: `base` joined with the path template, each `{param}` replaced by the
    /// percent-encoded value from `params` (in order of appearance).
    pub fn url(&self, base: &Url, params: &[&str]) -> Result<Url> {
        let mut url = base.clone();
        {
            let mut segs = url
                .path_segments_mut()
                .map_err(|()| Error::Config(format!("base URL {base} cannot be a base")))?;
            segs.pop_if_empty();
            let mut it = params.iter();
            for seg in self.path.split('/') {
                if seg.starts_with('{') && seg.ends_with('}') {
                    let v = it.next().ok_or_else(|| {
                        Error::Config(format!("{}: missing path parameter {seg}", self.operation))
                    })?;
                    if v.is_empty() {
                        return Err(Error::InvalidInput {
                            message: format!("{} must not be empty", &seg[1..seg.len() - 1]),
                            field: Some(seg[1..seg.len() - 1].to_owned()),
                        });
                    }
                    segs.push(v);
                } else {
                    segs.push(seg);
                }
            }
        }
        Ok(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_building_encodes_and_keeps_prefix() {
        let base = Url::parse("http://127.0.0.1:9/prefix/").unwrap();
        let u = GET_FORM.url(&base, &["a b/c"]).unwrap();
        assert_eq!(
            u.as_str(),
            "http://127.0.0.1:9/prefix/collect/api/v1/forms/a%20b%2Fc"
        );
        let base = Url::parse("http://127.0.0.1:9").unwrap();
        let u = SUBMISSION_ANSWERS.url(&base, &["f1", "s1"]).unwrap();
        assert_eq!(u.path(), "/collect/api/v1/forms/f1/submissions/s1/answers");
        assert!(GET_FORM.url(&base, &[]).is_err());
        assert!(GET_FORM.url(&base, &[""]).is_err());
    }

    #[test]
    fn assumed_endpoints_match_the_contract() {
        let assumed: Vec<&str> = ALL
            .iter()
            .filter(|e| e.assumed)
            .map(|e| e.operation)
            .collect();
        assert_eq!(
            assumed,
            [
                "revoke",
                "version",
                "list_forms",
                "list_form_versions",
                "get_form_version",
                "update_form_version",
                "publish_form_version",
                "archive_form_version",
                "restore_form_version",
                "casefile_answers",
                // Not in the contract's table: Penneo lists casefile files with a `downloadUrl`
                // (used first) but publishes no download path; this is the simulator's.
                "casefile_file_content"
            ]
        );
        for e in ALL {
            assert!(!e.source.is_empty(), "{} names its source", e.operation);
            assert_eq!(
                e.assumed,
                e.source.starts_with("contract: assumed"),
                "{}: assumed exactly when the source says so",
                e.operation
            );
        }
        let mut ops: Vec<&str> = ALL.iter().map(|e| e.operation).collect();
        ops.sort_unstable();
        ops.dedup();
        assert_eq!(ops.len(), ALL.len(), "operation names are unique");
    }
}
