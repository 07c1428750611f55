import type { Feed } from '@tideline/contracts';
import type { CorruptionSpec } from '../faults/corrupt.ts';

/** One item-to-be in a feed's time slot: which entity, at what event time, and when the source has it. */
export interface Entry {
  entity: number;
  /** Event time of the item. Late faults move it back; arrival stays where it was. */
  timeMs: number;
  /** When the item becomes available; non-decreasing along a slot. */
  availableAtMs: number;
  /** EntryFlag bits: which faults shaped this entry. */
  flags: number;
}

export const EntryFlag = {
  burst: 1,
  late: 2,
  duplicate: 4,
  outOfOrder: 8,
} as const;

/**
 * A simulated feed: time is cut into slots of `slotMs`; each slot holds a fixed, sorted list of
 * entries, and an item is a pure function of its entity and time. A position in the feed is
 * (slot, offset in the slot's list), which is what a cursor carries.
 */
export interface FeedModel<Item extends object> {
  readonly feed: Feed;
  /** Salt for the fault draws, so feeds never share fault decisions. */
  readonly salt: number;
  readonly slotMs: number;
  /** Changes when anything that shapes the sequence changes (seed, period, symbols), invalidating cursors. */
  readonly fingerprint: string;
  readonly entityCount: number;
  /** The entries of a slot, sorted by time, without faults. */
  entries(slot: number): Entry[];
  item(entity: number, timeMs: number): Item;
  readonly corruption: CorruptionSpec;
}
