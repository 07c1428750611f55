import { InstrumentCatalogueSchema, type Instrument } from '@tideline/contracts';
import { Value } from '@sinclair/typebox/value';
import { ProcessorError, ProcessorErrorCodes } from '../errors.ts';
import type { LevelCatalogue } from './compile-job.ts';

/** The instruments' alert and alarm levels from the source's catalogue (`GET /v1/instruments`). */
export async function fetchLevelCatalogue(url: string, timeoutMs = 5000): Promise<LevelCatalogue> {
  let body: unknown;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = await response.json();
  } catch (error) {
    throw new ProcessorError(
      ProcessorErrorCodes.catalogue,
      `cannot load the instrument catalogue from ${url}`,
      {
        cause: error,
        canRetry: true,
      },
    );
  }
  if (!Value.Check(InstrumentCatalogueSchema, body)) {
    throw new ProcessorError(ProcessorErrorCodes.catalogue, `${url} did not answer an instrument catalogue`);
  }
  return levelsOf(body.items);
}

export function levelsOf(instruments: readonly Instrument[]): LevelCatalogue {
  return new Map(
    instruments.map((i) => [
      i.id,
      { alertLevel: i.alertLevel, alarmLevel: i.alarmLevel, levelDirection: i.levelDirection },
    ]),
  );
}
