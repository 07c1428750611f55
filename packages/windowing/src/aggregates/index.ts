import { avg, count, max, min, sum } from './basic.ts';
import { ema, sma } from './moving.ts';
import { first, last } from './order.ts';
import { running } from './running.ts';
import { stddev } from './stddev.ts';

/**
 * The built-in aggregates. Each takes an extractor that reads its number from the event's value, so one
 * engine computes several named aggregates of one field or of several:
 *
 *   new WindowingEngine<string, Trade, { avg: number; count: number }>({
 *     ...,
 *     aggregates: { avg: Aggregates.avg((t) => t.price), count: Aggregates.count() },
 *   });
 */
export const Aggregates = { count, sum, min, max, avg, first, last, stddev, sma, ema, running } as const;
