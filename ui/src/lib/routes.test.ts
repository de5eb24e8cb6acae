import { describe, expect, it } from "vitest";
import { DEFAULT_PAGE, PAGES, hrefFor, parseHash } from "./routes";

describe("parseHash", () => {
  it("lands on the default page for an empty or unknown hash", () => {
    expect(parseHash("")).toEqual({ page: DEFAULT_PAGE, rest: [] });
    expect(parseHash("#")).toEqual({ page: DEFAULT_PAGE, rest: [] });
    expect(parseHash("#/")).toEqual({ page: DEFAULT_PAGE, rest: [] });
    expect(parseHash("#/nowhere/abc")).toEqual({ page: DEFAULT_PAGE, rest: [] });
    expect(parseHash("#main")).toEqual({ page: DEFAULT_PAGE, rest: [] });
  });

  it("reads every page and its sub-path", () => {
    for (const page of PAGES) {
      expect(parseHash(`#/${page}`)).toEqual({ page, rest: [] });
    }
    expect(parseHash("#/forms/f-1/versions/2")).toEqual({ page: "forms", rest: ["f-1", "versions", "2"] });
    expect(parseHash("#casefiles/42/")).toEqual({ page: "casefiles", rest: ["42"] });
  });

  it("ignores a query part and decodes segments", () => {
    expect(parseHash("#/submissions/a%20b?x=1")).toEqual({ page: "submissions", rest: ["a b"] });
    expect(parseHash("#/forms/%E0%A4%A")).toEqual({ page: "forms", rest: ["%E0%A4%A"] });
  });

  it("round-trips with hrefFor", () => {
    const href = hrefFor("forms", "id/with slash", "v 2");
    expect(href).toBe("#/forms/id%2Fwith%20slash/v%202");
    expect(parseHash(href)).toEqual({ page: "forms", rest: ["id/with slash", "v 2"] });
  });
});
