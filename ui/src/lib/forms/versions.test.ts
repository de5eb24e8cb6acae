import { describe, expect, it } from "vitest";
import { activeVersion, editableDraft, sortVersions, versionActions } from "./versions";

type V = { version: number; status: string };
const actions = (v: V, all: V[]) => versionActions(v, all).map((a) => a.action);

describe("version actions", () => {
  const history: V[] = [
    { version: 1, status: "ARCHIVED" },
    { version: 2, status: "ACTIVE" },
    { version: 3, status: "DRAFT" },
  ];

  it("offers what each status allows", () => {
    expect(actions(history[2]!, history)).toEqual(["edit", "publish", "archive"]);
    expect(actions(history[1]!, history)).toEqual(["restore", "archive"]);
    expect(actions(history[0]!, history)).toEqual(["restore"]);
    expect(actions({ version: 9, status: "SOMETHING_NEW" }, history)).toEqual([]);
  });

  it("edits only the newest DRAFT (the one a save goes into)", () => {
    const two: V[] = [
      { version: 1, status: "DRAFT" },
      { version: 2, status: "ACTIVE" },
      { version: 3, status: "DRAFT" },
    ];
    expect(editableDraft(two)).toBe(3);
    expect(actions(two[0]!, two)).toEqual(["publish", "archive"]);
    expect(actions(two[2]!, two)).toEqual(["edit", "publish", "archive"]);
    expect(editableDraft([{ version: 1, status: "ACTIVE" }])).toBeNull();
  });

  it("says the effect before it runs, with the version numbers it will touch", () => {
    const publish = versionActions(history[2]!, history).find((a) => a.action === "publish")!;
    expect(publish.effect).toBe(
      "Version 3 becomes ACTIVE and replaces version 2, which is archived. Submissions already received are kept.",
    );
    const restore = versionActions(history[0]!, history).find((a) => a.action === "restore")!;
    expect(restore.effect).toContain("Makes version 4, a new DRAFT with the content of version 1");
    expect(restore.confirm).toBe("Restore as version 4");
    const archiveActive = versionActions(history[1]!, history).find((a) => a.action === "archive")!;
    expect(archiveActive.effect).toContain("stops taking new answers");
    expect(archiveActive.effect).toContain("Submissions already received are kept");
    expect(archiveActive.danger).toBe(true);

    const first = versionActions({ version: 1, status: "DRAFT" }, [{ version: 1, status: "DRAFT" }]).find((a) => a.action === "publish")!;
    expect(first.effect).toBe("Version 1 becomes ACTIVE: clients can fill it in and prefilled requests use it.");
  });

  it("finds the active version and sorts newest first", () => {
    expect(activeVersion(history)).toBe(2);
    expect(activeVersion([{ version: 1, status: "ARCHIVED" }])).toBeNull();
    expect(sortVersions(history).map((v) => v.version)).toEqual([3, 2, 1]);
  });
});
