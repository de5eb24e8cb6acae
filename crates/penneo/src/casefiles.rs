//! Casefiles: Send creation (multipart), Sign details/list/delete/documents, Collect
//! answers/files. `client.casefiles()`.

use std::collections::HashSet;

use futures_util::stream::{self, Stream};
use futures_util::TryStreamExt;
use reqwest::header::{HeaderMap, ACCEPT, LINK};
use url::Url;

use crate::client::{decode, Penneo};
use crate::endpoints as ep;
use crate::error::{Error, Result};
use crate::models::{
    Answers, CaseFile, CaseFileDraft, CaseFileListQuery, CasefileFile, CreateCaseFileResponse,
    Document, ListBody, PreparedData,
};
use crate::upload::{build_form, file_sizes, ProgressFn, Tracker, UploadFile};

/// Safety bound on the number of pages one list stream follows.
const MAX_PAGES: usize = 100_000;

/// The result of [`CaseFilesHandler::create`]: what was sent and what came back.
#[derive(Debug, Clone, PartialEq)]
pub struct CreatedCaseFile {
    /// The exact `data` string sent and its SHA-256.
    pub data: PreparedData,
    /// The server's answer (jobs to poll).
    pub response: CreateCaseFileResponse,
}

/// `client.casefiles()`.
#[derive(Debug, Clone)]
pub struct CaseFilesHandler {
    client: Penneo,
}

impl CaseFilesHandler {
    pub(crate) fn new(client: Penneo) -> Self {
        CaseFilesHandler { client }
    }

    /// Checks the draft against the files and serialises the exact `data` string (+ SHA-256)
    /// that [`Self::send`] will upload. Record it in an outbox before sending.
    pub fn prepare(&self, draft: &CaseFileDraft, files: &[UploadFile]) -> Result<PreparedData> {
        let names: Vec<String> = files.iter().map(|f| f.file_name.clone()).collect();
        draft.validate(&names)?;
        draft.prepare()
    }

    /// `POST /send/api/v1/casefiles/20251022/create` (multipart, `X-Auth-Token`): the `data`
    /// string plus one `files` part per file, streamed from disk. Any 2xx is success. Never
    /// retried (except once after a `401`, which the server did not act on): on any other
    /// error the caller must reconcile (e.g. by the job's payload hash) before sending again.
    pub async fn send(
        &self,
        prepared: &PreparedData,
        files: &[UploadFile],
        progress: Option<ProgressFn>,
    ) -> Result<CreateCaseFileResponse> {
        if files.is_empty() {
            return Err(Error::InvalidInput {
                message: "at least one file is required".into(),
                field: Some("files".into()),
            });
        }
        let sizes = file_sizes(files)?;
        let tracker = Tracker::new(sizes.iter().sum(), progress);
        let e = ep::CREATE_CASEFILE;
        let url = self.client.url(&e, &[])?;
        let inner = &self.client.inner;
        let fut = self.client.send_with(
            &inner.upload_http,
            e,
            url,
            |rb| {
                tracker.reset();
                Ok(rb.header(ACCEPT, "application/json").multipart(build_form(
                    &prepared.data,
                    files,
                    &sizes,
                    &tracker,
                )?))
            },
            false,
        );
        let resp = tracker.watch(inner.upload_idle_timeout, fut).await?;
        // The headers came; the body must follow within the read timeout (the upload client
        // has no per-read timeout, so a server that stalls mid-answer would hold the send).
        let body: CreateCaseFileResponse = tokio::time::timeout(inner.read_timeout, decode(resp))
            .await
            .map_err(|_| Error::Timeout)??;
        for job in &body.jobs {
            if !job.payload_hash.eq_ignore_ascii_case(&prepared.sha256) {
                tracing::warn!(uuid = %job.uuid, "job payloadHash differs from the SHA-256 of the data sent");
            }
        }
        if body.status.as_deref() == Some("error") {
            return Err(Error::InvalidInput {
                message: body
                    .message
                    .clone()
                    .unwrap_or_else(|| "casefile creation reported an error".into()),
                field: None,
            });
        }
        Ok(body)
    }

