// Bad records written straight onto every raw topic, as a broken or hostile producer would: malformed
// JSON, a record close to Kafka's size limit, wrongly typed fields, an unknown schema version, and a
// record that is not JSON at all. The processor must dead-letter each one on dlq.processor with its
// reason, keep running, and write nothing for them on the processed topics.
import {
  DeadLetterStage,
  SCHEMA_VERSION,
  topicNamer,
  type DeadLetter,
  type TopicSpec,
} from '@tideline/contracts';
import { collectMessages, createReliableProducer, ensureTopics } from '@tideline/kafka';
import { startTidelineProcessor } from '../../lib/tideline-processor.ts';
import { benchNamespace } from '../../lib/stack.ts';
import { Expect, Part, type CaseResult, type Scenario } from '../scenario.ts';

interface BadRecord {
  name: string;
  key: string;
  value: string;
}

function badRecordsFor(topic: string, spec: TopicSpec, caseTag: (i: number) => string): BadRecord[] {
  const base = (tag: string): Record<string, unknown> => {
    const eventTimeMs = Date.now();
    if (spec.kind === 'raw' && spec.feed === 'geotech') {
      return {
        schemaVersion: SCHEMA_VERSION,
        eventId: tag,
        feed: 'geotech',
        instrumentId: tag,
        instrumentType: spec.instrumentType,
        value: 1.5,
        unit: 'm',
        eventTimeMs,
        source: 'reliability',
      };
    }
    if (spec.kind === 'raw' && spec.feed === 'market') {
      return {
        schemaVersion: SCHEMA_VERSION,
        eventId: tag,
        feed: 'market',
        symbol: 'RELY',
        side: 'BUY',
        price: 1.5,
        quantity: 1,
        eventTimeMs,
        source: tag,
      };
    }
    return {
      schemaVersion: SCHEMA_VERSION,
      eventId: tag,
      feed: 'sensors',
      nodeId: tag,
      temperatureC: 21.5,
      eventTimeMs,
      source: 'reliability',
    };
  };
  const numberField = spec.kind === 'raw' && spec.feed === 'market' ? 'price' : 'value';
  const records: BadRecord[] = [];
  const add = (name: string, value: (tag: string) => string) => {
    const tag = caseTag(records.length);
    records.push({ name: `${topic}: ${name}`, key: tag, value: value(tag) });
  };
  add('malformed JSON', (tag) => `{"eventId":"${tag}","schemaVersion":1,`);
  add('not JSON at all', (tag) => `${tag}\u0000\u0001\u0002 binary junk`);
  add('a JSON array', (tag) => JSON.stringify([tag, 1, 2]));
  add('wrongly typed field', (tag) =>
    JSON.stringify({ ...base(tag), [numberField]: 'abc', eventTimeMs: 'now' }),
  );
  add('unknown schema version', (tag) => JSON.stringify({ ...base(tag), schemaVersion: 999 }));
  add('unknown extra field', (tag) => JSON.stringify({ ...base(tag), admin: true }));
  add('record of 900 KB', (tag) => JSON.stringify({ ...base(tag), source: `${tag}${'X'.repeat(900_000)}` }));
  return records;
}

export const rawTopicBadRecords: Scenario = {
  name: 'bad records on every raw topic',
  description:
    'malformed, 900 KB, wrongly typed, unknown-version and non-JSON records straight onto each raw topic: dead letters on dlq.processor, no crash',
  requires: [Part.processor],
  timeoutMs: 180_000,
  async run({ kafka, tag, claimNamespace, services }) {
    const namespace = benchNamespace();
    claimNamespace(namespace);
    const names = topicNamer(namespace);
    const admin = kafka.admin();
    await admin.connect();
    const rawTopics = names.rawTopics();
    await ensureTopics(
      admin,
      rawTopics.map((topic) => ({ topic, partitions: 1 })),
    ).finally(() => admin.disconnect());
    const caseTag = (i: number) => `${tag}R${i}Z`;
    const records: BadRecord[] = [];
    for (const topic of rawTopics) {
      const spec = names.parseTopicName(topic);
      if (!spec) continue;
      const mine = badRecordsFor(topic, spec, (i) => caseTag(records.length + i));
      records.push(...mine);
      const producer = createReliableProducer(kafka);
      await producer.connect();
      await producer
        .send({ topic, acks: -1, messages: mine.map(({ key, value }) => ({ key, value })) })
        .finally(() => producer.disconnect());
    }
    const processor = await startTidelineProcessor({
      namespace,
      guarantee: 'exactly-once',
      jobs: [],
      symbols: [],
      root: services.rootOf(Part.processor),
    });
    const dlq = names.topicName({ kind: 'dlq', stage: DeadLetterStage.processor });
    const deadLetters = await collectMessages(kafka, {
      topic: dlq,
      until: (seen) => seen.length >= records.length,
      timeoutMs: 60_000,
    });
    const crashed = await processor.crashed();
    await processor.stop();
    const payloads = deadLetters.map((m) => JSON.parse(m.value ?? '{}') as DeadLetter);
    const cases: CaseResult[] = records.map((record, i) => {
      const mine = caseTag(i);
      const dead = payloads.filter((d) => d.rawPayload.includes(mine));
      return {
        name: record.name,
        expected: Expect.deadLetter,
        got: dead.length === 0 ? 'no dead letter' : dead.map((d) => d.reasonCode).join(', '),
        ok: dead.length > 0,
        deadLetters: dead.length,
      };
    });
    return { cases, crashes: crashed ? ['processor'] : [], figures: { 'dead letters': deadLetters.length } };
  },
};
