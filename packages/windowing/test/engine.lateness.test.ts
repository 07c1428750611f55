import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LateReason, SessionWindows, TimeWindows } from '../src/index.ts';
import { brief, driver } from './support/jobs.ts';

describe('WindowingEngine allowed lateness', () => {
  test('a late event within the grace period updates its window and fires it again', () => {
    const d = driver({ windows: TimeWindows.ofSizeAndGrace(10, 5) });
    d.pipe('a', 1, 2).pipe('a', 1, 12);
    assert.deepEqual(brief(d.readResults()), ['a [0,10) 1/1 on-time#0']);
    d.pipe('a', 5, 7);
    const [late] = d.readResults();
    assert.deepEqual(brief(late ? [late] : []), ['a [0,10) 6/2 late#1']);
    assert.equal(late?.final, true);
    assert.equal(d.metrics().lateAccepted, 1);
  });

  test('an event later than the grace period comes out as a late record with its reason', () => {
    const d = driver({ windows: TimeWindows.ofSizeAndGrace(10, 5) });
    d.pipe('a', 1, 2).pipe('a', 1, 15);
    d.readOutput();
    d.pipe('a', 9, 7, 0, 'evt-9');
    assert.deepStrictEqual(d.readOutput(), [
      {
        kind: 'late',
        key: 'a',
        value: 9,
        eventTimeMs: 7,
        partition: 0,
        eventId: 'evt-9',
        reason: LateReason.beyondAllowedLateness,
        watermarkMs: 15,
        windows: [{ startMs: 0, endMs: 10 }],
      },
    ]);
    assert.equal(d.metrics().lateDropped, 1);
  });

  test('a window is closed for good once the watermark passes its end plus the grace period', () => {
    const d = driver({ windows: TimeWindows.ofSizeAndGrace(10, 5) });
    d.pipe('a', 1, 2).pipe('a', 1, 14);
    assert.equal(d.metrics().openWindows, 2, 'fired at 10 but kept until 15');
    d.pipe('a', 1, 15);
    assert.equal(d.metrics().openWindows, 1);
  });

  test('with no grace, an event whose window has ended is late even if the window never existed', () => {
    const d = driver({ windows: TimeWindows.ofSizeWithNoGrace(10) });
    d.pipe('a', 1, 25).pipe('b', 1, 19);
    assert.deepEqual(
      d.readLate().map((l) => [l.key, l.windows]),
      [['b', [{ startMs: 10, endMs: 20 }]]],
    );
  });

  test('a window first seen within its grace period fires at once as a late firing', () => {
    const d = driver({ windows: TimeWindows.ofSizeAndGrace(10, 5) });
    d.pipe('a', 1, 12).pipe('b', 4, 3);
    assert.deepEqual(brief(d.readResults()), ['b [0,10) 4/1 late#0']);
  });

  test('a hopping-window event can miss its closed windows and still update the open ones', () => {
    const d = driver({ windows: TimeWindows.ofSizeWithNoGrace(3).advanceBy(1) });
    d.pipe('a', 1, 10).pipe('a', 1, 13);
    d.readOutput();
    d.pipe('a', 7, 12);
    const outputs = d.readOutput();
    assert.deepEqual(
      outputs.map((o) => (o.kind === 'late' ? o.windows.map((w) => w.startMs) : o.kind)),
      [[10]],
    );
    d.endOfInput();
    assert.deepEqual(brief(d.readResults()), [
      'a [11,14) 8/2 on-time#0',
      'a [12,15) 8/2 on-time#0',
      'a [13,16) 1/1 on-time#0',
    ]);
    assert.deepEqual([d.metrics().lateDropped, d.metrics().lateAccepted], [1, 0]);
  });

  test('a late event that lands in an open session is accepted; one on its own after the grace is late', () => {
    const d = driver({ windows: SessionWindows.ofInactivityGapWithNoGrace(10) });
    d.pipe('a', 1, 0).pipe('a', 1, 8).pipe('b', 1, 14);
    assert.equal(d.watermarkMs, 14);
    d.pipe('a', 5, 2);
    assert.deepEqual(d.readOutput(), [], 'joins the open session [0, 18)');
    d.pipe('c', 5, 3);
    assert.deepEqual(
      d.readLate().map((l) => l.windows),
      [[{ startMs: 3, endMs: 13 }]],
    );
  });

  test('a late event within grace that extends a fired session reopens it under new bounds', () => {
    const d = driver({ windows: SessionWindows.ofInactivityGapAndGrace(5, 10), maxOutOfOrdernessMs: 0 });
    d.pipe('a', 1, 0).pipe('b', 1, 6);
    assert.deepEqual(brief(d.readResults()), ['a [0,5) 1/1 on-time#0']);
    d.pipe('a', 2, 3);
    assert.deepEqual(brief(d.readResults()), [], 'now [0, 8), ending after the watermark: open again');
    d.pipe('b', 1, 9);
    assert.deepEqual(brief(d.readResults()), ['a [0,8) 3/2 on-time#1']);
  });
});
