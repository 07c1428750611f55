import { Tokenizer, TokenParser, TokenType } from '@streamparser/json';
import { IngestReason } from '../errors.ts';
import { PayloadError, type RecordSink } from './record-sink.ts';

export interface JsonItemsOptions {
  /** The document's top level: an object with an `items` array (the envelope) or an array. */
  root: 'envelope' | 'array';
  /** Called with each item as soon as it is parsed. */
  onItem: (item: unknown) => void;
  /** Called with the envelope's `units` (envelopes only). */
  onUnits?: (units: unknown) => void;
}

/**
 * Streams the items out of a JSON document without holding the document: @streamparser/json emits
 * each element of `items` (or of the top-level array) and forgets it. The top-level shape is checked
 * from the tokens: an envelope without an `items` array, or an array where an envelope was expected,
 * is a PayloadError once the reader knows it (items read before that were passed on).
 */
export async function readJsonItems(
  chunks: AsyncIterable<Buffer>,
  sink: RecordSink,
  options: JsonItemsOptions,
): Promise<void> {
  const tokenizer = new Tokenizer();
  const parser = new TokenParser({
    paths: options.root === 'envelope' ? ['$.items.*', '$.units'] : ['$.*'],
    keepStack: false,
  });
  let depth = 0;
  let rootToken: TokenType | undefined;
  let keyAtDepth1: string | undefined;
  let expectKey = false;
  let itemsIsArray = false;
  let sawEnd = false;
  tokenizer.onToken = (info) => {
    const { token } = info;
    if (rootToken === undefined) rootToken = token;
    if (depth === 1 && rootToken === TokenType.LEFT_BRACE) {
      if (token === TokenType.STRING && expectKey) keyAtDepth1 = info.value as string;
      if (token === TokenType.LEFT_BRACKET && keyAtDepth1 === 'items') itemsIsArray = true;
      expectKey = token === TokenType.COMMA;
    }
    if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) {
      depth++;
      if (depth === 1) expectKey = token === TokenType.LEFT_BRACE;
    } else if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) {
      depth--;
    }
    parser.write(info);
  };
  parser.onValue = ({ value, key }) => {
    if (key === 'units') options.onUnits?.(value);
    else options.onItem(value);
  };
  parser.onEnd = () => {
    sawEnd = true;
  };
  const checkRoot = () => {
    if (rootToken === undefined) return;
    const wanted = options.root === 'envelope' ? TokenType.LEFT_BRACE : TokenType.LEFT_BRACKET;
    if (rootToken !== wanted) {
      throw new PayloadError(
        IngestReason.badEnvelope,
        options.root === 'envelope'
          ? 'expected an object with an items array'
          : 'expected an array of readings',
      );
    }
  };
  for await (const chunk of chunks) {
    try {
      tokenizer.write(chunk);
    } catch (error) {
      checkRoot();
      throw malformed(error);
    }
    checkRoot();
    if (sink.full) await sink.flush();
  }
  try {
    tokenizer.end();
  } catch (error) {
    throw malformed(error);
  }
  if (rootToken === undefined || !sawEnd)
    throw new PayloadError(IngestReason.malformedJson, 'the body holds no JSON document');
  checkRoot();
  if (options.root === 'envelope' && !itemsIsArray) {
    throw new PayloadError(IngestReason.badEnvelope, 'expected an object with an items array');
  }
}

function malformed(error: unknown): PayloadError {
  return new PayloadError(IngestReason.malformedJson, error instanceof Error ? error.message : String(error));
}
