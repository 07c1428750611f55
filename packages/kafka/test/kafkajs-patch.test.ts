// patches/kafkajs@2.2.4.patch: a partition's records written into one encoder, and a record batch
// written once, must give the bytes of kafkajs's own per-record path; CRC-32C eight bytes a step must
// give the checksum; decoded records must carry the offsets, timestamps and headers that were written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Compression } from '../src/index.ts';

interface Encoder {
  buffer: Buffer;
}
interface Message {
  key?: string | Buffer | null;
  value: string | Buffer | null;
  headers?: Record<string, string | Buffer | (string | Buffer)[]>;
}
type RecordFn = ((record: Message & { offsetDelta: number; timestampDelta: number }) => Encoder) & {
  encodeRecords: (messages: Message[], timestampDeltas: number[]) => Encoder;
};
type RecordBatchFn = (options: Record<string, unknown>) => Promise<Encoder>;

// kafkajs is CommonJS and has no exports map: its internals load by path.
const require = createRequire(import.meta.url);
const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as RecordFn;
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
  RecordBatch: RecordBatchFn;
};
const crc32C = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (buffer: Buffer) => number;
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (
  decoder: unknown,
) => Promise<{ records: { offset: string; timestamp: string; headers: Record<string, unknown> }[] }>;
const Decoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => unknown;
const Long = require('kafkajs/src/utils/long.js') as { fromString(text: string): unknown };

/** CRC-32C one bit at a time, from the polynomial (0x82f63b78 reflected): the reference. */
function referenceCrc32C(buffer: Buffer): number {
  let crc = ~0;
  for (const byte of buffer) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return ~crc >>> 0;
}

test('CRC-32C eight bytes a step gives the check value and the bitwise reference at every length', () => {
  assert.equal(crc32C(Buffer.from('123456789')), 0xe3069283);
  let seed = 11;
  const bytes = (length: number) =>
    Buffer.from(Array.from({ length }, () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) & 0xff));
  for (let length = 0; length < 70; length++) {
    const buffer = bytes(length);
    assert.equal(crc32C(buffer), referenceCrc32C(buffer), `length ${length}`);
  }
  const large = bytes(100_003);
  assert.equal(crc32C(large), referenceCrc32C(large));
  // an unaligned view into a larger buffer
  assert.equal(crc32C(large.subarray(3, 5_000)), referenceCrc32C(large.subarray(3, 5_000)));
});

test('decoded records carry their offsets and timestamps, past 2^53 too, and repeated headers', async () => {
  for (const [firstOffset, firstTimestamp] of [
    ['0', 1_534_849_272_066],
    ['123456789012', 1_764_583_200_000],
    ['9007199254740990', 1_764_583_200_000], // offsets cross 2^53: the Long path
  ] as const) {
    const messages: Message[] = [
      { key: 'a', value: 'one', headers: { kind: 'x', many: ['1', '2', '3'] } },
      { key: 'b', value: 'two' },
      { key: null, value: null, headers: { kind: 'y' } },
      { key: 'c', value: 'four' },
    ];
    const deltas = [0, 7, 2 ** 40, 3];
    const encoded = await RecordBatch({
      compression: Compression.none,
      firstOffset: Long.fromString(firstOffset),
      firstTimestamp,
      maxTimestamp: firstTimestamp + 2 ** 40,
      lastOffsetDelta: messages.length - 1,
      records: Record.encodeRecords(messages, deltas),
      recordCount: messages.length,
    });
    const { records } = await decodeRecordBatch(new Decoder(encoded.buffer));
    assert.deepEqual(
      records.map((r) => r.offset),
      messages.map((_, i) => (BigInt(firstOffset) + BigInt(i)).toString()),
    );
    assert.deepEqual(
      records.map((r) => r.timestamp),
      deltas.map((d) => (BigInt(firstTimestamp) + BigInt(d)).toString()),
    );
    const headers = records.map((r) =>
      Object.fromEntries(
        Object.entries(r.headers).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]),
      ),
    );
    assert.deepEqual(headers, [{ kind: 'x', many: ['1', '2', '3'] }, {}, { kind: 'y' }, {}]);
  }
});

test('a record encodes as the protocol says (varint lengths, zigzag deltas, a varlong beyond 32 bits)', () => {
  const small = Record({ offsetDelta: 1, timestampDelta: 300, key: 'k', value: 'v' }).buffer;
  assert.equal(small.toString('hex'), '1200d8040202' + '6b' + '02' + '76' + '00');
  const large = Record({ offsetDelta: 0, timestampDelta: 2 ** 32, key: null, value: null }).buffer;
  // body: attributes, zigzag(2^32) = 2^33 as five varint bytes, offset 0, null key and value, no headers
  assert.equal(large.toString('hex'), '14' + '00' + '8080808020' + '00' + '01' + '01' + '00');
});

