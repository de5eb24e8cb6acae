//! The status codes the simulator keeps, by name. Penneo sends states as numbers, and the
//! simulator stores and serves those numbers as they are; its logic reads them only through
//! these names, never as bare digits.

/// A casefile's status (`CaseFile.status`, 0–8).
pub mod casefile {
    /// Not sent yet (or scheduled).
    pub const NEW: u8 = 0;
    /// Out for signing.
    pub const PENDING: u8 = 1;
    /// A signer rejected.
    pub const REJECTED: u8 = 2;
    /// Deleted after sending.
    pub const DELETED: u8 = 3;
    /// Everyone signed; the documents are being sealed.
    pub const SIGNED: u8 = 4;
    /// Sealed: the signed documents are ready.
    pub const COMPLETED: u8 = 5;
    /// Sealing failed.
    pub const FAILED: u8 = 6;
    /// The deadline passed.
    pub const EXPIRED: u8 = 7;
    /// Anonymized.
    pub const ANONYMIZED: u8 = 8;

    /// Sent and not deleted, failed, expired or anonymized: its signature lines are live.
    pub fn lines_are_live(status: u8) -> bool {
        matches!(status, PENDING | REJECTED | SIGNED | COMPLETED)
    }
}

/// A document's status (`Document.status`).
pub mod document {
    /// Sealed and final.
    pub const COMPLETED: u8 = 5;
    /// Sealing failed.
    pub const FAILED: u8 = 7;

    /// A document's status follows its casefile's: the same code, except that a failed
    /// casefile's documents are failed and an expired or anonymized one's are completed.
    pub fn of_casefile(cf_status: u8) -> u8 {
        use super::casefile as cf;
        match cf_status {
            cf::FAILED => FAILED,
            cf::EXPIRED | cf::ANONYMIZED => COMPLETED,
            s => s,
        }
    }
}

/// A signing request's status as the simulator keeps it: Penneo's Postman numbering (what
/// it serves as is under the Postman scheme; see `state::SignerStatusScheme`).
pub mod request {
    /// Sent to the signer.
    pub const SENT: u8 = 0;
    /// The signer opened the request e-mail.
    pub const REQUEST_OPENED: u8 = 1;
    /// The signer opened the documents.
    pub const OPENED: u8 = 2;
    /// Signed.
    pub const SIGNED: u8 = 3;
    /// Rejected.
    pub const REJECTED: u8 = 4;
    /// The request e-mail could not be delivered.
    pub const UNDELIVERABLE: u8 = 6;
    /// Signed and finalized.
    pub const FINALIZED: u8 = 8;
    /// Deleted.
    pub const DELETED: u8 = 9;

    /// Not yet opened (sent, or only the e-mail opened).
    pub fn is_unopened(status: u8) -> bool {
        matches!(status, SENT | REQUEST_OPENED)
    }
}

/// The SDKs' numbering of a signing request's status, as served under that scheme.
pub mod sdk_request {
    /// Not sent yet.
    pub const NEW: u8 = 0;
    /// Waiting for the signer.
    pub const PENDING: u8 = 1;
    /// Rejected.
    pub const REJECTED: u8 = 2;
    /// Deleted.
    pub const DELETED: u8 = 3;
    /// Signed.
    pub const SIGNED: u8 = 4;
    /// The request e-mail could not be delivered.
    pub const UNDELIVERABLE: u8 = 5;
}
