import type { SourceTemperature } from '@tideline/contracts';
import { hashString } from '../sim/random.ts';
import {
  reportJitterMs,
  reportsAt,
  sensorNodes,
  temperatureAt,
  type SensorNode,
} from '../sim/sensor-model.ts';
import type { Entry, FeedModel } from './feed.ts';

export interface SensorFeedOptions {
  seed: number;
  /** Probability that a node is silent for a whole 10-minute bucket. */
  dropoutProbability: number;
}

const SECOND_MS = 1000;

/** The temperature feed: Node 1, 2 and 3 report every 5, 7 and 11 seconds, with occasional silences. */
export function createSensorFeed(options: SensorFeedOptions): FeedModel<SourceTemperature> {
  const { seed, dropoutProbability } = options;
  const nodes = sensorNodes(seed);
  return {
    feed: 'sensors',
    salt: 3,
    slotMs: SECOND_MS,
    fingerprint: hashString(`sensors|${seed}|${dropoutProbability}`).toString(36),
    entityCount: nodes.length,
    entries(second: number): Entry[] {
      const entries: Entry[] = [];
      for (const [entity, node] of nodes.entries()) {
        if (!reportsAt(seed, node, second, dropoutProbability)) continue;
        const timeMs = second * SECOND_MS + reportJitterMs(seed, node, second);
        entries.push({ entity, timeMs, availableAtMs: timeMs, flags: 0 });
      }
      return entries.sort((a, b) => a.timeMs - b.timeMs || a.entity - b.entity);
    },
    item(entity: number, timeMs: number): SourceTemperature {
      const node = nodes[entity] as SensorNode;
      return { nodeId: node.nodeId, temperatureC: temperatureAt(seed, node, timeMs), eventTimeMs: timeMs };
    },
    corruption: {
      numbers: ['temperatureC'],
      time: { field: 'eventTimeMs', format: 'epochMs' },
      strings: ['nodeId'],
    },
  };
}
