//! Sign documents: `client.documents()`.

use base64::Engine as _;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::client::Penneo;
use crate::endpoints as ep;
use crate::error::{Error, Result};
use crate::models::DocumentVariant;

/// `client.documents()`.
#[derive(Debug, Clone)]
pub struct DocumentsHandler {
    client: Penneo,
}

impl DocumentsHandler {
    pub(crate) fn new(client: Penneo) -> Self {
        DocumentsHandler { client }
    }

    /// Streams `GET /api/v3/documents/{id}/content?signed=true|false` (`Accept:
    /// application/pdf`) into `writer`, chunk by chunk; returns the bytes written. A server
    /// that answers with JSON `{content: <base64>}` anyway is decoded (that body is small
    /// enough to hold). Download signed documents only when the casefile status is 5.
    pub async fn download<W>(
        &self,
        document_id: u64,
        variant: DocumentVariant,
        writer: &mut W,
    ) -> Result<u64>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let e = ep::DOCUMENT_CONTENT;
        let id = document_id.to_string();
        let url = self.client.url(&e, &[&id])?;
        let signed = match variant {
            DocumentVariant::Signed => "true",
            DocumentVariant::Original => "false",
        };
        let resp = self
            .client
            .send(e, url, |rb| {
                Ok(rb
                    .header(ACCEPT, "application/pdf")
                    .query(&[("signed", signed)]))
            })
            .await?;
        let wio = |source| Error::Io {
            path: format!("document {document_id}"),
            source,
        };
        let is_json = resp
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().contains("json"));
        if is_json {
            let status = resp.status();
            let bytes = crate::client::read_capped(resp, crate::client::MAX_JSON_BODY).await?;
            #[derive(serde::Deserialize)]
            struct Content {
                content: String,
            }
            let c: Content =
                serde_json::from_slice(&bytes).map_err(|e| Error::decode(status, &bytes, &e))?;
            let pdf = base64::engine::general_purpose::STANDARD
                .decode(c.content.trim())
                .map_err(|e| Error::Unexpected {
                    status: status.as_u16(),
                    snippet: format!("bad base64 content: {e}"),
                })?;
            writer.write_all(&pdf).await.map_err(wio)?;
            writer.flush().await.map_err(wio)?;
            return Ok(pdf.len() as u64);
        }
        crate::client::stream_body(resp, writer, &format!("document {document_id}")).await
    }
}