    /// [`Self::prepare`] then [`Self::send`].
    pub async fn create(
        &self,
        draft: &CaseFileDraft,
        files: &[UploadFile],
        progress: Option<ProgressFn>,
    ) -> Result<CreatedCaseFile> {
        let data = self.prepare(draft, files)?;
        let response = self.send(&data, files, progress).await?;
        Ok(CreatedCaseFile { data, response })
    }

    /// `GET /api/v1/casefiles/{id}`.
    pub async fn get(&self, casefile_id: u64) -> Result<CaseFile> {
        let e = ep::GET_CASEFILE;
        let id = casefile_id.to_string();
        let url = self.client.url(&e, &[&id])?;
        self.client.json(e, url, Ok).await
    }

    /// `GET /api/v1/signingrequests/{id}/link`: the signer's signing link. Penneo's SDKs read
    /// a JSON array whose first element is the link; a bare string or an object with `link`
    /// / `url` is accepted too.
    pub async fn signing_link(&self, signing_request_id: i64) -> Result<String> {
        let e = ep::SIGNING_REQUEST_LINK;
        let id = signing_request_id.to_string();
        let url = self.client.url(&e, &[&id])?;
        let body: serde_json::Value = self.client.json(e, url, Ok).await?;
        link_from(&body).ok_or_else(|| Error::Unexpected {
            status: 200,
            snippet: "the signing link answer holds no link".into(),
        })
    }

    /// `PATCH /api/v1/signingrequests/{id}/send`: e-mails the signer a reminder now.
    pub async fn send_reminder(&self, signing_request_id: i64) -> Result<()> {
        let e = ep::SEND_SIGNING_REQUEST;
        let id = signing_request_id.to_string();
        let url = self.client.url(&e, &[&id])?;
        self.client.empty(e, url, Ok).await
    }

    /// `DELETE /api/v1/casefiles/{id}` (removed while status 0, else marked deleted).
    pub async fn delete(&self, casefile_id: u64) -> Result<()> {
        let e = ep::DELETE_CASEFILE;
        let id = casefile_id.to_string();
        let url = self.client.url(&e, &[&id])?;
        self.client.empty(e, url, Ok).await
    }

    /// `GET /api/v1/casefiles/{id}/documents`.
    pub async fn documents(&self, casefile_id: u64) -> Result<Vec<Document>> {
        let e = ep::CASEFILE_DOCUMENTS;
        let id = casefile_id.to_string();
        let url = self.client.url(&e, &[&id])?;
        let body: ListBody<Document> = self.client.json(e, url, Ok).await?;
        Ok(body.into_vec())
    }

    /// Collect `GET /v1/casefiles/{casefileId}/answers` (**assumed**).
    pub async fn answers(&self, casefile_id: &str) -> Result<Answers> {
        let e = ep::CASEFILE_ANSWERS;
        let url = self.client.url(&e, &[casefile_id])?;
        self.client.json(e, url, Ok).await
    }

    /// Collect `GET /v1/casefiles/{casefileId}/files`.
    pub async fn files(&self, casefile_id: &str) -> Result<Vec<CasefileFile>> {
        let e = ep::CASEFILE_FILES;
        let url = self.client.url(&e, &[casefile_id])?;
        let body: ListBody<CasefileFile> = self.client.json(e, url, Ok).await?;
        Ok(body.into_vec())
    }

