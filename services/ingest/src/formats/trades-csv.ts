import { Feed, SCHEMA_VERSION, type RawEventDraft, type TradeSide } from '@tideline/contracts';
import { IngestReason } from '../errors.ts';
import type { Normalized } from './normalized.ts';

/**
 * Reads trades as the original market project wrote them, one per line, no header:
 * `stockName,tradeType,price,quantity,epochMillis,readable`. `tradeType` is `"BUY "` (trailing space)
 * or `"SELL"`; `readable` is local time and ignored in favour of `epochMillis`. A header line, blank
 * lines and CRLF endings are tolerated; any other unreadable line is rejected on its own.
 */
export function readTradesCsv(text: string, source: string): Normalized {
  const out: Normalized = { drafts: [], rejected: [] };
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    if (line.trim() === '' || /^\s*stockName\s*,/i.test(line)) continue;
    const fields = line.split(',');
    if (fields.length !== 6) {
      out.rejected.push({
        reasonCode: IngestReason.badCsvRow,
        reason: `expected 6 comma-separated fields, got ${fields.length}`,
        rawPayload: line,
      });
      continue;
    }
    const [symbol, side, price, quantity, epochMillis] = fields as [string, string, string, string, string];
    const eventTimeMs = strictNumber(epochMillis);
    if (eventTimeMs === undefined || !Number.isInteger(eventTimeMs)) {
      out.rejected.push({
        reasonCode: IngestReason.badTimestamp,
        reason: `epochMillis ${JSON.stringify(epochMillis)} is not an integer`,
        rawPayload: line,
      });
      continue;
    }
    const draft = {
      schemaVersion: SCHEMA_VERSION,
      feed: Feed.market,
      symbol: symbol.trim(),
      side: side.trim().toUpperCase() as TradeSide,
      // Unreadable numbers stay NaN so the contracts reject the record and name the field.
      price: strictNumber(price) ?? Number.NaN,
      quantity: strictNumber(quantity) ?? Number.NaN,
      eventTimeMs,
      source,
    } satisfies RawEventDraft;
    out.drafts.push(draft);
  }
  return out;
}

/** Number() without its surprises: '' and whitespace are not 0, and only plain decimals count. */
function strictNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^-?\d+(\.\d+)?$/.test(trimmed)) return undefined;
  return Number(trimmed);
}
