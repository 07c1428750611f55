import type { SourceApiMetrics } from '../metrics.ts';
import type { Simulation } from '../simulation.ts';

/** What every route module is given. */
export interface RouteContext {
  sim: Simulation;
  metrics: SourceApiMetrics;
}
