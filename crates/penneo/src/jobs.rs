//! Send job status and waiting: `client.jobs()`.

use std::time::Duration;

use serde_json::json;
use tokio::time::Instant;

use crate::client::{decode, json_body, Penneo};
use crate::endpoints as ep;
use crate::error::{Error, Result};
use crate::models::{Job, JobRef};

/// 20 polls a minute for one job is Penneo's limit: never poll faster than this.
pub const MIN_POLL_INTERVAL: Duration = Duration::from_secs(3);

/// `client.jobs()`.
#[derive(Debug, Clone)]
pub struct JobsHandler {
    client: Penneo,
}

impl JobsHandler {
    pub(crate) fn new(client: Penneo) -> Self {
        JobsHandler { client }
    }

    /// `POST /send/api/v1/queue/public/status` `{uuid, payloadHash}` (no auth). Retried on
    /// network errors, `5xx` and `429` (honouring `Retry-After`).
    pub async fn status(&self, job: &JobRef) -> Result<Job> {
        self.status_inner(job, true).await
    }

    async fn status_inner(&self, job: &JobRef, retry: bool) -> Result<Job> {
        let e = ep::JOB_STATUS;
        let url = self.client.url(&e, &[])?;
        let body = json!({ "uuid": job.uuid, "payloadHash": job.payload_hash });
        let retry = retry && e.idempotent;
        let resp = self
            .client
            .send_with(
                &self.client.inner.http,
                e,
                url,
                |rb| json_body(rb, &body),
                retry,
            )
            .await?;
        decode(resp).await
    }

    /// Polls until the job is terminal (`completed`, `failed`, `aborted_duplicated`) or the
    /// deadline passes ([`Error::DeadlineExceeded`]). Polls at most every
    /// [`MIN_POLL_INTERVAL`] (or the builder's `job_poll_interval`), waits out `Retry-After`
    /// on `429`, and rides out transient errors until the deadline.
    pub async fn wait(&self, job: &JobRef, timeout: Duration) -> Result<Job> {
        let deadline = Instant::now() + timeout;
        let interval = self.client.inner.job_poll_interval.max(MIN_POLL_INTERVAL);
        let mut transient: u32 = 0;
        loop {
            let delay = match self.status_inner(job, false).await {
                Ok(j) if j.job_status.is_terminal() => return Ok(j),
                Ok(_) => {
                    transient = 0;
                    interval
                }
                Err(Error::RateLimited { retry_after }) => {
                    retry_after.unwrap_or(interval).max(interval)
                }
                Err(e) if e.is_retryable() => {
                    transient += 1;
                    tracing::debug!(error = %e, "job status failed; will poll again");
                    self.client
                        .inner
                        .retry
                        .delay(transient.min(6), None)
                        .max(interval)
                }
                Err(e) => return Err(e),
            };
            if Instant::now() + delay > deadline {
                return Err(Error::DeadlineExceeded {
                    what: format!("job {}", job.uuid),
                });
            }
            tokio::time::sleep(delay).await;
        }
    }
}
