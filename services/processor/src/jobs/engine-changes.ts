import { WindowingEngine, type EngineSnapshot, type WindowingOptions } from '@tideline/windowing';
import type { Results } from './window-operator.ts';

// The bridge between a windowing engine and the changelog: the engine's meta under id '' and each
// changed key's state under its key (keys are never empty strings).
const META = '';

/** What changed in the engine since the last call, as changelog entries (id, value or null). */
export function takeEngineChanges(engine: WindowingEngine<string, number, Results>): [string, unknown][] {
  return [[META, engine.snapshot()]];
}

/** An engine restored from the latest changelog value of each id. */
export function restoreEngine(
  options: WindowingOptions<number, Results>,
  entries: Iterable<[string, unknown]>,
): WindowingEngine<string, number, Results> {
  for (const [id, value] of entries) {
    if (id === META) return WindowingEngine.fromSnapshot(options, value as EngineSnapshot);
  }
  return new WindowingEngine<string, number, Results>(options);
}
