import { describe, expect, it } from "vitest";
import {
  addSigner,
  describePosition,
  isNormalised,
  lanesOf,
  moveLane,
  moveLaneTo,
  moveSignerToLane,
  moveSignerToNewLane,
  normaliseSignOrder,
  removeSigner,
  signAllAtOnce,
  signOneAfterAnother,
  stepSigner,
} from "./lanes";
import type { SignerDraft } from "./editorDraft";

const s = (localId: string, signOrder: number): SignerDraft => ({ localId, name: localId.toUpperCase(), signOrder });

/** Lanes as strings: "a b | c" = a and b together, then c. */
function shape(signers: SignerDraft[]): string {
  return lanesOf(signers)
    .map((l) => l.entries.map((e) => e.signer.localId).join(" "))
    .join(" | ");
}

function orders(signers: SignerDraft[]): number[] {
  return signers.map((x) => x.signOrder);
}

describe("lanes", () => {
  it("groups by signOrder ascending, keeping array order inside a lane", () => {
    const signers = [s("c", 7), s("a", 2), s("b", 2), s("d", 7), s("e", 30)];
    expect(shape(signers)).toBe("a b | c d | e");
    expect(lanesOf(signers).map((l) => l.signOrder)).toEqual([2, 7, 30]);
  });

  it("normalises to 0..n-1 with no gaps and leaves unchanged signers as they are", () => {
    const a = s("a", 0);
    const signers = [a, s("b", 5), s("c", 5), s("d", 9)];
    const out = normaliseSignOrder(signers);
    expect(orders(out)).toEqual([0, 1, 1, 2]);
    expect(out[0]).toBe(a);
    expect(isNormalised(out)).toBe(true);
    expect(isNormalised(signers)).toBe(false);
  });

  it("adds a signer in a new last lane or into an existing lane", () => {
    const signers = [s("a", 0), s("b", 3)];
    expect(shape(addSigner(signers, s("c", 99)))).toBe("a | b | c");
    const together = addSigner(signers, s("c", 99), 0);
    expect(shape(together)).toBe("a c | b");
    expect(orders(together)).toEqual([0, 1, 0]);
  });

  it("removes a signer and closes the gap its lane leaves", () => {
    const out = removeSigner([s("a", 0), s("b", 1), s("c", 2)], "b");
    expect(shape(out)).toBe("a | c");
    expect(orders(out)).toEqual([0, 1]);
  });

  it("moves a signer into another lane or a new lane anywhere", () => {
    const signers = [s("a", 0), s("b", 0), s("c", 1)];
    expect(shape(moveSignerToLane(signers, "a", 1))).toBe("b | a c");
    expect(shape(moveSignerToNewLane(signers, "c", 0))).toBe("c | a b");
    expect(shape(moveSignerToNewLane(signers, "a", 1))).toBe("b | a | c");
    expect(shape(moveSignerToLane(signers, "a", 5))).toBe("b | c | a");
    expect(shape(moveSignerToLane([s("a", 0), s("b", 1)], "a", 1))).toBe("a b");
  });

  it("steps a signer through every slot with the keyboard and back", () => {
    let signers = [s("a", 0), s("b", 0), s("c", 1)];
    const seen: string[] = [shape(signers)];
    for (let i = 0; i < 6; i++) {
      signers = stepSigner(signers, "a", 1);
      seen.push(shape(signers));
    }
    expect(seen).toEqual([
      "a b | c",
      "b | a | c", // own lane between
      "b | a c", // joins c
      "b | c | a", // own lane after
      "b | c | a", // nowhere further
      "b | c | a",
      "b | c | a",
    ]);
    const back: string[] = [];
    for (let i = 0; i < 5; i++) {
      signers = stepSigner(signers, "a", -1);
      back.push(shape(signers));
    }
    expect(back).toEqual(["b | a c", "b | a | c", "a b | c", "a | b | c", "a | b | c"]);
    expect(isNormalised(signers)).toBe(true);
  });

  it("moves whole lanes up and down, and to a position", () => {
    const signers = [s("a", 0), s("b", 1), s("c", 1), s("d", 2)];
    expect(shape(moveLane(signers, 1, -1))).toBe("b c | a | d");
    expect(shape(moveLane(signers, 1, 1))).toBe("a | d | b c");
    expect(shape(moveLane(signers, 0, -1))).toBe("a | b c | d");
    expect(shape(moveLane(signers, 2, 1))).toBe("a | b c | d");
    expect(shape(moveLaneTo(signers, 0, 2))).toBe("b c | d | a");
    expect(shape(moveLaneTo(signers, 2, 0))).toBe("d | a | b c");
    expect(isNormalised(moveLaneTo(signers, 2, 0))).toBe(true);
  });

  it("puts everyone together or one after another", () => {
    const signers = [s("b", 1), s("a", 0), s("c", 1)];
    expect(shape(signAllAtOnce(signers))).toBe("b a c");
    expect(shape(signOneAfterAnother(signers))).toBe("a | b | c");
  });

  it("describes a signer's position in words", () => {
    const signers = [s("a", 0), s("b", 0), s("c", 1)];
    expect(describePosition(signers, "a")).toBe("A signs in step 1 of 2, at the same time as B.");
    expect(describePosition(signers, "c")).toBe("C signs in step 2 of 2.");
    expect(describePosition(signAllAtOnce(signers), "c")).toBe("C signs in the only step, at the same time as A and B.");
    expect(describePosition(signers, "zz")).toBe("");
  });
});