test("headers are written in place with the bytes of kafkajs's own Header encoder", () => {
  const Header = require('kafkajs/src/protocol/recordBatch/header/v0/index.js') as (header: {
    key: string;
    value: string | Buffer | null;
  }) => Encoder;
  const one = Record({ offsetDelta: 0, timestampDelta: 0, key: 'k', value: 'v', headers: { h: 'x' } }).buffer;
  // body: attributes, deltas 0 and 0, key, value, one header (key "h", value "x"): 12 bytes
  assert.equal(one.toString('hex'), '18' + '000000' + '026b' + '0276' + '02' + '0268' + '0278');
  const headers = {
    kind: 'window',
    many: ['1', Buffer.from('é')],
    none: null,
  } as unknown as Message['headers'];
  const record = Record({ offsetDelta: 3, timestampDelta: 5, key: null, value: 'v', headers }).buffer;
  const expectedHeaders = Buffer.concat(
    [
      { key: 'kind', value: 'window' },
      { key: 'many', value: '1' },
      { key: 'many', value: Buffer.from('é') },
      { key: 'none', value: null },
    ].map((h) => Header(h).buffer),
  );
  // after the length, attributes, deltas, null key and value: the header count (4, zigzag 08) and headers
  const headerPart = record.subarray(record.indexOf(Buffer.from('0276', 'hex')) + 2);
  assert.equal(headerPart.toString('hex'), '08' + expectedHeaders.toString('hex'));
});

test("a batch of records written into one encoder has the bytes of kafkajs's per-record encoding", async () => {
  let seed = 7;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const text = (length: number) =>
    Array.from({ length }, () =>
      random() < 0.05 ? 'é€' : String.fromCharCode(32 + Math.floor(random() * 90)),
    ).join('');
  for (const compression of [Compression.none, Compression.gzip, Compression.snappy]) {
    for (let round = 0; round < 20; round++) {
      const messages: Message[] = Array.from({ length: 1 + Math.floor(random() * 300) }, () => ({
        key: random() < 0.1 ? null : random() < 0.5 ? text(6) : Buffer.from(text(4)),
        value:
          random() < 0.05 ? null : random() < 0.5 ? text(Math.floor(random() * 500)) : Buffer.from(text(200)),
        ...(random() < 0.2 ? { headers: { 'reason-code': text(8), many: [text(2), Buffer.from('x')] } } : {}),
      }));
      const deltas = messages.map(() =>
        random() < 0.1 ? Math.floor(random() * 2 ** 40) : Math.floor(random() * 5000),
      );
      const batch = {
        compression,
        firstTimestamp: 1_534_849_272_066,
        maxTimestamp: 1_534_849_279_000,
        firstSequence: round,
        lastOffsetDelta: messages.length - 1,
      };
      const perRecord = await RecordBatch({
        ...batch,
        records: messages.map((m, i) => Record({ ...m, offsetDelta: i, timestampDelta: deltas[i] ?? 0 })),
      });
      const together = await RecordBatch({
        ...batch,
        records: Record.encodeRecords(messages, deltas),
        recordCount: messages.length,
      });
      assert.ok(perRecord.buffer.equals(together.buffer), `compression ${compression}, round ${round}`);
    }
  }
});

test('a fetched batch keeps the messages at or after the fetched offset, compared as numbers', () => {
  const Batch = require('kafkajs/src/consumer/batch.js') as new (
    topic: string,
    fetchedOffset: string,
    partitionData: { partition: number; highWatermark: string; messages: unknown[] },
  ) => { messages: { offset: string }[] };
  const message = (offset: string) => ({ offset, key: null, value: null, batchContext: {} });
  const offsets = (fetched: string, all: string[]) =>
    new Batch('t', fetched, { partition: 0, highWatermark: '0', messages: all.map(message) }).messages.map(
      (m) => m.offset,
    );
  assert.deepEqual(offsets('100', ['98', '99', '100', '101']), ['100', '101']);
  assert.deepEqual(offsets('10', ['8', '9', '10', '11']), ['10', '11']);
  assert.deepEqual(offsets('9', ['9', '10', '100']), ['9', '10', '100']);
  assert.deepEqual(offsets('0', ['0', '1']), ['0', '1']);
});
