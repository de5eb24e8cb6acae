// Why a send waits or stopped, worded in the UI's language. The backend sends an `OutboxNote`
// (a code with its parameters, generated into ../bindings) beside its English `message`: a code
// this file knows is worded from messages/<language>.json, an error inside it through
// `errorText`; a send without a note (queued by an older version) or with a code this file does
// not know shows the backend's English message.

import type { NoteError, OutboxNote } from "../bindings";
import { errorText } from "../errors";
import { m } from "../i18n.svelte";

/** An error inside a note: Penneo's own words quoted when it gave some, else the error's sentence. */
function refusal(error: NoteError): string {
  const said = error.params?.penneoMessage?.trim();
  return said ? m.outbox_note_not_accepted_said({ said }) : m.outbox_note_not_accepted({ error: errorText(error) });
}

function worded(note: OutboxNote): string | null {
  switch (note.code) {
    case "file_unreadable":
      return m.outbox_note_file_unreadable({ file: note.fileName, detail: note.detail });
    case "file_changed":
      return m.outbox_note_file_changed({ file: note.fileName });
    case "unsure_wait":
      return m.outbox_note_unsure_wait();
    case "resuming_upload":
      return m.outbox_note_resuming_upload();
    case "no_job_named":
      return m.outbox_note_no_job_named();
    case "not_accepted":
      return refusal(note.error);
    case "sign_in_again":
      return m.outbox_note_sign_in_again();
    case "will_retry":
      return m.outbox_note_will_retry({ error: errorText(note.error) });
    case "job_not_recorded":
      return m.outbox_note_job_not_recorded();
    case "no_casefile_named":
      return m.outbox_note_no_casefile_named();
    case "job_failed": {
      const said = note.penneoMessage?.trim();
      return said ? m.outbox_note_job_failed({ said }) : m.outbox_note_job_failed_no_reason();
    }
    case "duplicate_not_found":
      return m.outbox_note_duplicate_not_found();
    case "job_lost":
      return m.outbox_note_job_lost();
    case "casefile_id_not_recorded":
      return m.outbox_note_casefile_id_not_recorded();
    default:
      // A code from a newer backend: its English message says it.
      return null;
  }
}

/**
 * The note in the UI's language; `fallback` (the entry's English `message`) when there is no
 * note or its code is unknown; null when there is neither.
 */
export function outboxNoteText(note: OutboxNote | null | undefined, fallback: string | null | undefined): string | null {
  const text = note ? worded(note) : null;
  return text ?? (fallback?.trim() || null);
}
