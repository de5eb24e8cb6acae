//! Versioned migrations, applied in order; `PRAGMA user_version` holds the number applied.

/// Each entry is one migration; never edit one that has shipped, append a new one.
pub const MIGRATIONS: &[&str] = &[
    // 1: the first schema.
    r#"
CREATE TABLE accounts (
    id                TEXT PRIMARY KEY,
    label             TEXT NOT NULL,
    environment       TEXT NOT NULL CHECK (environment IN ('demo','sandbox','production','custom')),
    oauth_host        TEXT NOT NULL,
    api_host          TEXT NOT NULL,
    auth_kind         TEXT NOT NULL CHECK (auth_kind IN ('oauth','api_key')),
    client_id         TEXT,
    api_key           TEXT,
    redirect_port     INTEGER,
    user_name         TEXT,
    user_email        TEXT,
    is_active         INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL,
    last_signed_in_at TEXT
);
CREATE UNIQUE INDEX accounts_one_active ON accounts(is_active) WHERE is_active = 1;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE forms (
    account_id      TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    form_id         TEXT NOT NULL,
    name            TEXT NOT NULL,
    description     TEXT,
    language        TEXT,
    status          TEXT NOT NULL,
    version         INTEGER NOT NULL,
    definition_json TEXT NOT NULL,
    created_at      TEXT,
    updated_at      TEXT,
    synced_at       TEXT NOT NULL,
    PRIMARY KEY (account_id, form_id)
);

CREATE TABLE form_versions (
    account_id      TEXT NOT NULL,
    form_id         TEXT NOT NULL,
    version         INTEGER NOT NULL,
    status          TEXT NOT NULL,
    created_at      TEXT,
    updated_at      TEXT,
    definition_json TEXT,
    synced_at       TEXT NOT NULL,
    PRIMARY KEY (account_id, form_id, version),
    FOREIGN KEY (account_id, form_id) REFERENCES forms(account_id, form_id) ON DELETE CASCADE
);

CREATE TABLE form_drafts (
    id              TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    form_id         TEXT,
    base_version    INTEGER,
    definition_json TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX form_drafts_by_form ON form_drafts(account_id, form_id) WHERE form_id IS NOT NULL;

CREATE TABLE prefilled_requests (
    account_id    TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    request_id    TEXT NOT NULL,
    form_id       TEXT NOT NULL,
    request_url   TEXT NOT NULL,
    label         TEXT,
    answers_json  TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    submission_id TEXT,
    PRIMARY KEY (account_id, request_id)
);
CREATE INDEX prefilled_requests_by_form ON prefilled_requests(account_id, form_id, created_at);

CREATE TABLE submissions (
    account_id       TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    submission_id    TEXT NOT NULL,
    form_id          TEXT NOT NULL,
    casefile_id      INTEGER,
    request_id       TEXT,
    version          INTEGER,
    completed_at     TEXT NOT NULL,
    respondent_name  TEXT,
    respondent_email TEXT,
    answers_json     TEXT,
    synced_at        TEXT NOT NULL,
    PRIMARY KEY (account_id, submission_id)
);
CREATE INDEX submissions_by_form ON submissions(account_id, form_id, completed_at);

CREATE TABLE answers (
    id             INTEGER PRIMARY KEY,
    account_id     TEXT NOT NULL,
    submission_id  TEXT NOT NULL,
    form_id        TEXT NOT NULL,
    section_slug   TEXT NOT NULL,
    instance_index INTEGER NOT NULL,
    field_name     TEXT NOT NULL,
    label          TEXT,
    field_type     TEXT,
    value_text     TEXT,
    FOREIGN KEY (account_id, submission_id) REFERENCES submissions(account_id, submission_id) ON DELETE CASCADE
);
CREATE INDEX answers_by_submission ON answers(account_id, submission_id);
CREATE INDEX answers_by_field ON answers(account_id, form_id, field_name, value_text);

CREATE VIRTUAL TABLE answers_fts USING fts5(
    value_text, label,
    content='answers', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2',
    prefix='2 3 4'
);
CREATE TRIGGER answers_ai AFTER INSERT ON answers BEGIN
    INSERT INTO answers_fts(rowid, value_text, label) VALUES (new.id, new.value_text, new.label);
END;
CREATE TRIGGER answers_ad AFTER DELETE ON answers BEGIN
    INSERT INTO answers_fts(answers_fts, rowid, value_text, label) VALUES ('delete', old.id, old.value_text, old.label);
END;
CREATE TRIGGER answers_au AFTER UPDATE ON answers BEGIN
    INSERT INTO answers_fts(answers_fts, rowid, value_text, label) VALUES ('delete', old.id, old.value_text, old.label);
    INSERT INTO answers_fts(rowid, value_text, label) VALUES (new.id, new.value_text, new.label);
END;

CREATE TABLE reviews (
    account_id    TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    submission_id TEXT NOT NULL,
    reviewed      INTEGER NOT NULL DEFAULT 0,
    flagged       INTEGER NOT NULL DEFAULT 0,
    note          TEXT,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (account_id, submission_id)
);

CREATE TABLE casefiles (
    account_id   TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    casefile_id  INTEGER NOT NULL,
    title        TEXT NOT NULL,
    reference    TEXT,
    status       INTEGER NOT NULL,
    language     TEXT,
    created_at   TEXT,
    updated_at   TEXT,
    sent_at      TEXT,
    expire_at    TEXT,
    completed_at TEXT,
    raw_json     TEXT NOT NULL,
    synced_at    TEXT NOT NULL,
    PRIMARY KEY (account_id, casefile_id)
);
CREATE INDEX casefiles_by_status ON casefiles(account_id, status, updated_at);
CREATE INDEX casefiles_by_reference ON casefiles(account_id, reference);

CREATE TABLE casefile_signers (
    account_id    TEXT NOT NULL,
    casefile_id   INTEGER NOT NULL,
    signer_id     INTEGER NOT NULL,
    name          TEXT,
    email         TEXT,
    role          TEXT,
    status        TEXT,
    signing_order INTEGER,
    signed_at     TEXT,
    raw_json      TEXT NOT NULL,
    PRIMARY KEY (account_id, casefile_id, signer_id),
    FOREIGN KEY (account_id, casefile_id) REFERENCES casefiles(account_id, casefile_id) ON DELETE CASCADE
);

CREATE TABLE casefile_documents (
    account_id  TEXT NOT NULL,
    casefile_id INTEGER NOT NULL,
    document_id INTEGER NOT NULL,
    title       TEXT,
    doc_type    TEXT,
    status      INTEGER,
    doc_order   INTEGER,
    raw_json    TEXT NOT NULL,
    PRIMARY KEY (account_id, casefile_id, document_id),
    FOREIGN KEY (account_id, casefile_id) REFERENCES casefiles(account_id, casefile_id) ON DELETE CASCADE
);

CREATE TABLE casefile_files (
    account_id   TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    casefile_id  INTEGER NOT NULL,
    file_id      TEXT NOT NULL,
    filename     TEXT NOT NULL,
    size         INTEGER,
    content_type TEXT,
    created_at   TEXT,
    synced_at    TEXT NOT NULL,
    PRIMARY KEY (account_id, casefile_id, file_id)
);

CREATE TABLE sync_state (
    account_id     TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    scope          TEXT NOT NULL,
    watermark      TEXT,
    last_synced_at TEXT NOT NULL,
    PRIMARY KEY (account_id, scope)
);

CREATE TABLE downloads (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    casefile_id INTEGER,
    source_id   TEXT NOT NULL,
    path        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE outbox (
    id           TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    state        TEXT NOT NULL CHECK (state IN ('queued','uploading','sent','created','tracking','done','stopped')),
    reference    TEXT NOT NULL,
    title        TEXT NOT NULL,
    draft_json   TEXT NOT NULL,
    job_uuid     TEXT,
    payload_hash TEXT,
    casefile_id  INTEGER,
    message      TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    result_json  TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX outbox_by_state ON outbox(account_id, state);

CREATE TABLE outbox_files (
    outbox_id TEXT NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    idx       INTEGER NOT NULL,
    path      TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256    TEXT NOT NULL,
    size      INTEGER NOT NULL,
    PRIMARY KEY (outbox_id, idx)
);

CREATE TABLE jobs (
    uuid          TEXT PRIMARY KEY,
    account_id    TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    outbox_id     TEXT REFERENCES outbox(id) ON DELETE SET NULL,
    payload_hash  TEXT NOT NULL,
    status        TEXT NOT NULL,
    casefile_id   INTEGER,
    error_message TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
"#,
    // 2: casefile drafts move from the webview's storage into the database, per account.
    r#"
CREATE TABLE casefile_drafts (
    id          TEXT NOT NULL,
    account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    draft_json  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
);
"#,
    // 3: the redirect URI's host name (Penneo compares redirect URIs exactly); NULL is 127.0.0.1.
    r#"
ALTER TABLE accounts ADD COLUMN redirect_host TEXT CHECK (redirect_host IN ('127.0.0.1','localhost'));
"#,
    // 4: who is uploading an entry: the run of the core that moved it to `uploading`, and the
    // lock file that run holds (see `DeskCore::open`), so another core can tell a live upload
    // from a crash leftover.
    r#"
ALTER TABLE outbox ADD COLUMN uploader TEXT;
ALTER TABLE outbox ADD COLUMN uploader_lock TEXT;
"#,
    // 5: signer status codes kept raw, with the numbering learned per account (Penneo's sources
    // disagree on it), and each signer's signing request (for its link and reminders).
    r#"
ALTER TABLE accounts ADD COLUMN signer_status_scheme TEXT
    CHECK (signer_status_scheme IS NULL OR signer_status_scheme IN ('sdk','postman'));
ALTER TABLE casefile_signers ADD COLUMN status_code INTEGER;
ALTER TABLE casefile_signers ADD COLUMN signing_request_id INTEGER;
"#,
    // 6: when the last upload attempt began, and whether its fate is unknown (cut off by a
    // crash or a broken connection: Penneo may have taken it and be making the casefile), so
    // the next attempt waits for Penneo's job before looking for the casefile and sending again.
    r#"
ALTER TABLE outbox ADD COLUMN attempt_started_at TEXT;
ALTER TABLE outbox ADD COLUMN fate_unknown INTEGER NOT NULL DEFAULT 0 CHECK (fate_unknown IN (0,1));
"#,
    // 7: the submissions table's values, kept by the upsert (`submissions::upsert_in`), so that
    // sorting by a field walks an index instead of working out every submission's value and
    // sorting them all. `form_fields` numbers the field names each form's submissions have (a
    // row stays until its account goes). `submission_values` has a row for every submission and
    // every field of its form, NULL where the submission has no value, so the empty ones are in
    // the index too; it is keyed by the submission and the field's number alone (short keys:
    // sync writes a row per field), and triggers remove its rows with either: `value_text` is what the table shows (the instances' values in answer order
    // joined by ", "), `sort_text` the smallest of them (what the sort compares, without regard
    // to ASCII case). Conditions read the answers through an index that holds the submission
    // (no lookup per answer); the form's index ends with the submission so that ties in
    // completion time come in order from it. Existing answers are copied in here.
    r#"
DROP INDEX answers_by_field;
CREATE INDEX answers_by_field ON answers(account_id, form_id, field_name, value_text COLLATE NOCASE, submission_id);
DROP INDEX submissions_by_form;
CREATE INDEX submissions_by_form ON submissions(account_id, form_id, completed_at, submission_id);

CREATE TABLE form_fields (
    id         INTEGER PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    form_id    TEXT NOT NULL,
    field_name TEXT NOT NULL,
    UNIQUE (account_id, form_id, field_name)
);
CREATE TABLE submission_values (
    submission_id TEXT NOT NULL,
    field_id      INTEGER NOT NULL,
    value_text    TEXT,
    sort_text     TEXT,
    PRIMARY KEY (submission_id, field_id)
) WITHOUT ROWID;
INSERT INTO form_fields (account_id, form_id, field_name)
SELECT DISTINCT s.account_id, s.form_id, a.field_name
FROM answers a JOIN submissions s ON s.account_id = a.account_id AND s.submission_id = a.submission_id;
INSERT INTO submission_values (submission_id, field_id, value_text, sort_text)
SELECT a.submission_id, f.id, group_concat(a.value_text, ', ' ORDER BY a.id), min(a.value_text)
FROM answers a JOIN submissions s ON s.account_id = a.account_id AND s.submission_id = a.submission_id
JOIN form_fields f ON f.account_id = s.account_id AND f.form_id = s.form_id AND f.field_name = a.field_name
GROUP BY a.account_id, a.submission_id, a.field_name;
INSERT INTO submission_values (submission_id, field_id)
SELECT s.submission_id, f.id
FROM submissions s JOIN form_fields f ON f.account_id = s.account_id AND f.form_id = s.form_id
WHERE NOT EXISTS (SELECT 1 FROM submission_values v WHERE v.submission_id = s.submission_id AND v.field_id = f.id);
CREATE INDEX submission_values_by_sort ON submission_values(field_id, sort_text COLLATE NOCASE, submission_id);
-- A value goes with its submission and with its field (the field's number says the account).
CREATE TRIGGER submissions_values_ad AFTER DELETE ON submissions BEGIN
    DELETE FROM submission_values WHERE submission_id = old.submission_id
        AND field_id IN (SELECT id FROM form_fields WHERE account_id = old.account_id);
END;
CREATE TRIGGER form_fields_values_ad AFTER DELETE ON form_fields BEGIN
    DELETE FROM submission_values WHERE field_id = old.id;
END;
"#,
    // 8: the outbox entry's note: why it waits or stopped as a code with its parameters (JSON of
    // `outbox::OutboxNote`), for the UI to word in its own language; `message` keeps the English
    // text. Entries from before have a message and no note.
    r#"
ALTER TABLE outbox ADD COLUMN note_json TEXT;
"#,
];
