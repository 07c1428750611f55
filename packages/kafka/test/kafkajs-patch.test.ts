// The record encoding of patches/kafkajs@2.2.4.patch: a partition's records written into one encoder,
// and a record batch written once, must give the bytes of kafkajs's own per-record path.
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

test('a record encodes as the protocol says (varint lengths, zigzag deltas, a varlong beyond 32 bits)', () => {
  const small = Record({ offsetDelta: 1, timestampDelta: 300, key: 'k', value: 'v' }).buffer;
  assert.equal(small.toString('hex'), '1200d8040202' + '6b' + '02' + '76' + '00');
  const large = Record({ offsetDelta: 0, timestampDelta: 2 ** 32, key: null, value: null }).buffer;
  // body: attributes, zigzag(2^32) = 2^33 as five varint bytes, offset 0, null key and value, no headers
  assert.equal(large.toString('hex'), '14' + '00' + '8080808020' + '00' + '01' + '01' + '00');
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
