import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ContractError,
  parseTopicName,
  partitionKeyFor,
  processedTopicFor,
  processedTopicPattern,
  rawTopicFor,
  rawTopics,
  sanitizeSymbol,
  topicName,
  topicNamer,
  type InstrumentType,
  type TopicSpec,
} from '../src/index.ts';
import { first, geotechReadings, marketTrades, temperatureReadings } from './fixtures/seed.ts';

const named: [TopicSpec, string][] = [
  [{ kind: 'raw', feed: 'geotech', instrumentType: 'piezometer' }, 'raw.geotech.piezometer'],
  [{ kind: 'raw', feed: 'geotech', instrumentType: 'water_standpipe' }, 'raw.geotech.water_standpipe'],
  [{ kind: 'raw', feed: 'market' }, 'raw.market.trades'],
  [{ kind: 'raw', feed: 'sensors' }, 'raw.sensors.temperature'],
  [{ kind: 'processed', feed: 'geotech', instrumentType: 'strain_gauge' }, 'processed.geotech.strain_gauge'],
  [{ kind: 'processed', feed: 'market', symbol: 'BHP' }, 'processed.market.BHP'],
  [{ kind: 'processed', feed: 'market', symbol: 'BRK.A' }, 'processed.market.BRK.A'],
  [{ kind: 'processed', feed: 'sensors' }, 'processed.sensors.temperature'],
  [{ kind: 'processed', feed: 'market', symbol: 'BHP', version: 2 }, 'processed.market.BHP.v2'],
  [
    { kind: 'processed', feed: 'geotech', instrumentType: 'piezometer', version: 3 },
    'processed.geotech.piezometer.v3',
  ],
  [{ kind: 'alerts', feed: 'geotech' }, 'alerts.geotech'],
  [{ kind: 'alerts', feed: 'market', version: 2 }, 'alerts.market.v2'],
  [{ kind: 'late', job: 'trades-3s-1s.v1' }, 'late.trades-3s-1s.v1'],
  [{ kind: 'dlq', stage: 'ingest' }, 'dlq.ingest'],
  [{ kind: 'changelog', job: 'market.v2' }, 'changelog.market.v2'],
  [{ kind: 'dlq', stage: 'sink-elasticsearch' }, 'dlq.sink-elasticsearch'],
];

test('topicName names every kind of topic', () => {
  for (const [spec, name] of named) assert.equal(topicName(spec), name);
});

test('version 1 is the unsuffixed topic', () => {
  assert.equal(topicName({ kind: 'alerts', feed: 'sensors', version: 1 }), 'alerts.sensors');
});

test('parseTopicName is the inverse of topicName', () => {
  for (const [spec, name] of named) assert.deepEqual(parseTopicName(name), spec, name);
});

test('parseTopicName refuses names topicName never produces', () => {
  for (const name of [
    'raw.geotech.inclinometer',
    'raw.market.quotes',
    'processed.market.bhp',
    'processed.market.',
    'processed.sensors.temperature.v1',
    'alerts.weather',
    'late.',
    'dlq.query-api',
    'something',
    '',
  ]) {
    assert.equal(parseTopicName(name), undefined, name);
  }
});

test('symbols are upper-cased and sanitized to the characters Kafka allows', () => {
  assert.equal(sanitizeSymbol('bhp'), 'BHP');
  assert.equal(sanitizeSymbol('BRK/A'), 'BRK_A');
  assert.equal(sanitizeSymbol(' CBA '), 'CBA');
  assert.equal(sanitizeSymbol('S&P 500'), 'S_P_500');
  assert.equal(topicName({ kind: 'processed', feed: 'market', symbol: 'brk/b' }), 'processed.market.BRK_B');
  assert.throws(() => sanitizeSymbol(' '), ContractError);
});

test('topicName throws a coded ContractError for topics that cannot exist', () => {
  const bad: unknown[] = [
    { kind: 'raw', feed: 'geotech', instrumentType: 'inclinometer' },
    { kind: 'raw', feed: 'weather' },
    { kind: 'late', job: 'has space' },
    { kind: 'late', job: '' },
    { kind: 'dlq', stage: 'query-api' },
    { kind: 'alerts', feed: 'market', version: 0 },
    { kind: 'alerts', feed: 'market', version: 1.5 },
    { kind: 'processed', feed: 'market', symbol: 'X'.repeat(240) },
    { kind: 'nope' },
  ];
  for (const spec of bad) {
    assert.throws(
      () => topicName(spec as TopicSpec),
      (error: unknown) => error instanceof ContractError && error.code === 'CONTRACTS_ERR_TOPIC_NAME',
      JSON.stringify(spec),
    );
  }
});

