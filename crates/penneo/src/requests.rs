//! Collect prefilled requests: `client.requests()`.

use crate::client::{json_body, Penneo};
use crate::endpoints as ep;
use crate::error::Result;
use crate::models::{Answers, FormRequest, PrefilledRequest};

/// `client.requests()`.
#[derive(Debug, Clone)]
pub struct RequestsHandler {
    client: Penneo,
}

impl RequestsHandler {
    pub(crate) fn new(client: Penneo) -> Self {
        RequestsHandler { client }
    }

    /// `POST /v2/forms/{formId}/requests` with `{answers:{slug:[{field:{value,editable}}]}}`.
    /// The form must be ACTIVE. Not retried.
    pub async fn create(&self, form_id: &str, request: &PrefilledRequest) -> Result<FormRequest> {
        let e = ep::CREATE_REQUEST;
        let url = self.client.url(&e, &[form_id])?;
        self.client.json(e, url, |rb| json_body(rb, request)).await
    }

    /// `GET /v1/forms/{formId}/requests/{requestId}/answers` (`404` until submitted).
    pub async fn answers(&self, form_id: &str, request_id: &str) -> Result<Answers> {
        let e = ep::REQUEST_ANSWERS;
        let url = self.client.url(&e, &[form_id, request_id])?;
        self.client.json(e, url, Ok).await
    }
}
