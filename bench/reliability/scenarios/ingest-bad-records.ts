// Bad records for every raw topic, through ingest's upload routes (the geotechnical envelope per
// instrument type, the trades CSV, the sensor batch): malformed, oversized and wrongly typed records.
// Each must end in a 4xx or a dead letter on dlq.ingest carrying the record, and none may reach a raw
// topic or crash ingest. (A wrong schema version cannot be sent this way: ingest stamps the version
// itself. It is a case of the raw-topic scenario, where records bypass ingest.)
import { DeadLetterStage, InstrumentType, topicNamer, valuesOf, type DeadLetter } from '@tideline/contracts';
import { collectMessages, endOffsets } from '@tideline/kafka';
import { judge, send, type HttpAnswer, type HttpProbe } from '../http-probe.ts';
import { Expect, Part, type CaseResult, type Scenario } from '../scenario.ts';

/** Ingest writes the plain topic names until it takes a TOPIC_NAMESPACE; payloads carry the run's tag. */
const INGEST_NAMESPACE = '';
const big = (n: number) => 'X'.repeat(n);
const iso = () => new Date().toISOString();

function probesFor(caseTag: (i: number) => string): HttpProbe[] {
  const probes: HttpProbe[] = [];
  const json = { 'content-type': 'application/json' };
  const csv = { 'content-type': 'text/csv' };
  for (const type of valuesOf(InstrumentType)) {
    const path = '/v1/ingest/geotech/envelope';
    const item = (over: Record<string, unknown>) => ({
      borehole_number: 'BH-1',
      instrument: type,
      reading: 1.5,
      timestamp: iso(),
      surface_level: 10,
      northing: 1,
      easting: 1,
      ...over,
    });
    const envelope = (over: Record<string, unknown>) =>
      JSON.stringify({ instruments: type, units: 'm', timezone: 'UTC', items: [item(over)] });
    probes.push(
      {
        name: `raw.geotech.${type}: malformed JSON`,
        expected: Expect.clientErrorOrDeadLetter,
        method: 'POST',
        path,
        headers: json,
        body: `{"items":[{"borehole_number":"${caseTag(probes.length)}"`,
      },
      {
        name: `raw.geotech.${type}: reading as text`,
        expected: Expect.clientErrorOrDeadLetter,
        method: 'POST',
        path,
        headers: json,
        body: envelope({ borehole_number: caseTag(probes.length + 1), reading: 'abc' }),
      },
      {
        name: `raw.geotech.${type}: instrument id of 10 KB`,
        expected: Expect.clientErrorOrDeadLetter,
        method: 'POST',
        path,
        headers: json,
        body: envelope({ borehole_number: caseTag(probes.length + 2) + big(10_000) }),
      },
      {
        name: `raw.geotech.${type}: timestamp as a number`,
        expected: Expect.clientErrorOrDeadLetter,
        method: 'POST',
        path,
        headers: json,
        body: envelope({ borehole_number: caseTag(probes.length + 3), timestamp: 1_700_000_000_000 }),
      },
    );
  }
  const trades = '/v1/ingest/market/trades-csv';
  const now = Date.now();
  probes.push(
    {
      name: 'raw.market.trades: row of 4 fields',
      expected: Expect.clientErrorOrDeadLetter,
      method: 'POST',
      path: trades,
      headers: csv,
      body: `${caseTag(probes.length)},BUY,1.5,10`,
    },
    {
      name: 'raw.market.trades: price as text',
      expected: Expect.clientErrorOrDeadLetter,
      method: 'POST',
      path: trades,
      headers: csv,
      body: `${caseTag(probes.length + 1)},BUY,abc,10,${now},x`,
    },
    {
      name: 'raw.market.trades: symbol of 10 KB',
      expected: Expect.clientErrorOrDeadLetter,
      method: 'POST',
      path: trades,
      headers: csv,
      body: `${caseTag(probes.length + 2)}${big(10_000)},SELL,1.5,10,${now},x`,
    },
    {
      name: 'raw.market.trades: SQL in the symbol',
      expected: Expect.clientErrorOrDeadLetter,
      method: 'POST',
      path: trades,
      headers: csv,
      body: `${caseTag(probes.length + 3)}'; DROP TABLE trades;--,BUY,1.5,10,${now},x`,
    },
    {
      name: 'raw.market.trades: bytes that are not UTF-8',
      expected: Expect.clientErrorOrDeadLetter,
      method: 'POST',
      path: trades,
      headers: csv,
      body: Buffer.concat([
        Buffer.from(caseTag(probes.length + 4)),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
        Buffer.from(`,BUY,1.5,10,${now},x`),
      ]),
    },
  );
  const sensors = '/v1/ingest/sensors/batch';
  const reading = (over: Record<string, unknown>) =>
    JSON.stringify([
      {
        topic: 'edge',
        qos: 0,
        broker_publish_time: '2026-01-01 00:00:00',
        broker_name: 'b',
        temperature: 21.5,
        node_name: 'n1',
        ...over,
      },
    ]);
  probes.push(
    {
      name: 'raw.sensors.temperature: malformed JSON',
      expected: Expect.clientErrorOrDeadLetter,
      method: 'POST',
      path: sensors,
      headers: json,
      body: `[{"node_name":"${caseTag(probes.length)}",`,
    },
    {
      name: 'raw.sensors.temperature: temperature as text',
      expected: Expect.clientErrorOrDeadLetter,
      method: 'POST',
      path: sensors,
      headers: json,
      body: reading({ node_name: caseTag(probes.length + 1), temperature: 'hot' }),
    },
    {
      name: 'raw.sensors.temperature: node name of 10 KB',
      expected: Expect.clientErrorOrDeadLetter,
      method: 'POST',
      path: sensors,
      headers: json,
      body: reading({ node_name: caseTag(probes.length + 2) + big(10_000) }),
    },
    {
      name: 'raw.sensors.temperature: an object, not an array',
      expected: Expect.clientErrorOrDeadLetter,
      method: 'POST',
      path: sensors,
      headers: json,
      body: JSON.stringify({ node_name: caseTag(probes.length + 3) }),
    },
  );
  return probes;
}

