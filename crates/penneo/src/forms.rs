//! Collect forms and form versions: `client.forms()`.

use crate::client::{json_body, Penneo};
use crate::endpoints as ep;
use crate::error::Result;
use crate::models::{Form, FormDefinition, FormListQuery, FormVersionSummary, ListBody};

/// `client.forms()`.
#[derive(Debug, Clone)]
pub struct FormsHandler {
    client: Penneo,
}

fn publish_query(rb: reqwest::RequestBuilder, publish: bool) -> reqwest::RequestBuilder {
    if publish {
        rb.query(&[("publish", "true")])
    } else {
        rb
    }
}

impl FormsHandler {
    pub(crate) fn new(client: Penneo) -> Self {
        FormsHandler { client }
    }

    /// `GET /v1/forms?status=DRAFT,ACTIVE&sort=-updatedAt&limit&offset` (**assumed**).
    pub async fn list(&self, query: &FormListQuery) -> Result<Vec<Form>> {
        let e = ep::LIST_FORMS;
        let url = self.client.url(&e, &[])?;
        let mut q: Vec<(&str, String)> = Vec::new();
        if !query.status.is_empty() {
            q.push((
                "status",
                query
                    .status
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
            ));
        }
        if let Some(s) = &query.sort {
            q.push(("sort", s.as_str().to_owned()));
        }
        if let Some(l) = query.limit {
            q.push(("limit", l.to_string()));
        }
        if let Some(o) = query.offset {
            q.push(("offset", o.to_string()));
        }
        let body: ListBody<Form> = self.client.json(e, url, |rb| Ok(rb.query(&q))).await?;
        Ok(body.into_vec())
    }

    /// `GET /v1/forms/{formId}`.
    pub async fn get(&self, form_id: &str) -> Result<Form> {
        let e = ep::GET_FORM;
        let url = self.client.url(&e, &[form_id])?;
        self.client.json(e, url, Ok).await
    }

    /// `POST /v1/forms[?publish=true]` → `201` with the form (at least its id). Not retried.
    pub async fn create(&self, definition: &FormDefinition, publish: bool) -> Result<Form> {
        let e = ep::CREATE_FORM;
        let url = self.client.url(&e, &[])?;
        self.client
            .json(e, url, |rb| {
                json_body(publish_query(rb, publish), definition)
            })
            .await
    }

    /// `PUT /v1/forms/{formId}[?publish=true]`. A DRAFT is edited in place; an ACTIVE form gets
    /// a new DRAFT version. Returns the form when the server sends one.
    pub async fn update(
        &self,
        form_id: &str,
        definition: &FormDefinition,
        publish: bool,
    ) -> Result<Option<Form>> {
        let e = ep::UPDATE_FORM;
        let url = self.client.url(&e, &[form_id])?;
        self.client
            .json(e, url, |rb| {
                json_body(publish_query(rb, publish), definition)
            })
            .await
    }

    /// `POST /v1/forms/{formId}/archive`.
    pub async fn archive(&self, form_id: &str) -> Result<()> {
        let e = ep::ARCHIVE_FORM;
        let url = self.client.url(&e, &[form_id])?;
        self.client.empty(e, url, Ok).await
    }

    /// `POST /v1/forms/{formId}/publish`: latest DRAFT → ACTIVE.
    pub async fn publish(&self, form_id: &str) -> Result<Option<Form>> {
        let e = ep::PUBLISH_FORM;
        let url = self.client.url(&e, &[form_id])?;
        self.client.json(e, url, Ok).await
    }

    /// `GET /v1/forms/{formId}/versions` (**assumed**).
    pub async fn versions(&self, form_id: &str) -> Result<Vec<FormVersionSummary>> {
        let e = ep::LIST_FORM_VERSIONS;
        let url = self.client.url(&e, &[form_id])?;
        let body: ListBody<FormVersionSummary> = self.client.json(e, url, Ok).await?;
        Ok(body.into_vec())
    }

    /// `GET /v1/forms/{formId}/versions/{version}` (**assumed**).
    pub async fn version(&self, form_id: &str, version: u32) -> Result<Form> {
        let e = ep::GET_FORM_VERSION;
        let v = version.to_string();
        let url = self.client.url(&e, &[form_id, &v])?;
        self.client.json(e, url, Ok).await
    }

    /// `PUT /v1/forms/{formId}/versions/{version}[?publish=true]` (**assumed**).
    pub async fn update_version(
        &self,
        form_id: &str,
        version: u32,
        definition: &FormDefinition,
        publish: bool,
    ) -> Result<Option<Form>> {
        let e = ep::UPDATE_FORM_VERSION;
        let v = version.to_string();
        let url = self.client.url(&e, &[form_id, &v])?;
        self.client
            .json(e, url, |rb| {
                json_body(publish_query(rb, publish), definition)
            })
            .await
    }

    /// `POST /v1/forms/{formId}/versions/{version}/publish` (**assumed**).
    pub async fn publish_version(&self, form_id: &str, version: u32) -> Result<Option<Form>> {
        self.version_action(ep::PUBLISH_FORM_VERSION, form_id, version)
            .await
    }

    /// `POST /v1/forms/{formId}/versions/{version}/archive` (**assumed**).
    pub async fn archive_version(&self, form_id: &str, version: u32) -> Result<Option<Form>> {
        self.version_action(ep::ARCHIVE_FORM_VERSION, form_id, version)
            .await
    }

    /// `POST /v1/forms/{formId}/versions/{version}/restore` (**assumed**): copies that version
    /// into a new DRAFT.
    pub async fn restore_version(&self, form_id: &str, version: u32) -> Result<Option<Form>> {
        self.version_action(ep::RESTORE_FORM_VERSION, form_id, version)
            .await
    }

    async fn version_action(
        &self,
        e: ep::Endpoint,
        form_id: &str,
        version: u32,
    ) -> Result<Option<Form>> {
        let v = version.to_string();
        let url = self.client.url(&e, &[form_id, &v])?;
        self.client.json(e, url, Ok).await
    }
}
