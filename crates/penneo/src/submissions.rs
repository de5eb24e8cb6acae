//! Collect submissions: `client.submissions()`.

use futures_util::stream::{self, Stream};
use futures_util::TryStreamExt;

use crate::client::Penneo;
use crate::endpoints as ep;
use crate::error::Result;
use crate::models::{Answers, ListBody, Submission, SubmissionQuery};

/// Page size used by [`SubmissionsHandler::stream`] when the query sets none.
pub const DEFAULT_STREAM_PAGE: u32 = 100;

/// `client.submissions()`.
#[derive(Debug, Clone)]
pub struct SubmissionsHandler {
    client: Penneo,
}

impl SubmissionsHandler {
    pub(crate) fn new(client: Penneo) -> Self {
        SubmissionsHandler { client }
    }

    /// One page: `GET /v1/forms/{formId}/submissions?limit&offset&completedAfter&completedBefore`.
    pub async fn page(&self, form_id: &str, query: &SubmissionQuery) -> Result<Vec<Submission>> {
        let e = ep::LIST_SUBMISSIONS;
        let url = self.client.url(&e, &[form_id])?;
        let mut q: Vec<(&str, String)> = Vec::new();
        if let Some(l) = query.limit {
            q.push(("limit", l.clamp(1, 1000).to_string()));
        }
        if let Some(o) = query.offset {
            q.push(("offset", o.to_string()));
        }
        if let Some(a) = &query.completed_after {
            q.push(("completedAfter", a.clone()));
        }
        if let Some(b) = &query.completed_before {
            q.push(("completedBefore", b.clone()));
        }
        let body: ListBody<Submission> = self.client.json(e, url, |rb| Ok(rb.query(&q))).await?;
        Ok(body.into_vec())
    }

    /// Every submission from `query.offset` on, page by page (a short page ends the stream).
    pub fn stream(
        &self,
        form_id: &str,
        query: SubmissionQuery,
    ) -> impl Stream<Item = Result<Submission>> + Send + 'static {
        let limit = query.limit.unwrap_or(DEFAULT_STREAM_PAGE).clamp(1, 1000);
        let start = query.offset.unwrap_or(0);
        let state = (self.clone(), form_id.to_owned(), query, Some(start));
        stream::try_unfold(state, move |(h, form_id, query, offset)| async move {
            let Some(offset) = offset else {
                return Ok(None);
            };
            let q = SubmissionQuery {
                limit: Some(limit),
                offset: Some(offset),
                ..query.clone()
            };
            let page = h.page(&form_id, &q).await?;
            let next = (page.len() as u32 >= limit).then(|| offset + page.len() as u32);
            Ok(Some((
                stream::iter(page.into_iter().map(Ok)),
                (h, form_id, query, next),
            )))
        })
        .try_flatten()
    }

    /// `GET /v1/forms/{formId}/submissions/{submissionId}/answers`.
    pub async fn answers(&self, form_id: &str, submission_id: &str) -> Result<Answers> {
        let e = ep::SUBMISSION_ANSWERS;
        let url = self.client.url(&e, &[form_id, submission_id])?;
        self.client.json(e, url, Ok).await
    }
}
