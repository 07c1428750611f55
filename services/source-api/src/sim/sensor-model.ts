import { gaussian, hashString, roundTo, Stream, uniform, valueNoise } from './random.ts';

/** One edge temperature node. The original nodes report every 5, 7 and 11 seconds. */
export interface SensorNode {
  nodeId: string;
  entity: number;
  periodS: number;
  /** Second within the period at which the node reports. */
  phaseS: number;
}

export const DEFAULT_NODES = [
  { nodeId: 'Node 1', periodS: 5 },
  { nodeId: 'Node 2', periodS: 7 },
  { nodeId: 'Node 3', periodS: 11 },
] as const;

const DAY_MS = 86_400_000;
const DRIFT_SCALE_MS = 30 * 60_000;
/** A node is silent for whole buckets of this length, so consumers see real gaps (missing-data alerts). */
export const DROPOUT_BUCKET_MS = 10 * 60_000;

export function sensorNodes(seed: number): SensorNode[] {
  return DEFAULT_NODES.map(({ nodeId, periodS }) => {
    const entity = hashString(nodeId);
    return {
      nodeId,
      entity,
      periodS,
      phaseS: Math.floor(uniform(seed, Stream.sensorPhase, entity) * periodS),
    };
  });
}

/** Whether a node reports in the given second (its period, phase, and its dropouts). */
export function reportsAt(
  seed: number,
  node: SensorNode,
  second: number,
  dropoutProbability: number,
): boolean {
  if ((second + node.phaseS) % node.periodS !== 0) return false;
  const bucket = Math.floor((second * 1000) / DROPOUT_BUCKET_MS);
  return uniform(seed, Stream.sensorDropout, node.entity, bucket) >= dropoutProbability;
}

/** Milliseconds after the whole second at which the report carries its time (gateways are not punctual). */
export function reportJitterMs(seed: number, node: SensorNode, second: number): number {
  return Math.floor(uniform(seed, Stream.sensorJitter, node.entity, second) * 400);
}

/**
 * Temperature at a time, 0 to 10 °C like the original nodes: a daily cycle, a slower drift and
 * sensor noise, to three decimals.
 */
export function temperatureAt(seed: number, node: SensorNode, timeMs: number): number {
  const dayPhase = uniform(seed, Stream.sensorDrift, node.entity, -1) * 2 * Math.PI;
  const value =
    5 +
    2.5 * Math.sin((2 * Math.PI * timeMs) / DAY_MS + dayPhase) +
    1.2 * valueNoise(seed, Stream.sensorDrift, node.entity, timeMs / DRIFT_SCALE_MS) +
    0.15 * gaussian(seed, Stream.noise, node.entity, timeMs);
  return roundTo(Math.min(10, Math.max(0, value)), 3);
}
