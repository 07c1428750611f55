/**
 * Item faults that damage one field: what a real source sends on a bad day, and what ingest must
 * count and dead-letter rather than crash on. Which field and how is decided by one hash, so the
 * same position in a feed is always damaged the same way.
 */

export interface CorruptionSpec {
  /** Numeric fields, the main measurement first. */
  numbers: readonly string[];
  /** The event time field and how a correct one is written. */
  time: { field: string; format: 'epochMs' | 'iso' };
  /** Text fields that can come empty. */
  strings: readonly string[];
  /** Wrong spellings of enum-like text fields, e.g. side "BUY " with the seed CSV's trailing space. */
  misspell?: Readonly<Record<string, (value: string) => readonly string[]>>;
}

type Item = Record<string, unknown>;

/** One field null, empty ("") or missing altogether. */
export function nullify(item: Item, spec: CorruptionSpec, draw: number): Item {
  const fields = [...spec.numbers, spec.time.field, ...spec.strings];
  const field = fields[draw % fields.length] ?? spec.time.field;
  const copy = { ...item };
  const mode = Math.floor(draw / fields.length) % 3;
  if (mode === 0) copy[field] = null;
  else if (mode === 1) copy[field] = '';
  else delete copy[field];
  return copy;
}

/** One field malformed: numbers as text or "NaN", times in the wrong form or unit, misspelt enums. */
export function malform(item: Item, spec: CorruptionSpec, draw: number): Item {
  const damages: ((copy: Item) => void)[] = [];
  // The main measurement is the most likely victim, as with real sources.
  const main = spec.numbers[0];
  if (main !== undefined) {
    damages.push((copy) => (copy[main] = String(copy[main])));
    damages.push((copy) => (copy[main] = 'NaN'));
  }
  for (const field of spec.numbers.slice(1)) damages.push((copy) => (copy[field] = String(copy[field])));
  const { field: timeField, format } = spec.time;
  damages.push((copy) => (copy[timeField] = wrongTimeForm(copy[timeField], format)));
  damages.push((copy) => (copy[timeField] = wrongTimeUnit(copy[timeField], format)));
  damages.push((copy) => (copy[timeField] = 'not-a-time'));
  for (const [field, spellings] of Object.entries(spec.misspell ?? {})) {
    damages.push((copy) => {
      const options = spellings(String(copy[field]));
      copy[field] = options[Math.floor(draw / 64) % options.length] ?? copy[field];
    });
  }
  const copy = { ...item };
  damages[draw % damages.length]?.(copy);
  return copy;
}

/** The time as the other kind of text: an epoch becomes ISO text, ISO loses its `T`, `Z` and milliseconds. */
function wrongTimeForm(value: unknown, format: 'epochMs' | 'iso'): unknown {
  if (format === 'epochMs') return typeof value === 'number' ? new Date(value).toISOString() : value;
  return typeof value === 'string' ? value.replace('T', ' ').replace(/\.\d{3}Z$/, '') : value;
}

/** The time in the wrong unit: epoch seconds instead of milliseconds, or an epoch number instead of ISO text. */
function wrongTimeUnit(value: unknown, format: 'epochMs' | 'iso'): unknown {
  if (format === 'epochMs') return typeof value === 'number' ? value / 1000 : value;
  return typeof value === 'string' ? Date.parse(value) : value;
}
