import { test } from 'node:test';
import assert from 'node:assert/strict';
import { partitionKeyFor, validateRawEvent, withEventId } from '@tideline/contracts';
import { CollectingSink, readWhole } from '../../../src/formats/record-sink.ts';
import { readTradesCsv } from '../../../src/formats/trades-csv.ts';
import { seedFile } from '../../support.ts';

test('readTradesCsv reads the sample trades, trailing-space sides included', async () => {
  const { drafts, rejected } = await readWhole(
    readTradesCsv,
    await seedFile('market/sample_trades.csv'),
    'test',
  );
  assert.equal(rejected.length, 0);
  assert.equal(drafts.length, 9);
  const second = drafts[1];
  assert.ok(second?.feed === 'market');
  assert.deepEqual(
    {
      symbol: second.symbol,
      side: second.side,
      price: second.price,
      quantity: second.quantity,
      t: second.eventTimeMs,
    },
    { symbol: 'AGL', side: 'BUY', price: 496.53, quantity: 233, t: 1534849272066 },
  );
  assert.deepEqual(
    drafts.map((d) => partitionKeyFor(d)),
    ['AMC', 'AGL', 'AGL', 'AMC', 'AGL', 'ANZ', 'ANZ', 'ANZ', 'AGL'],
  );
  for (const draft of drafts) assert.equal(validateRawEvent(withEventId(draft)).ok, true);
});

test('readTradesCsv rejects short rows and bad times, and leaves bad prices to the contracts', async () => {
  const { drafts, rejected } = await readWhole(
    readTradesCsv,
    'AGL,BUY,1.0\nAGL,SELL,2.0,5,soon,x\nAGL,SELL,abc,5,1534849272066,x\n',
    't',
  );
  assert.deepEqual(
    rejected.map((r) => r.reasonCode),
    ['INGEST_ERR_BAD_CSV_ROW', 'INGEST_ERR_BAD_TIMESTAMP'],
  );
  assert.equal(drafts.length, 1);
  const checked = validateRawEvent(withEventId(drafts[0]!));
  assert.equal(checked.ok, false);
  assert.ok(!checked.ok && checked.errors.some((e) => e.path === '/price'));
});

test('readTradesCsv reads the same rows whatever the chunk boundaries (CRLF and a line without its newline)', async () => {
  const text = Buffer.from(
    `${(await seedFile('market/sample_trades.csv')).replace(/\n/g, '\r\n')}AGL,SELL,1.5,2,1534849279000,x`,
  );
  const whole = await readWhole(readTradesCsv, text, 'test');
  assert.equal(whole.drafts.length, 10);
  for (const size of [1, 2, 7, 50, 333]) {
    const sink = new CollectingSink();
    async function* chunks() {
      for (let i = 0; i < text.length; i += size) yield text.subarray(i, i + size);
    }
    await readTradesCsv(chunks(), 'test', sink);
    assert.deepEqual(sink.normalized, whole, `chunks of ${size}`);
  }
});

test('readTradesCsv ends lines at LF or CRLF only, skips empty lines, a header and a leading BOM', async () => {
  const text = [
    '\ufeffstockName,tradeType,price,quantity,epochMillis,readable\n',
    '\n',
    '\r\n',
    'AGL,BUY ,1.5,2,1534849272000,x\r\n',
    'AGL,SELL,1.5,2\r1534849272001,x\n', // a lone CR is text: five fields
    '\r\r\n', // a line holding one CR
    '\ufeffAMC,SELL,2,3,1534849272002,x\n', // a BOM past the body's start is text (trimmed like a space)
    'ANZ,BUY ,3,4,1534849272003,é,€', // the last line, without its newline
  ].join('');
  const { drafts, rejected } = await readWhole(readTradesCsv, text, 't');
  assert.deepEqual(
    drafts.map((d) => (d.feed === 'market' ? [d.symbol, d.side, d.eventTimeMs] : [])),
    [
      ['AGL', 'BUY', 1534849272000],
      ['AMC', 'SELL', 1534849272002],
    ],
  );
  assert.deepEqual(
    rejected.map((r) => [r.reasonCode, r.reason, r.rawPayload]),
    [
      [
        'INGEST_ERR_BAD_CSV_ROW',
        'expected 6 comma-separated fields, got 5',
        'AGL,SELL,1.5,2\r1534849272001,x',
      ],
      [
        'INGEST_ERR_BAD_CSV_ROW',
        'expected 6 comma-separated fields, got 7',
        'ANZ,BUY ,3,4,1534849272003,é,€',
      ],
    ],
  );
});
