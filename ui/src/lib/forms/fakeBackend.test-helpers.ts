// Test helper: the forms commands of the backend over an in-memory model (drafts in a "database",
// forms with versions following the contract's rules), for mockIPC. Every call is recorded.
import type { FormDefinition, FormDraft, FormRecord, FormVersionRecord, PrefilledRequestRecord } from "../backend";

interface Version {
  version: number;
  status: "DRAFT" | "ACTIVE" | "ARCHIVED";
  definition: FormDefinition;
  createdAt: string;
  updatedAt: string;
}

export class FakeFormsBackend {
  drafts = new Map<string, FormDraft>();
  forms = new Map<string, { id: string; versions: Version[] }>();
  requests: PrefilledRequestRecord[] = [];
  calls: Array<{ cmd: string; args: Record<string, unknown> }> = [];
  /** The next create/update answers this error instead. */
  failNext: { code: string; message: string; field?: string } | null = null;
  private clock = 0;
  private nextId = 1;

  private now(): string {
    this.clock += 1;
    return new Date(Date.UTC(2026, 10, 25, 10, 0, this.clock)).toISOString();
  }

  addForm(definition: FormDefinition, status: Version["status"] = "ACTIVE"): string {
    const id = `form-${this.nextId++}`;
    const t = this.now();
    this.forms.set(id, { id, versions: [{ version: 1, status, definition: structuredClone(definition), createdAt: t, updatedAt: t }] });
    return id;
  }

  private latest(id: string): Version {
    const f = this.forms.get(id);
    if (!f) throw { code: "not_found", message: `Form ${id} not found`, retryable: false };
    return f.versions[f.versions.length - 1]!;
  }

  record(id: string): FormRecord {
    const f = this.forms.get(id)!;
    const v = this.latest(id);
    const active = f.versions.find((x) => x.status === "ACTIVE")?.version ?? null;
    const definition = {
      ...v.definition,
      id,
      formId: id,
      status: v.status,
      version: v.version,
      activeVersion: active,
      latestVersion: v.version,
    };
    return {
      formId: id,
      name: v.definition.name,
      description: null,
      language: "EN",
      status: v.status,
      version: v.version,
      createdAt: f.versions[0]!.createdAt,
      updatedAt: v.updatedAt,
      syncedAt: v.updatedAt,
      definition,
    };
  }

  private publish(id: string, n: number) {
    for (const v of this.forms.get(id)!.versions) {
      if (v.version === n) v.status = "ACTIVE";
      else if (v.status === "ACTIVE") v.status = "ARCHIVED";
    }
  }

  private failIfAsked() {
    if (this.failNext) {
      const e = { ...this.failNext, retryable: false };
      this.failNext = null;
      throw e;
    }
  }

  handle = (cmd: string, payload?: unknown): unknown => {
    const a = (payload ?? {}) as Record<string, unknown>;
    this.calls.push({ cmd, args: structuredClone(a) });
    switch (cmd) {
      case "list_form_drafts":
        return [...this.drafts.values()].sort((x, y) => y.updatedAt.localeCompare(x.updatedAt));
      case "save_form_draft": {
        const d = structuredClone(a.draft) as FormDraft;
        const existing = d.formId ? [...this.drafts.values()].find((x) => x.formId === d.formId) : undefined;
        const saved = { ...d, id: existing?.id ?? d.id, updatedAt: this.now() };
        this.drafts.set(saved.id, saved);
        return saved;
      }
      case "delete_form_draft":
        this.drafts.delete(String(a.draftId));
        return null;
      case "list_forms":
        return {
          result: [...this.forms.keys()].map((id) => {
            const { definition: _d, ...rest } = this.record(id);
            return { ...rest, submissionCount: 0, hasLocalDraft: [...this.drafts.values()].some((d) => d.formId === id) };
          }),
          nextCursor: null,
        };
      case "sync_forms":
        return this.forms.size;
      case "get_form":
        return this.record(String(a.formId));
      case "form_versions":
        return this.forms
          .get(String(a.formId))!
          .versions.map((v): FormVersionRecord => ({
            formId: String(a.formId),
            version: v.version,
            status: v.status,
            createdAt: v.createdAt,
            updatedAt: v.updatedAt,
            definition: null,
          }))
          .reverse();
      case "form_version": {
        const v = this.forms.get(String(a.formId))!.versions.find((x) => x.version === a.version)!;
        return { ...structuredClone(v.definition), status: v.status, version: v.version };
      }
      case "create_form": {
        this.failIfAsked();
        const id = this.addForm(a.definition as FormDefinition, a.publish ? "ACTIVE" : "DRAFT");
        return this.record(id);
      }
      case "update_form": {
        this.failIfAsked();
        const id = String(a.formId);
        const f = this.forms.get(id)!;
        const def = structuredClone(a.definition) as FormDefinition;
        const draft = [...f.versions].reverse().find((v) => v.status === "DRAFT");
        let target: number;
        if (draft) {
          draft.definition = def;
          draft.updatedAt = this.now();
          target = draft.version;
        } else {
          target = f.versions.length + 1;
          const t = this.now();
          f.versions.push({ version: target, status: "DRAFT", definition: def, createdAt: t, updatedAt: t });
        }
        if (a.publish) this.publish(id, target);
        return this.record(id);
      }
      case "publish_form": {
        const id = String(a.formId);
        const draft = [...this.forms.get(id)!.versions].reverse().find((v) => v.status === "DRAFT")!;
        this.publish(id, draft.version);
        return this.record(id);
      }
      case "archive_form": {
        for (const v of this.forms.get(String(a.formId))!.versions) v.status = "ARCHIVED";
        return this.record(String(a.formId));
      }
      case "publish_form_version":
        this.publish(String(a.formId), Number(a.version));
        return this.record(String(a.formId));
      case "archive_form_version":
        this.forms.get(String(a.formId))!.versions.find((v) => v.version === a.version)!.status = "ARCHIVED";
        return this.record(String(a.formId));
      case "restore_form_version": {
        const f = this.forms.get(String(a.formId))!;
        const src = f.versions.find((v) => v.version === a.version)!;
        const t = this.now();
        f.versions.push({
          version: f.versions.length + 1,
          status: "DRAFT",
          definition: structuredClone(src.definition),
          createdAt: t,
          updatedAt: t,
        });
        return this.record(String(a.formId));
      }
      case "create_prefilled_request": {
        const r: PrefilledRequestRecord = {
          requestId: `req-${this.requests.length + 1}`,
          formId: String(a.formId),
          requestUrl: `http://127.0.0.1:9/r/req-${this.requests.length + 1}`,
          label: (a.label as string | null) ?? null,
          request: structuredClone(a.request) as PrefilledRequestRecord["request"],
          createdAt: this.now(),
          submissionId: null,
        };
        this.requests.unshift(r);
        return r;
      }
      case "list_prefilled_requests":
        return { result: this.requests.filter((r) => r.formId === a.formId), nextCursor: null };
      case "sync_submissions":
        return 0;
      case "account_status":
        return { accountId: "demo", environment: "demo", signedIn: true, displayName: "Demo", email: null, apiHost: null };
      default:
        return undefined;
    }
  };

  callsOf(cmd: string): Array<Record<string, unknown>> {
    return this.calls.filter((c) => c.cmd === cmd).map((c) => c.args);
  }
}
