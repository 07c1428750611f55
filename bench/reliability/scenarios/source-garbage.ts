// A source that answers garbage: items with null and malformed fields, and requests that fail with
// 500. Ingest polls it for a few seconds: bad items become dead letters, failed polls are retried,
// valid items still reach Kafka, and ingest neither crashes nor stops answering.
import { counterSum } from '../../../scripts/lib/service-process.ts';
import { Expect, Part, type CaseResult, type Scenario } from '../scenario.ts';

const POLL_SECONDS = 8;

export const sourceGarbage: Scenario = {
  name: 'source answers garbage',
  description: `ingest polls a source with 20% null, 20% malformed items and 20% failed requests for ${POLL_SECONDS} s: dead letters, retries, no crash`,
  requires: [Part.sourceApi, Part.ingest],
  timeoutMs: 90_000,
  async run({ services, tag, brokers }) {
    // Symbols of this run only (ingest writes the plain raw.market.trades until it takes a namespace).
    const letters = tag
      .replace(/[^A-Z]/gi, '')
      .toUpperCase()
      .slice(0, 4)
      .padEnd(4, 'Q');
    const source = await services.start('source-api', (port) => ({
      SOURCE_API_PORT: String(port),
      SOURCE_API_LOG_LEVEL: 'error',
      SOURCE_API_SYMBOLS: `R${letters}A,R${letters}B`,
      SOURCE_API_MARKET_INTERVAL_MS: '50',
      SOURCE_API_HISTORY_MS: '5000',
      SOURCE_API_FAULT_NULL_RATE: '0.2',
      SOURCE_API_FAULT_MALFORMED_RATE: '0.2',
      SOURCE_API_FAULT_ERROR_RATE: '0.2',
    }));
    const ingest = await services.start('ingest', (port) => ({
      INGEST_PORT: String(port),
      INGEST_LOG_LEVEL: 'error',
      INGEST_FEEDS: 'market',
      INGEST_POLL_INTERVAL_MS: '100',
      INGEST_RETRY_MAX_MS: '500',
      INGEST_KAFKA_BROKERS: brokers.join(','),
      INGEST_SOURCE_URL: source.url,
      INGEST_CURSOR_KEY: `reliability:${tag}:cursors`,
    }));
    await new Promise((resolve) => setTimeout(resolve, POLL_SECONDS * 1000));
    const figures = {
      produced: await counterSum(ingest.url, 'tideline_ingest_events_produced_total'),
      'dead-lettered': await counterSum(ingest.url, 'tideline_ingest_dead_lettered_total'),
      'failed polls': await counterSum(ingest.url, 'tideline_ingest_source_errors_total'),
    };
    const crashes = [];
    for (const service of [ingest, source]) if (await service.crashed()) crashes.push(service.name);
    await ingest.stop();
    await source.stop();
    const count = (name: string, value: number): CaseResult => ({
      name,
      expected: Expect.deadLetter,
      got: String(value),
      ok: value > 0,
    });
    const cases: CaseResult[] = [
      count('bad items dead-lettered', figures['dead-lettered']),
      { ...count('failed polls retried', figures['failed polls']), expected: Expect.not5xx },
      { ...count('valid items still produced', figures.produced), expected: Expect.not5xx },
    ];
    return { cases, crashes, figures };
  },
};
