//! The simulated clock's background work, in one place: Send jobs move along (a completed one
//! creates its casefile), then casefiles (a scheduled send goes out, a pending one expires, a
//! fully signed one is sealed). The ticker runs it, and so does every handler that reads state
//! the clock may have changed (see [`crate::extract::Settled`]), so an answer never lags the
//! clock.

use crate::state::AppState;

/// Run the work due by now. Serialised: one run at a time.
pub async fn process_due(s: &AppState) {
    let _guard = s.work_lock.lock().await;
    crate::send::jobs::advance_jobs(s);
    crate::sign::model::advance_casefiles(s).await;
}
