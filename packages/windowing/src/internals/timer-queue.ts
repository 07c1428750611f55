/**
 * Timers ordered by time, then by the order they were set: a binary min-heap of distinct times, each with a
 * bucket of entries. Many windows end at the same time (every key's tumbling window), so a bucket per time
 * keeps the heap small and firing order deterministic.
 *
 * An entry carries a token; the owner invalidates timers by changing the token it expects (rescheduling a
 * session, purging a window) instead of searching the heap, and skips entries whose token is stale.
 */
export class TimerQueue<E> {
  private readonly heap: number[] = [];
  private readonly buckets = new Map<number, Bucket<E>>();

  get size(): number {
    return this.heap.length;
  }

  add(timeMs: number, entry: E, token: number): void {
    let bucket = this.buckets.get(timeMs);
    if (bucket === undefined) {
      bucket = { entries: [], tokens: [] };
      this.buckets.set(timeMs, bucket);
      this.push(timeMs);
    }
    bucket.entries.push(entry);
    bucket.tokens.push(token);
  }

  /** The earliest time with timers, or +Infinity. */
  peekTimeMs(): number {
    return this.heap.length === 0 ? Number.POSITIVE_INFINITY : (this.heap[0] as number);
  }

  /** True when some timer is due at or before `nowMs`. */
  hasDue(nowMs: number): boolean {
    return this.heap.length > 0 && (this.heap[0] as number) <= nowMs;
  }

  /** Removes and returns the earliest bucket; entries in the order they were added. */
  pop(): { timeMs: number; entries: E[]; tokens: number[] } | undefined {
    if (this.heap.length === 0) return undefined;
    const timeMs = this.heap[0] as number;
    const lastTime = this.heap.pop() as number;
    if (this.heap.length > 0) {
      this.heap[0] = lastTime;
      this.siftDown(0);
    }
    const bucket = this.buckets.get(timeMs) as Bucket<E>;
    this.buckets.delete(timeMs);
    return { timeMs, entries: bucket.entries, tokens: bucket.tokens };
  }

  /** Every timer in firing order, without removing any. */
  *entries(): Generator<{ timeMs: number; entry: E; token: number }> {
    const times = [...this.heap].sort((a, b) => a - b);
    for (const timeMs of times) {
      const bucket = this.buckets.get(timeMs) as Bucket<E>;
      for (let i = 0; i < bucket.entries.length; i++) {
        yield { timeMs, entry: bucket.entries[i] as E, token: bucket.tokens[i] as number };
      }
    }
  }

  clear(): void {
    this.heap.length = 0;
    this.buckets.clear();
  }

  private push(timeMs: number): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(timeMs);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as number;
      if (p <= timeMs) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = timeMs;
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    const n = heap.length;
    const value = heap[start] as number;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && (heap[right] as number) < (heap[left] as number)) child = right;
      if ((heap[child] as number) >= value) break;
      heap[i] = heap[child] as number;
      i = child;
    }
    heap[i] = value;
  }
}

interface Bucket<E> {
  entries: E[];
  tokens: number[];
}
