import assert from 'node:assert/strict';
import { test } from 'node:test';
import kafkajs, { type LogEntry } from 'kafkajs';
import { forwardKafkaLog, type KafkaLogSink } from '../src/client.ts';

const { logLevel } = kafkajs;

function recorder(): { sink: KafkaLogSink; lines: [string, string][] } {
  const lines: [string, string][] = [];
  const at = (level: string) => (_obj: object, msg: string) => lines.push([level, msg]);
  return {
    sink: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    lines,
  };
}

const entry = (level: number, namespace: string, error: string): LogEntry => ({
  namespace,
  level,
  label: 'ERROR',
  log: { timestamp: '', message: 'Response Metadata(key: 3, version: 6)', error },
});

test('a retriable broker error kafkajs retries is logged at info; anything else keeps its level', () => {
  const { sink, lines } = recorder();
  forwardKafkaLog(
    sink,
    entry(logLevel.ERROR, 'Connection', 'This server does not host this topic-partition'),
  );
  forwardKafkaLog(
    sink,
    entry(logLevel.ERROR, 'Connection', 'Not authorized to access topics: [Topic authorization failed]'),
  );
  forwardKafkaLog(sink, entry(logLevel.ERROR, 'Consumer', 'This server does not host this topic-partition'));
  forwardKafkaLog(
    sink,
    entry(
      logLevel.WARN,
      'Connection',
      "The coordinator is loading and hence can't process requests for this group",
    ),
  );
  assert.deepEqual(
    lines.map(([level]) => level),
    ['info', 'error', 'error', 'info'],
  );
});

test("the producer's retried sends are logged at info; its other errors keep their level", () => {
  const { sink, lines } = recorder();
  const producer = (message: string, retry: boolean): LogEntry => ({
    namespace: 'Producer',
    level: logLevel.ERROR,
    label: 'ERROR',
    log: { timestamp: '', message, ...(retry ? { retryCount: 0, retryTime: 101 } : {}) },
  });
  const concurrent =
    'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing';
  forwardKafkaLog(sink, producer(`Failed to send messages: ${concurrent}`, true));
  forwardKafkaLog(sink, producer('Message batch is larger than the broker accepts', true));
  forwardKafkaLog(sink, producer(`Failed to send messages: ${concurrent}`, false));
  assert.deepEqual(
    lines.map(([level]) => level),
    ['info', 'error', 'error'],
  );
});
