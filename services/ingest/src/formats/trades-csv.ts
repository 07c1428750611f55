import { Feed, SCHEMA_VERSION, type RawEventDraft, type TradeSide } from '@tideline/contracts';
import { parse, type Options } from 'csv-parse';
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

/**
 * Reads trades as the original market project wrote them, one per line, no header:
 * `stockName,tradeType,price,quantity,epochMillis,readable`. `tradeType` is `"BUY "` (trailing space)
 * or `"SELL"`; `readable` is local time and ignored in favour of `epochMillis`. A header line, blank
 * lines and CRLF endings are tolerated; any other unreadable line is rejected on its own.
 * Streams: rows go to the sink as each chunk is parsed, and the reader waits whenever the sink is full.
 */
export async function readTradesCsv(
  chunks: AsyncIterable<Buffer>,
  source: string,
  sink: RecordSink,
): Promise<void> {
  const parser = parse(CSV_OPTIONS);
  let failure: unknown;
  parser.on('error', (error: unknown) => (failure ??= error));
  const drain = () => {
    for (let row = parser.read() as string[] | null; row !== null; row = parser.read() as string[] | null) {
      readRow(row, source, sink);
    }
    if (failure !== undefined) throw failure;
  };
  try {
    for await (const chunk of chunks) {
      parser.write(chunk);
      drain();
      if (sink.full) await sink.flush();
    }
  } catch (error) {
    parser.destroy();
    throw error;
  }
  parser.end();
  for await (const row of parser) readRow(row as string[], source, sink);
  if (failure !== undefined) throw failure;
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