test('rawTopicFor and partitionKeyFor route each seed event by feed and key', () => {
  const reading = first(geotechReadings());
  const trade = first(marketTrades());
  const temperature = first(temperatureReadings());
  assert.equal(rawTopicFor(reading), 'raw.geotech.water_standpipe');
  assert.equal(partitionKeyFor(reading), 'BH-4493');
  assert.equal(rawTopicFor({ ...reading, instrumentType: 'extensometer' }), 'raw.geotech.extensometer');
  assert.equal(rawTopicFor(trade), 'raw.market.trades');
  assert.equal(partitionKeyFor(trade), 'AMC');
  assert.equal(rawTopicFor(temperature), 'raw.sensors.temperature');
  assert.equal(partitionKeyFor(temperature), 'Node 2');
});

test('processedTopicFor sends geotech by instrument type and trades by symbol', () => {
  assert.equal(processedTopicFor(first(geotechReadings())), 'processed.geotech.water_standpipe');
  assert.equal(processedTopicFor(first(marketTrades())), 'processed.market.AMC');
  assert.equal(processedTopicFor(first(marketTrades()), 2), 'processed.market.AMC.v2');
  assert.equal(processedTopicFor(first(temperatureReadings())), 'processed.sensors.temperature');
});

test('rawTopics lists the seven raw topics once each', () => {
  const topics = rawTopics();
  assert.equal(topics.length, 7);
  assert.equal(new Set(topics).size, 7);
  for (const type of ['water_standpipe', 'piezometer', 'settlement_marker', 'extensometer', 'strain_gauge']) {
    assert.ok(
      topics.includes(topicName({ kind: 'raw', feed: 'geotech', instrumentType: type as InstrumentType })),
    );
  }
});

test('processedTopicPattern matches exactly the processed topics of one version', () => {
  const v1 = processedTopicPattern();
  const market = processedTopicPattern({ feed: 'market' });
  const v2 = processedTopicPattern({ version: 2 });
  assert.ok(v1.test('processed.market.BHP'));
  assert.ok(v1.test('processed.market.BRK.A'));
  assert.ok(v1.test('processed.geotech.piezometer'));
  assert.ok(v1.test('processed.sensors.temperature'));
  assert.ok(!v1.test('processed.market.BHP.v2'));
  assert.ok(!v1.test('raw.market.trades'));
  assert.ok(!v1.test('processed.geotech.inclinometer'));
  assert.ok(market.test('processed.market.CBA'));
  assert.ok(!market.test('processed.geotech.piezometer'));
  assert.ok(v2.test('processed.market.BRK.A.v2'));
  assert.ok(v2.test('processed.geotech.piezometer.v2'));
  assert.ok(!v2.test('processed.market.BHP'));
});

test('a topic namer prefixes every name with its namespace and parses only its own names', () => {
  const namer = topicNamer('t-1a2b');
  assert.equal(namer.topicName({ kind: 'raw', feed: 'market' }), 't-1a2b.raw.market.trades');
  assert.deepEqual(
    namer.rawTopics(),
    rawTopics().map((t) => `t-1a2b.${t}`),
  );
  assert.deepEqual(namer.parseTopicName('t-1a2b.processed.market.BHP.v2'), {
    kind: 'processed',
    feed: 'market',
    symbol: 'BHP',
    version: 2,
  });
  assert.equal(namer.parseTopicName('processed.market.BHP'), undefined);
  assert.equal(namer.processedTopicPattern({ feed: 'market' }).test('t-1a2b.processed.market.BHP'), true);
  assert.equal(namer.processedTopicPattern({ feed: 'market' }).test('processed.market.BHP'), false);
  assert.equal(topicNamer('').topicName({ kind: 'dlq', stage: 'ingest' }), 'dlq.ingest');
  assert.throws(() => topicNamer('a.b'), ContractError);
});