export const ingestBadRecords: Scenario = {
  name: 'bad records through ingest',
  description:
    'malformed, oversized and wrongly typed records for every raw topic: 4xx or a dead letter, nothing on a raw topic, no crash',
  requires: [Part.ingest],
  timeoutMs: 120_000,
  async run({ services, tag, kafka, brokers }) {
    const names = topicNamer(INGEST_NAMESPACE);
    const dlq = names.topicName({ kind: 'dlq', stage: DeadLetterStage.ingest });
    const rawTopics = names.rawTopics();
    const admin = kafka.admin();
    await admin.connect();
    const from = await endOffsets(admin, [dlq, ...rawTopics]).finally(() => admin.disconnect());
    const ingest = await services.start('ingest', (port) => ({
      INGEST_PORT: String(port),
      INGEST_LOG_LEVEL: 'error',
      INGEST_FEEDS: '',
      INGEST_KAFKA_BROKERS: brokers.join(','),
      INGEST_CURSOR_KEY: `reliability:${tag}:cursors`,
    }));
    // Tags end in a letter, so `...c1` is never a prefix of `...c10` inside a payload.
    const caseTag = (i: number) => `${tag}C${i}Z`;
    const probes = probesFor(caseTag);
    const answers: HttpAnswer[] = [];
    for (const probe of probes) {
      answers.push(await send(ingest.url, probe).catch(() => ({ status: 0, code: undefined })));
    }
    const read = (topic: string) =>
      collectMessages(kafka, { topic, from: from.get(topic), until: () => false, timeoutMs: 4000 });
    const [deadLetters, ...raw] = await Promise.all([read(dlq), ...rawTopics.map(read)]);
    const payloads = (deadLetters ?? []).map(
      (m) => (JSON.parse(m.value ?? '{}') as DeadLetter).rawPayload ?? '',
    );
    const rawValues = raw.flat().map((m) => m.value ?? '');
    const cases: CaseResult[] = probes.map((probe, i) => {
      const mine = caseTag(i);
      const dead = payloads.filter((p) => String(p).includes(mine)).length;
      const leaked = rawValues.filter((v) => v.includes(mine)).length;
      const result = judge(probe, answers[i] ?? { status: 0, code: undefined }, dead);
      return leaked === 0
        ? result
        : { ...result, ok: false, got: `${result.got}, ${leaked} record(s) on a raw topic` };
    });
    const crashes = (await ingest.crashed()) ? ['ingest'] : [];
    await ingest.stop();
    return {
      cases,
      crashes,
      figures: { 'dead letters read back': cases.reduce((n, c) => n + (c.deadLetters ?? 0), 0) },
    };
  },
};
