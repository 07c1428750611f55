import type { RawEventDraft } from '@tideline/contracts';
import type { IngestReason } from '../errors.ts';

/** A record ingest could not turn into a draft, with what it was and why. */
export interface Rejected {
  reasonCode: IngestReason;
  reason: string;
  rawPayload: string;
  /** Where the payload was read from, when it came from a Kafka topic (the legacy `monitoring`). */
  origin?: { topic: string; partition: number; offset: string };
}

/**
 * The result of reading one payload: drafts to validate and produce (they may still be invalid:
 * the contracts decide), and what could not even be read.
 */
export interface Normalized {
  drafts: RawEventDraft[];
  rejected: Rejected[];
}

/** Parses JSON, returning undefined instead of throwing so callers can dead-letter the text. */
export function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The text a dead letter keeps of a record: a string as it came, anything else as JSON with NaN and
 * Infinity written out (JSON.stringify would turn them into null and hide why the record failed).
 */
export function rawPayloadOf(value: unknown): string {
  if (typeof value === 'string') return value;
  const text = JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
  );
  return text ?? String(value);
}
