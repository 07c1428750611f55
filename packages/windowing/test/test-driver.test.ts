import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SessionWindows, TimeWindows, type EngineSnapshot } from '../src/index.ts';
import { brief, driver } from './support/jobs.ts';

describe('WindowingTestDriver', () => {
  test('the driver pipes records, reads outputs once and keeps them in emission order', () => {
    const d = driver({ windows: TimeWindows.ofSizeWithNoGrace(10) });
    d.pipeRecords([
      { key: 'a', value: 1, timestampMs: 1 },
      { key: 'a', value: 2, timestampMs: 25, partition: 0, eventId: 'e2' },
    ]);
    assert.deepEqual(brief(d.readResults()), ['a [0,10) 1/1 on-time#0']);
    assert.deepEqual(d.readOutput(), [], 'reading consumes');
  });

  test('readLate and readRetractions pick their kind out of the output', () => {
    const d = driver({ windows: TimeWindows.ofSizeWithNoGrace(10) });
    d.pipe('a', 1, 25).pipe('a', 2, 3);
    assert.deepEqual(
      d.readLate().map((l) => l.value),
      [2],
    );
    d.pipe('a', 1, 40);
    assert.deepEqual(d.readRetractions(), []);
  });

  test('restart snapshots to JSON, restores into a new engine and carries on', () => {
    const d = driver({ windows: SessionWindows.ofInactivityGapWithNoGrace(5) });
    d.pipe('a', 1, 1);
    const before = d.engine;
    d.restart();
    assert.notEqual(d.engine, before);
    assert.equal(d.snapshots.length, 1);
    assert.equal(
      (JSON.parse(d.snapshots[0] as string) as EngineSnapshot).format,
      'tideline.windowing.snapshot/2',
    );
    d.pipe('a', 2, 3).advanceProcessingTime(10).markIdle(1).endOfInput();
    assert.deepEqual(brief(d.readResults()), ['a [1,8) 3/2 on-time#0']);
    assert.equal(d.metrics().eventsIn, 2);
  });

  test('commit folds changes into a changelog, and a restart from it carries on', () => {
    const d = driver({ windows: TimeWindows.ofSizeWithNoGrace(10), dedupHorizonMs: 100 });
    d.pipe('a', 1, 1, 0, 'x').pipe('b', 2, 2).commit();
    assert.deepEqual([...d.changelog.keys()], ['a', 'b']);
    d.pipe('a', 3, 3, 0, 'x').restartFromChangelog(); // the duplicate changes nothing
    d.pipe('b', 4, 12).endOfInput();
    assert.deepEqual(brief(d.readResults()), [
      'a [0,10) 1/1 on-time#0',
      'b [0,10) 2/1 on-time#0',
      'b [10,20) 4/1 on-time#0',
    ]);
    assert.equal(d.metrics().duplicates, 1);
  });
});
