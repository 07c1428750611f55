import { Feed, SCHEMA_VERSION, type RawEventDraft, type TradeSide } from '@tideline/contracts';
import type { Options } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { IngestReason } from '../errors.ts';
import type { RecordSink } from './record-sink.ts';

/**
 * The original files have no quoting (a field is whatever lies between commas) and may mix CRLF and
 * LF: csv-parse would otherwise guess the line ending from the first line and read the rest of an
 * LF file as one record.
 */
const CSV_OPTIONS: Options = {
  quote: false,
  record_delimiter: ['\r\n', '\n'],
  relax_column_count: true,
  skip_empty_lines: true,
  bom: true,
};
const CSV_OPTIONS_AFTER_FIRST: Options = { ...CSV_OPTIONS, bom: false };

/**
 * Reads trades as the original market project wrote them, one per line, no header:
 * `stockName,tradeType,price,quantity,epochMillis,readable`. `tradeType` is `"BUY "` (trailing space)
 * or `"SELL"`; `readable` is local time and ignored in favour of `epochMillis`. A header line, blank
 * lines and CRLF endings are tolerated; any other unreadable line is rejected on its own.
 * Streams: each chunk's complete lines are parsed by csv-parse as they arrive (the line cut by the
 * chunk's end waits for the next), and the reader waits whenever the sink is full. csv-parse's
 * synchronous API on whole lines costs less per row than its stream (no Transform, no read() per row),
 * which showed in the profile of a 16 MB upload.
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
    const end = chunk.lastIndexOf(0x0a) + 1;
    if (end === 0) {
      pending.push(chunk);
      continue;
    }
    const lines =
      pending.length > 0 ? Buffer.concat([...pending, chunk.subarray(0, end)]) : chunk.subarray(0, end);
    pending = end < chunk.length ? [chunk.subarray(end)] : [];
    readRows(lines, first, source, sink);
    first = false;
    if (sink.full) await sink.flush();
  }
  if (pending.length > 0) readRows(Buffer.concat(pending), first, source, sink);
}

function readRows(lines: Buffer, first: boolean, source: string, sink: RecordSink): void {
  // Only the body's first bytes can carry a byte-order mark.
  const rows = parse(lines, first ? CSV_OPTIONS : CSV_OPTIONS_AFTER_FIRST);
  for (const row of rows) readRow(row, source, sink);
}

function readRow(fields: string[], source: string, sink: RecordSink): void {
  const first = fields[0] ?? '';
  if (fields.length === 1 && first.trim() === '') return;
  if (/^\s*stockName\s*$/i.test(first)) return;
  const line = fields.join(',');
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
