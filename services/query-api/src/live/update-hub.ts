import type { Redis } from 'ioredis';

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
      await this.#subscriber.subscribe(channel);
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
