import assert from 'node:assert/strict';
import type { MarketTrade } from '@tideline/contracts';
import { collectMessages, createKafka } from '@tideline/kafka';

/**
 * Reads the trades of `symbols` that reached `topic` since `from`, and asserts that, for each symbol,
 * every slot of the source's trade interval from the first one seen up to `untilMs` holds a trade
 * (the simulated source trades every symbol once per interval), and that a repeated event id always
 * carries the same event. Returns the trades read.
 */
export async function assertNoTradeMissing(options: {
  brokers: readonly string[];
  topic: string;
  from: Map<number, string> | undefined;
  symbols: readonly string[];
  intervalMs: number;
  untilMs: number;
  minSlots: number;
}): Promise<MarketTrade[]> {
  const { symbols, intervalMs } = options;
  const kafka = createKafka({ clientId: 'e2e-trades', brokers: [...options.brokers] });
  const ours = new Set(symbols);
  const messages = await collectMessages(kafka, {
    topic: options.topic,
    from: options.from,
    until: () => false,
    timeoutMs: 8000,
  });
  const trades = messages
    .filter((m) => m.key !== undefined && ours.has(m.key))
    .map((m) => JSON.parse(m.value ?? '') as MarketTrade);
  for (const symbol of symbols) {
    const slots = new Set(
      trades.filter((t) => t.symbol === symbol).map((t) => Math.floor(t.eventTimeMs / intervalMs)),
    );
    const first = Math.min(...slots);
    // The slot holding untilMs may be only partly produced; the one before it is complete.
    const last = Math.floor((options.untilMs - 1) / intervalMs) - 1;
    const missing: number[] = [];
    for (let slot = first; slot <= last; slot++) if (!slots.has(slot)) missing.push(slot);
    assert.deepEqual(missing, [], `${symbol}: one trade per ${intervalMs} ms slot, none missing`);
    assert.ok(
      last - first >= options.minSlots,
      `${symbol} covers ${last - first} slots (want ${options.minSlots})`,
    );
  }
  // Repeated pages carry the same ids: a duplicate is the same event, never a new one.
  const byId = new Map<string, string>();
  for (const trade of trades) {
    const body = JSON.stringify({ ...trade, source: undefined });
    const seen = byId.get(trade.eventId);
    if (seen !== undefined) assert.equal(seen, body, `event ${trade.eventId} reused for different content`);
    byId.set(trade.eventId, body);
  }
  return trades;
}

/** The event time of the first trade at or after a source cursor: everything before it was produced. */
export async function cursorTimeMs(sourceUrl: string, cursor: string): Promise<number> {
  // A cursor at the head of the feed has no trade after it yet: wait for the source's next one (it
  // trades every interval) rather than guess a time.
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${sourceUrl}/v1/market/trades?limit=1&since=${encodeURIComponent(cursor)}`);
    const page = (await response.json()) as { items: MarketTrade[] };
    const first = page.items[0];
    if (first !== undefined) return first.eventTimeMs;
    assert.ok(attempt < 50, `the source serves no trade after cursor ${cursor}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