    /// Streams one casefile file into `writer`, chunk by chunk; returns the bytes written.
    ///
    /// The file's own link (under `downloadUrl`, `url`, `link` or `href`, see
    /// [`CasefileFile::link`]) is used first:
    /// - on the API host it is fetched with the access token;
    /// - on another host it is fetched **without** any credentials, and only over https (a
    ///   storage service's pre-signed link); plain http elsewhere is refused, except between
    ///   loopback hosts when the API host itself is plain-http loopback (the simulator), see
    ///   [`link_access`].
    ///
    /// A file without a usable link falls back to `GET {collect}/v1/files/{fileId}`
    /// (**assumed**), where a bare 404 is `NotSupported`. The caller checks what arrives (size,
    /// `%PDF-`) the same way whichever way it came.
    pub async fn download_file<W>(&self, file: &CasefileFile, writer: &mut W) -> Result<u64>
    where
        W: tokio::io::AsyncWrite + Unpin + ?Sized,
    {
        let e = ep::CASEFILE_FILE_CONTENT;
        let api = self.client.api_base();
        let listed = file.link().and_then(|u| api.join(u.trim()).ok());
        let mut refused = None;
        let chosen = match listed {
            Some(u) => match link_access(api, &u) {
                LinkAccess::WithToken => Some((u, true)),
                LinkAccess::WithoutToken => Some((u, false)),
                LinkAccess::Refused => {
                    tracing::warn!(host = ?u.host_str(), "ignoring a file link that is not https on another host");
                    refused = Some(u.origin().ascii_serialization());
                    None
                }
            },
            None => None,
        };
        let (url, with_token) = match chosen {
            Some(c) => c,
            None => match file.id.as_ref() {
                Some(i) => (self.client.url(&e, &[i.as_str()])?, true),
                None => {
                    return Err(Error::InvalidInput {
                        field: Some("file".into()),
                        message: match refused {
                            Some(origin) => format!(
                                "{} is offered only over plain http on another host ({origin}); \
                                 it is not downloaded",
                                file.filename
                            ),
                            None => {
                                format!("{} has neither an id nor a download link", file.filename)
                            }
                        },
                    })
                }
            },
        };
        // Ask for the file's own type (a document link answers JSON without it).
        let accept = match file.content_type.as_deref() {
            Some(ct) if !ct.is_empty() => format!("{ct}, */*;q=0.5"),
            _ => "*/*".to_string(),
        };
        let build = |rb: reqwest::RequestBuilder| Ok(rb.header(ACCEPT, accept.as_str()));
        let resp = if with_token {
            self.client.send(e, url, build).await?
        } else {
            // The same call without credentials: no Authorization header, no token fetched.
            let plain = ep::Endpoint {
                auth: ep::AuthStyle::None,
                assumed: false,
                ..e
            };
            let http = &self.client.inner.http;
            let retry = plain.idempotent;
            self.client
                .send_with(http, plain, url, build, retry)
                .await?
        };
        crate::client::stream_body(resp, writer, &format!("casefile file {}", file.filename)).await
    }

    /// [`Self::list_noted`] without the notes: casefiles that do not decode are left out
    /// (with a warning in the log).
    pub fn list(
        &self,
        query: &CaseFileListQuery,
    ) -> impl Stream<Item = Result<CaseFile>> + Send + 'static {
        self.list_noted(query).try_filter_map(|l| async move {
            Ok(match l {
                Listed::Item(cf) => Some(*cf),
                Listed::Skipped { .. } => None,
            })
        })
    }

    /// `GET /api/v1/casefiles` with `x-paginate: true`, following `Link: <…>; rel="next"`
    /// (relative links resolved against the page's URL; links to another origin are refused),
    /// de-duplicated by id. Each casefile is decoded on its own: one that does not decode
    /// (no id, a wrong shape) comes out as [`Listed::Skipped`] and never fails the page.
    pub fn list_noted(
        &self,
        query: &CaseFileListQuery,
    ) -> impl Stream<Item = Result<Listed>> + Send + 'static {
        struct St {
            client: Penneo,
            next: Option<Url>,
            seen_ids: HashSet<u64>,
            seen_urls: HashSet<String>,
            pages: usize,
        }
        let first = self.client.url(&ep::LIST_CASEFILES, &[]).map(|mut u| {
            u.query_pairs_mut().extend_pairs(query.to_pairs());
            u
        });
        let init: Result<St> = first.map(|u| St {
            client: self.client.clone(),
            next: Some(u),
            seen_ids: HashSet::new(),
            seen_urls: HashSet::new(),
            pages: 0,
        });
        stream::once(async move { init })
            .map_ok(|st| {
                stream::try_unfold(st, |mut st| async move {
                    let Some(url) = st.next.take() else { return Ok(None) };
                    if !st.seen_urls.insert(url.to_string()) || st.pages >= MAX_PAGES {
                        return Ok(None);
                    }
                    st.pages += 1;
                    let resp = st.client.send(ep::LIST_CASEFILES, url.clone(), |rb| Ok(rb.header("x-paginate", "true"))).await?;
                    let next = next_link(resp.headers(), &url);
                    let items: ListBody<serde_json::Value> = decode(resp).await?;
                    st.next = match next {
                        Some(n) if n.origin() == url.origin() => Some(n),
                        Some(n) => {
                            tracing::warn!(link = %n.origin().ascii_serialization(), "ignoring a next link to another origin");
                            None
                        }
                        None => None,
                    };
                    let fresh: Vec<Result<Listed>> = items
                        .into_vec()
                        .into_iter()
                        .map(decode_listed)
                        .filter(|l| match l {
                            Listed::Item(c) => st.seen_ids.insert(c.id),
                            Listed::Skipped { .. } => true,
                        })
                        .map(Ok)
                        .collect();
                    Ok(Some((stream::iter(fresh), st)))
                })
                .try_flatten()
            })
            .try_flatten()
    }
}

