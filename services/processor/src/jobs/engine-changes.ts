import { WindowingEngine, type EngineChangesMeta, type WindowingOptions } from '@tideline/windowing';
import type { Results } from './window-operator.ts';

// The bridge between a windowing engine and the changelog: the engine's meta (watermarks, counters)
// under id '' and each changed key's state under its key (keys are never empty strings).
const META = '';

/** What changed in the engine since the last call, as changelog entries (id, value or null). */
export function takeEngineChanges(engine: WindowingEngine<string, number, Results>): [string, unknown][] {
  const changes = engine.takeChanges();
  const entries: [string, unknown][] = [[META, changes.meta]];
  for (const change of changes.keys) entries.push([change.key, change.state]);
  return entries;
}

/** An engine restored from the latest changelog value of each id. */
export function restoreEngine(
  options: WindowingOptions<number, Results>,
  entries: Iterable<[string, unknown]>,
): WindowingEngine<string, number, Results> {
  let meta: EngineChangesMeta | undefined;
  const keys: [string, unknown][] = [];
  for (const [id, value] of entries) {
    if (id === META) meta = value as EngineChangesMeta;
    else keys.push([id, value]);
  }
  if (meta === undefined) return new WindowingEngine<string, number, Results>(options);
  return WindowingEngine.fromChanges<string, number, Results>(options, meta, keys);
}
