import type { Redis } from 'ioredis';

/** Redis away: a new stream answers 503 after this instead of hanging. */
const SUBSCRIBE_TIMEOUT_MS = 3000;

export type UpdateListener = (message: string) => void;

/**
 * One Redis subscriber connection shared by every live stream: a channel is subscribed while at
 * least one stream listens to it and unsubscribed when the last one leaves.
 */
export class UpdateHub {
  readonly #subscriber: Redis;
  readonly #listeners = new Map<string, Set<UpdateListener>>();

  constructor(subscriber: Redis) {
    this.#subscriber = subscriber;
    subscriber.on('message', (channel: string, message: string) => {
      for (const listener of this.#listeners.get(channel) ?? []) listener(message);
    });
  }

  async listen(channel: string, listener: UpdateListener): Promise<() => Promise<void>> {
    let listeners = this.#listeners.get(channel);
    if (listeners === undefined) {
      listeners = new Set();
      this.#listeners.set(channel, listeners);
      try {
        await withTimeout(this.#subscriber.subscribe(channel), SUBSCRIBE_TIMEOUT_MS);
      } catch (error) {
        this.#listeners.delete(channel);
        throw error;
      }
    }
    listeners.add(listener);
    return async () => {
      const current = this.#listeners.get(channel);
      if (current === undefined) return;
      current.delete(listener);
      if (current.size === 0) {
        this.#listeners.delete(channel);
        await this.#subscriber.unsubscribe(channel).catch(() => undefined);
      }
    };
  }

  close(): void {
    this.#listeners.clear();
    this.#subscriber.disconnect();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