/// How a listed file link may be fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkAccess {
    /// Same origin as the API host: with the access token.
    WithToken,
    /// Another host over https (or loopback beside a loopback http API host): without any
    /// credentials.
    WithoutToken,
    /// Plain http (or another scheme) on another host: not fetched.
    Refused,
}

fn is_loopback(u: &Url) -> bool {
    match u.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Decides how a file link is fetched, given the API host's base URL. The access token goes
/// only to the API host's own origin. Another host must be https; the one exception is a
/// plain-http loopback API host (the simulator, the demo workspace) linking to another
/// loopback host, which never leaves the machine. Against Penneo (https) an http link on
/// another host is always refused.
pub fn link_access(api: &Url, link: &Url) -> LinkAccess {
    if link.origin() == api.origin() {
        return LinkAccess::WithToken;
    }
    match link.scheme() {
        "https" => LinkAccess::WithoutToken,
        "http" if api.scheme() == "http" && is_loopback(api) && is_loopback(link) => {
            LinkAccess::WithoutToken
        }
        _ => LinkAccess::Refused,
    }
}

/// One element of a casefile list page.
#[derive(Debug, Clone, PartialEq)]
pub enum Listed {
    /// A casefile.
    Item(Box<CaseFile>),
    /// An element that did not decode, left out.
    Skipped {
        /// Its `id`, when it has one.
        id: Option<String>,
        /// Why it did not decode.
        reason: String,
    },
}

fn decode_listed(v: serde_json::Value) -> Listed {
    let id = v.get("id").map(|i| match i {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    match serde_json::from_value::<CaseFile>(v) {
        Ok(cf) => Listed::Item(Box::new(cf)),
        Err(e) => {
            tracing::warn!(id = ?id, error = %e, "left out a casefile Penneo sent in an unexpected shape");
            Listed::Skipped {
                id,
                reason: e.to_string(),
            }
        }
    }
}

/// The link in a `signingrequests/{id}/link` answer: `["…"]`, `"…"` or `{link|url: "…"}`.
fn link_from(v: &serde_json::Value) -> Option<String> {
    use serde_json::Value as V;
    match v {
        V::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        V::Array(a) => a.iter().find_map(link_from),
        V::Object(o) => ["link", "url", "signingLink", "href"]
            .iter()
            .find_map(|k| o.get(*k).and_then(link_from)),
        _ => None,
    }
}

/// Parses `Link` headers for `rel="next"`.
pub(crate) fn next_link(headers: &HeaderMap, current: &Url) -> Option<Url> {
    for value in headers.get_all(LINK) {
        let Ok(text) = value.to_str() else { continue };
        for part in split_links(text) {
            let part = part.trim();
            let Some(end) = part.find('>') else { continue };
            if !part.starts_with('<') {
                continue;
            }
            let target = &part[1..end];
            let is_next = part[end + 1..].split(';').any(|p| {
                let p = p.trim();
                let Some(v) = p.strip_prefix("rel=") else {
                    return false;
                };
                v.trim_matches('"')
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("next"))
            });
            if is_next {
                return resolve_link(current, target);
            }
        }
    }
    None
}

/// Resolves a link: absolute URLs as they are; anything else is taken relative to the host
/// ("prefix the host"), so `api/v1/casefiles?page=2` and `/api/v1/…` both mean the same.
fn resolve_link(current: &Url, target: &str) -> Option<Url> {
    if let Ok(u) = Url::parse(target) {
        return Some(u);
    }
    if target.starts_with('/') || target.starts_with('?') {
        current.join(target).ok()
    } else {
        current.join(&format!("/{target}")).ok()
    }
}

/// Splits a Link header at the commas between entries (not inside `<…>`).
fn split_links(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_links_keep_the_token_at_home() {
        let u = |s: &str| Url::parse(s).unwrap();
        let prod = u("https://app.penneo.com/");
        assert_eq!(
            link_access(&prod, &u("https://app.penneo.com/collect/api/v1/files/1")),
            LinkAccess::WithToken
        );
        assert_eq!(
            link_access(&prod, &u("https://files.penneo-storage.example/a?sig=1")),
            LinkAccess::WithoutToken
        );
        // Another port or scheme is another origin.
        assert_eq!(
            link_access(&prod, &u("https://app.penneo.com:8443/x")),
            LinkAccess::WithoutToken
        );
        for refused in [
            "http://files.example/a",
            "http://127.0.0.1:9/a",
            "http://localhost/a",
            "http://app.penneo.com/x",
            "ftp://files.example/a",
        ] {
            assert_eq!(
                link_access(&prod, &u(refused)),
                LinkAccess::Refused,
                "{refused}"
            );
        }
        // The simulator: plain http on loopback, linking to another loopback host.
        let sim = u("http://127.0.0.1:4000/");
        assert_eq!(
            link_access(&sim, &u("http://127.0.0.1:4000/x")),
            LinkAccess::WithToken
        );
        assert_eq!(
            link_access(&sim, &u("http://localhost:4000/x")),
            LinkAccess::WithoutToken
        );
        assert_eq!(
            link_access(&sim, &u("http://files.example/x")),
            LinkAccess::Refused
        );
        // A custom https host does not open http loopback either.
        assert_eq!(
            link_access(&u("https://localhost:4000/"), &u("http://127.0.0.1:5/x")),
            LinkAccess::Refused
        );
    }

    #[test]
    fn link_parsing() {
        let cur = Url::parse("https://app.penneo.com/api/v1/casefiles?page=1&per_page=2").unwrap();
        let mut h = HeaderMap::new();
        h.insert(
            LINK,
            r#"</api/v1/casefiles?page=1&per_page=2>; rel="first", </api/v1/casefiles?page=2&per_page=2>; rel="next""#.parse().unwrap(),
        );
        assert_eq!(
            next_link(&h, &cur).unwrap().as_str(),
            "https://app.penneo.com/api/v1/casefiles?page=2&per_page=2"
        );
        let mut h = HeaderMap::new();
        h.insert(
            LINK,
            r#"<https://app.penneo.com/x?a=1,2>; rel="prev""#.parse().unwrap(),
        );
        assert!(next_link(&h, &cur).is_none());
        let mut h = HeaderMap::new();
        h.insert(
            LINK,
            r#"<https://app.penneo.com/x?a=1,2>; rel=next"#.parse().unwrap(),
        );
        assert_eq!(
            next_link(&h, &cur).unwrap().as_str(),
            "https://app.penneo.com/x?a=1,2"
        );
    }
}
