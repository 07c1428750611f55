import type { RawEventDraft } from '@tideline/contracts';
import type { IngestReason } from '../errors.ts';

/** A record ingest could not turn into a draft, with what it was and why. */
export interface Rejected {
  reasonCode: IngestReason;
  reason: string;
  rawPayload: string;
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
