// Signing order as lanes. Signers with the same `signOrder` sign at the same time (one lane); lanes
// go in ascending order. Every operation here is pure: it takes the signers and returns a new array
// whose `signOrder`s are normalised to 0..n-1 with no gaps, signers keeping their relative order
// in the array. Signers are named by `localId`.

import type { SignerDraft } from "./editorDraft";
import { formatNumber } from "../format";
import { intlLocale, m } from "../i18n.svelte";

export interface LaneEntry<S extends SignerDraft = SignerDraft> {
  signer: S;
  /** Index in the signers array. */
  index: number;
}

export interface Lane<S extends SignerDraft = SignerDraft> {
  /** 0-based position of the lane; equals the normalised signOrder. */
  position: number;
  /** The signOrder its signers carry (before normalising). */
  signOrder: number;
  entries: LaneEntry<S>[];
}

function orderOf(s: SignerDraft): number {
  return typeof s.signOrder === "number" && Number.isFinite(s.signOrder) ? s.signOrder : 0;
}

/** The lanes, in signing order; signers in a lane keep their array order. */
export function lanesOf<S extends SignerDraft>(signers: readonly S[]): Lane<S>[] {
  const byOrder = new Map<number, LaneEntry<S>[]>();
  signers.forEach((signer, index) => {
    const o = orderOf(signer);
    const list = byOrder.get(o);
    if (list) list.push({ signer, index });
    else byOrder.set(o, [{ signer, index }]);
  });
  return [...byOrder.entries()].sort((a, b) => a[0] - b[0]).map(([signOrder, entries], position) => ({ position, signOrder, entries }));
}

/** signOrder renumbered 0..n-1 by lane, no gaps. Returns new signer objects only where it changed. */
export function normaliseSignOrder<S extends SignerDraft>(signers: readonly S[]): S[] {
  const rank = new Map<number, number>();
  lanesOf(signers).forEach((lane) => rank.set(lane.signOrder, lane.position));
  return signers.map((s) => {
    const o = rank.get(orderOf(s)) ?? 0;
    return s.signOrder === o ? s : { ...s, signOrder: o };
  });
}

/** True when the signOrders already are 0..n-1 without gaps. */
export function isNormalised(signers: readonly SignerDraft[]): boolean {
  return lanesOf(signers).every((l) => l.signOrder === l.position);
}

function laneIndexOf(signers: readonly SignerDraft[], localId: string): number {
  return lanesOf(signers).findIndex((l) => l.entries.some((e) => e.signer.localId === localId));
}

/** Assigns lane positions (fractional allowed) and normalises. */
function withOrders<S extends SignerDraft>(signers: readonly S[], order: (s: S, lane: number) => number): S[] {
  const lanes = lanesOf(signers);
  const laneOf = new Map<string, number>();
  lanes.forEach((l) => l.entries.forEach((e) => laneOf.set(e.signer.localId, l.position)));
  return normaliseSignOrder(signers.map((s) => ({ ...s, signOrder: order(s, laneOf.get(s.localId) ?? 0) })));
}

/**
 * Adds a signer. `lane`: an existing lane's position to sign together with it, or `"new"` (the
 * default) for a new lane after the last.
 */
export function addSigner<S extends SignerDraft>(signers: readonly S[], signer: S, lane: number | "new" = "new"): S[] {
  const lanes = lanesOf(normaliseSignOrder(signers));
  const target = lane === "new" || lane >= lanes.length || lane < 0 ? lanes.length : lane;
  return normaliseSignOrder([...normaliseSignOrder(signers), { ...signer, signOrder: target }]);
}

export function removeSigner<S extends SignerDraft>(signers: readonly S[], localId: string): S[] {
  return normaliseSignOrder(signers.filter((s) => s.localId !== localId));
}

/** Moves a signer into an existing lane (by position). Out of range → a new lane at that end. */
export function moveSignerToLane<S extends SignerDraft>(signers: readonly S[], localId: string, lane: number): S[] {
  const count = lanesOf(signers).length;
  if (lane < 0) return moveSignerToNewLane(signers, localId, 0);
  if (lane >= count) return moveSignerToNewLane(signers, localId, count);
  return withOrders(signers, (s, l) => (s.localId === localId ? lane : l));
}

/**
 * Moves a signer into a new lane of its own, placed before the lane now at position `before`
 * (`before` = number of lanes → after the last).
 */
