import { Feed, SCHEMA_VERSION, type RawEventDraft, type TradeSide } from '@tideline/contracts';
import { IngestReason } from '../errors.ts';
import type { RecordSink } from './record-sink.ts';

const LF = 0x0a;
const CR = 0x0d;
const BOM = '\ufeff';

/**
 * Reads trades as the original market project wrote them, one per line, no header:
 * `stockName,tradeType,price,quantity,epochMillis,readable`. `tradeType` is `"BUY "` (trailing space)
 * or `"SELL"`; `readable` is local time and ignored in favour of `epochMillis`. A header line, blank
 * lines and CRLF endings are tolerated; any other unreadable line is rejected on its own.
 * Streams: each chunk's complete lines are read as they arrive (the line cut by the chunk's end waits
 * for the next), and the reader waits whenever the sink is full.
 */
export async function readTradesCsv(
  chunks: AsyncIterable<Buffer>,
  source: string,
  sink: RecordSink,
): Promise<void> {
  // The start of a line not yet ended, kept as pieces: a long line is joined once, not per chunk.
  let pending: Buffer[] = [];
  let first = true;
  for await (const chunk of chunks) {
    const end = chunk.lastIndexOf(LF) + 1;
    if (end === 0) {
      pending.push(chunk);
      continue;
    }
    const lines =
      pending.length > 0 ? Buffer.concat([...pending, chunk.subarray(0, end)]) : chunk.subarray(0, end);
    pending = end < chunk.length ? [chunk.subarray(end)] : [];
    readLines(lines.toString('utf8'), first, source, sink);
    first = false;
    if (sink.full) await sink.flush();
  }
  if (pending.length > 0) readLines(Buffer.concat(pending).toString('utf8'), first, source, sink);
}

/**
 * The original files have no quoting: a field is whatever lies between commas, and a line ends at LF
 * or CRLF (both may occur in one file; a lone CR is text). Empty lines are skipped. This is the subset
 * of CSV that csv-parse read here before (quote: false, record_delimiter ['\r\n', '\n']): splitting
 * the decoded text directly costs a fraction of csv-parse's per-byte state machine, which was over a
 * tenth of ingest's CPU in the profile of a 16 MB upload.
 */
function readLines(text: string, first: boolean, source: string, sink: RecordSink): void {
  // Only the body's first bytes can carry a byte-order mark.
  let start = first && text.startsWith(BOM) ? BOM.length : 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const lineEnd = newline === -1 ? text.length : newline;
    const end = newline > start && text.charCodeAt(newline - 1) === CR ? newline - 1 : lineEnd;
    if (end > start) readRow(text.slice(start, end), source, sink);
    start = lineEnd + 1;
  }
}

function readRow(line: string, source: string, sink: RecordSink): void {
  const fields = line.split(',');
  const first = fields[0] ?? '';
  if (fields.length === 1 && first.trim() === '') return;
  if (/^\s*stockName\s*$/i.test(first)) return;
  if (fields.length !== 6) {
    sink.reject({
      reasonCode: IngestReason.badCsvRow,
      reason: `expected 6 comma-separated fields, got ${fields.length}`,
      rawPayload: line,
    });
    return;
  }
  const [symbol, side, price, quantity, epochMillis] = fields as [string, string, string, string, string];
  const eventTimeMs = strictNumber(epochMillis);
  if (eventTimeMs === undefined || !Number.isInteger(eventTimeMs)) {
    sink.reject({
      reasonCode: IngestReason.badTimestamp,
      reason: `epochMillis ${JSON.stringify(epochMillis)} is not an integer`,
      rawPayload: line,
    });
    return;
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
  sink.add(draft);
}

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/** Number() without its surprises: '' and whitespace are not 0, and only plain decimals count. */
function strictNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (!PLAIN_DECIMAL.test(trimmed)) return undefined;
  return Number(trimmed);
}
