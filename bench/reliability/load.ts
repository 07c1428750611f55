// Data flowing at a fixed rate for the fault and soak scenarios: market trades as ingest writes them
// (bench/lib/market-feed.ts) onto the run's raw.market.trades, with the wall clock as event time. The
// producer retries forever, so a broker restart delays sends instead of failing them; the rate catches
// up afterwards. Stopping sends one trade per symbol a minute ahead, so every earlier window closes.
import { createReliableProducer } from '@tideline/kafka';
import type { Kafka, Message } from 'kafkajs';
import { MarketFeed } from '../lib/market-feed.ts';

export interface Load {
  /** Records sent so far. */
  sent(): number;
  /** Sends errors seen (each retried). */
  errors(): number;
  /** Stops, sends the closing trades and resolves with the number of records sent. */
  stop(): Promise<number>;
}

const TICK_MS = 20;

export async function startLoad(
  kafka: Kafka,
  topic: string,
  eventsPerSecond: number,
  seed = 13,
  onSent?: (messages: readonly Message[], sentAtMs: number) => void,
): Promise<Load> {
  const feed = new MarketFeed({ seed });
  const producer = createReliableProducer(kafka);
  await producer.connect();
  let sent = 0;
  let errors = 0;
  let stopping = false;
  const send = async (messages: Message[]): Promise<void> => {
    for (;;) {
      try {
        const at = Date.now();
        await producer.send({ topic, acks: -1, messages });
        onSent?.(messages, at);
        return;
      } catch {
        errors++;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  };
  const loop = (async () => {
    const started = performance.now();
    while (!stopping) {
      const elapsed = performance.now() - started;
      const due = Math.floor((elapsed / 1000) * eventsPerSecond) - sent;
      if (due > 0) {
        const clockMs = Date.now();
        const messages: Message[] = [];
        for (let i = 0; i < due; i++) {
          const event = feed.next(clockMs);
          messages.push({ key: event.key, value: event.value });
        }
        await send(messages);
        sent += due;
      }
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    }
  })();
  return {
    sent: () => sent,
    errors: () => errors,
    async stop() {
      stopping = true;
      await loop;
      const closing = feed.flush(Date.now()).map((e) => ({ key: e.key, value: e.value }));
      await send(closing);
      sent += closing.length;
      await producer.disconnect();
      return sent;
    },
  };
}