export function moveSignerToNewLane<S extends SignerDraft>(signers: readonly S[], localId: string, before: number): S[] {
  return withOrders(signers, (s, l) => (s.localId === localId ? before - 0.5 : l));
}

/**
 * One keyboard step for a signer (`-1` earlier, `+1` later). The slots in order are: a new lane
 * before lane 0, lane 0, a new lane between 0 and 1, lane 1, …, a new lane after the last. A step
 * goes to the neighbouring slot, skipping slots that would leave the order as it is (a signer alone
 * in its lane is already "in a new lane" there). Returns the same array when no move is possible.
 */
export function stepSigner<S extends SignerDraft>(signers: readonly S[], localId: string, direction: -1 | 1): S[] {
  const lanes = lanesOf(signers);
  const li = laneIndexOf(signers, localId);
  const lane = lanes[li];
  if (!lane) return [...signers];
  const alone = lane.entries.length === 1;
  // Slot numbering: lane k is slot 2k+1; the gap before lane k is slot 2k.
  let slot = 2 * li + 1 + direction;
  if (alone) {
    // The gaps on either side of a lone signer's lane mean "no change": go on to the next lane.
    slot += direction;
  }
  const lastSlot = 2 * lanes.length;
  if (slot < 0 || slot > lastSlot) return [...signers];
  if (slot % 2 === 1) return moveSignerToLane(signers, localId, (slot - 1) / 2);
  // A gap. When the signer is alone, removing its lane shifts later lanes down by one.
  return moveSignerToNewLane(signers, localId, slot / 2);
}

/** Swaps a whole lane with its neighbour (`-1` earlier, `+1` later). */
export function moveLane<S extends SignerDraft>(signers: readonly S[], position: number, direction: -1 | 1): S[] {
  const count = lanesOf(signers).length;
  const other = position + direction;
  if (position < 0 || position >= count || other < 0 || other >= count) return [...signers];
  return withOrders(signers, (_s, l) => (l === position ? other : l === other ? position : l));
}

/** Moves a whole lane to another position (drag a lane). */
export function moveLaneTo<S extends SignerDraft>(signers: readonly S[], from: number, to: number): S[] {
  const count = lanesOf(signers).length;
  if (from < 0 || from >= count) return [...signers];
  const target = Math.max(0, Math.min(count - 1, to));
  return withOrders(signers, (_s, l) => {
    if (l === from) return target;
    if (from < target && l > from && l <= target) return l - 1;
    if (from > target && l >= target && l < from) return l + 1;
    return l;
  });
}

/** Everyone in one lane: all sign at the same time. */
export function signAllAtOnce<S extends SignerDraft>(signers: readonly S[]): S[] {
  return signers.map((s) => (s.signOrder === 0 ? s : { ...s, signOrder: 0 }));
}

/** Everyone in a lane of their own, in the current lane order (array order within a lane). */
export function signOneAfterAnother<S extends SignerDraft>(signers: readonly S[]): S[] {
  const sequence = lanesOf(signers).flatMap((l) => l.entries);
  const rank = new Map(sequence.map((e, i) => [e.signer.localId, i]));
  return signers.map((s) => ({ ...s, signOrder: rank.get(s.localId) ?? 0 }));
}

/** A sentence for screen readers and tooltips: where a signer is in the order. */
export function describePosition(signers: readonly SignerDraft[], localId: string): string {
  const lanes = lanesOf(signers);
  const li = laneIndexOf(signers, localId);
  const lane = lanes[li];
  if (!lane) return "";
  const me = lane.entries.find((e) => e.signer.localId === localId)?.signer;
  const who = me?.name.trim() || m.casefiles_position_this_signer();
  const others = lane.entries
    .filter((e) => e.signer.localId !== localId)
    .map((e) => e.signer.name.trim() || m.casefiles_position_unnamed());
  const step = formatNumber(li + 1);
  const count = formatNumber(lanes.length);
  if (others.length === 0) {
    return lanes.length === 1 ? m.casefiles_position_only_step({ who }) : m.casefiles_position_step({ who, step, count });
  }
  const with_ = new Intl.ListFormat(intlLocale(), { type: "conjunction" }).format(others);
  return lanes.length === 1
    ? m.casefiles_position_only_step_with({ who, others: with_ })
    : m.casefiles_position_step_with({ who, step, count, others: with_ });
}
