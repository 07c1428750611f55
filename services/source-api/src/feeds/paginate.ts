import type { FaultSettings } from '../faults/fault-settings.ts';
import { malform, nullify } from '../faults/corrupt.ts';
import { hash, Stream, uniform } from '../sim/random.ts';
import type { Position } from './cursor.ts';
import { EntryFlag, type Entry, type FeedModel } from './feed.ts';

export interface PageRequest {
  position: Position;
  limit: number;
  /** Simulated now: only entries available by then are served. */
  nowMs: number;
  /** Serve only these entities (the others are skipped, but still advance the position). */
  accept?: (entity: number) => boolean;
}

/** How many served items each fault touched (for metrics). */
export interface FaultCounts {
  burst: number;
  late: number;
  duplicate: number;
  outOfOrder: number;
  null: number;
  malformed: number;
}

export interface Page {
  items: unknown[];
  next: Position;
  faults: FaultCounts;
}

/** A request never scans more slots than this, so a filter that matches nothing cannot hang it. */
const MAX_SLOTS_PER_PAGE = 200_000;

/**
 * Serves the items from a position on: at most `limit`, none available after `nowMs`. Item faults
 * are part of each slot's list, drawn from the seed per slot and offset, so pages of any size join
 * up with no gap and no overlap, and the same cursor gives the same items.
 */
export function readPage<Item extends object>(
  feed: FeedModel<Item>,
  faults: FaultSettings,
  seed: number,
  request: PageRequest,
): Page {
  const items: unknown[] = [];
  const counts: FaultCounts = { burst: 0, late: 0, duplicate: 0, outOfOrder: 0, null: 0, malformed: 0 };
  const lastSlot = Math.floor(request.nowMs / feed.slotMs);
  let { slot, offset } = request.position;
  let scanned = 0;
  scan: while (items.length < request.limit && slot <= lastSlot && scanned < MAX_SLOTS_PER_PAGE) {
    const entries = slotEntries(feed, faults, seed, slot);
    for (; offset < entries.length; offset++) {
      if (items.length >= request.limit) break scan;
      const entry = entries[offset] as Entry;
      if (entry.availableAtMs > request.nowMs) break scan;
      if (request.accept !== undefined && !request.accept(entry.entity)) continue;
      items.push(emit(feed, faults, seed, slot, offset, entry, counts));
    }
    slot++;
    offset = 0;
    scanned++;
  }
  return { items, next: { slot, offset }, faults: counts };
}

/** The entries of a slot with the list faults applied: bursts, then late times, duplicates, swaps. */
export function slotEntries<Item extends object>(
  feed: FeedModel<Item>,
  faults: FaultSettings,
  seed: number,
  slot: number,
): Entry[] {
  let entries = feed.entries(slot);
  const s = feed.salt;
  if (faults.burstRate > 0 && uniform(seed, Stream.faultBurst, s, slot) < faults.burstRate) {
    const startMs = slot * feed.slotMs;
    for (let k = 0; k < faults.burstSize; k++) {
      const timeMs =
        startMs + Math.floor(uniform(seed, Stream.faultBurstEntity, s, slot, 2 * k) * feed.slotMs);
      const entity = hash(seed, Stream.faultBurstEntity, s, slot, 2 * k + 1) % feed.entityCount;
      entries.push({ entity, timeMs, availableAtMs: timeMs, flags: EntryFlag.burst });
    }
    entries.sort((a, b) => a.timeMs - b.timeMs || a.entity - b.entity || a.flags - b.flags);
  }
  if (faults.lateRate > 0) {
    for (const [i, entry] of entries.entries()) {
      if (uniform(seed, Stream.faultLate, s, slot, i) >= faults.lateRate) continue;
      // Off the reporting grid by 1..999 ms, so a late item never equals an on-time one.
      const offGridMs = 1 + (hash(seed, Stream.faultLate, s, slot, -i - 1) % 999);
      entry.timeMs = Math.max(0, entry.timeMs - faults.lateByMs - offGridMs);
      entry.flags |= EntryFlag.late;
    }
  }
  if (faults.duplicateRate > 0) {
    const withCopies: Entry[] = [];
    for (const [i, entry] of entries.entries()) {
      withCopies.push(entry);
      if (uniform(seed, Stream.faultDuplicate, s, slot, i) < faults.duplicateRate) {
        withCopies.push({ ...entry, flags: entry.flags | EntryFlag.duplicate });
      }
    }
    entries = withCopies;
  }
  if (faults.outOfOrderRate > 0) {
    for (let i = 0; i + 1 < entries.length; i++) {
      if (uniform(seed, Stream.faultOutOfOrder, s, slot, i) >= faults.outOfOrderRate) continue;
      const a = entries[i] as Entry;
      const b = entries[i + 1] as Entry;
      // The later one arrives first; both are available once the later one is.
      entries[i] = { ...b, flags: b.flags | EntryFlag.outOfOrder };
      entries[i + 1] = { ...a, availableAtMs: b.availableAtMs, flags: a.flags | EntryFlag.outOfOrder };
      i++;
    }
  }
  return entries;
}

function emit<Item extends object>(
  feed: FeedModel<Item>,
  faults: FaultSettings,
  seed: number,
  slot: number,
  offset: number,
  entry: Entry,
  counts: FaultCounts,
): unknown {
  let item = feed.item(entry.entity, entry.timeMs) as Record<string, unknown>;
  if (entry.flags & EntryFlag.burst) counts.burst++;
  if (entry.flags & EntryFlag.late) counts.late++;
  if (entry.flags & EntryFlag.duplicate) counts.duplicate++;
  if (entry.flags & EntryFlag.outOfOrder) counts.outOfOrder++;
  const s = feed.salt;
  if (faults.nullRate > 0 && uniform(seed, Stream.faultNull, s, slot, offset) < faults.nullRate) {
    item = nullify(item, feed.corruption, hash(seed, Stream.faultVariant, s, slot, offset));
    counts.null++;
  } else if (
    faults.malformedRate > 0 &&
    uniform(seed, Stream.faultMalformed, s, slot, offset) < faults.malformedRate
  ) {
    item = malform(item, feed.corruption, hash(seed, Stream.faultVariant, s, slot, -offset - 1));
    counts.malformed++;
  }
  return item;
}
