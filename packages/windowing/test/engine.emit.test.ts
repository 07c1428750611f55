import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AccumulationMode, EmitStrategy, SessionWindows, TimeWindows } from '../src/index.ts';
import { brief, driver } from './support/jobs.ts';

const tumbling = TimeWindows.ofSizeWithNoGrace(10);

describe('WindowingEngine emit strategies', () => {
  test('onWindowClose emits one final result per window', () => {
    const d = driver({ windows: tumbling, emit: EmitStrategy.onWindowClose() });
    d.pipe('a', 1, 1).pipe('a', 2, 2).pipe('a', 3, 11).endOfInput();
    const results = d.readResults();
    assert.deepEqual(brief(results), ['a [0,10) 3/2 on-time#0', 'a [10,20) 3/1 on-time#0']);
    assert.ok(results.every((r) => r.final));
  });

  test('onUpdate emits every change early, and nothing more at close when nothing changed', () => {
    const d = driver({ windows: tumbling, emit: EmitStrategy.onUpdate() });
    d.pipe('a', 1, 1).pipe('a', 2, 2).pipe('a', 3, 11);
    const results = d.readResults();
    assert.deepEqual(brief(results), [
      'a [0,10) 1/1 early#0',
      'a [0,10) 3/2 early#1',
      'a [10,20) 3/1 early#0',
    ]);
    assert.ok(results.every((r) => !r.final));
  });

  test('a throttled onUpdate emits a key at most once per interval of processing time', () => {
    const d = driver({
      windows: TimeWindows.ofSizeWithNoGrace(100),
      emit: EmitStrategy.onUpdate({ throttleMs: 1_000 }),
    });
    d.advanceProcessingTime(5_000);
    d.pipe('a', 1, 1).pipe('a', 1, 2).pipe('b', 7, 3).pipe('a', 1, 4);
    assert.deepEqual(brief(d.readResults()), ['a [0,100) 1/1 early#0', 'b [0,100) 7/1 early#0']);
    d.advanceProcessingTime(5_999);
    assert.deepEqual(d.readResults(), []);
    d.advanceProcessingTime(6_000);
    assert.deepEqual(brief(d.readResults()), ['a [0,100) 3/3 early#1']);
    d.pipe('a', 1, 5);
    assert.deepEqual(d.readResults(), [], 'the key emitted at 6000: the next burst waits until 7000');
    d.pipe('z', 1, 100);
    assert.deepEqual(
      brief(d.readResults()),
      ['z [100,200) 1/1 early#0', 'a [0,100) 4/4 on-time#2'],
      'closing is never throttled',
    );
    d.advanceProcessingTime(7_000);
    assert.deepEqual(brief(d.readResults()), [], 'the waiting change went out with the on-time firing');
  });

  test('onCount fires early every N events, and the remainder when the window closes', () => {
    const d = driver({ windows: tumbling, emit: EmitStrategy.onCount(2) });
    for (const t of [1, 2, 3, 4, 5]) d.pipe('a', 1, t);
    d.endOfInput();
    assert.deepEqual(brief(d.readResults()), [
      'a [0,10) 2/2 early#0',
      'a [0,10) 4/4 early#1',
      'a [0,10) 5/5 on-time#2',
    ]);
  });
});

describe('WindowingEngine accumulation modes', () => {
  test('discarding mode carries only what came since the previous firing', () => {
    const d = driver({
      windows: TimeWindows.ofSizeAndGrace(10, 10),
      emit: EmitStrategy.onCount(2),
      accumulation: AccumulationMode.discarding,
    });
    for (const t of [1, 2, 3]) d.pipe('a', t, t);
    d.pipe('a', 0, 12).pipe('a', 10, 4);
    assert.deepEqual(brief(d.readResults()), [
      'a [0,10) 3/2 early#0',
      'a [0,10) 3/1 on-time#1',
      'a [0,10) 10/1 late#2',
    ]);
  });

  test('accumulating-and-retracting mode retracts the previous result before each new one', () => {
    const d = driver({
      windows: tumbling,
      emit: EmitStrategy.onUpdate(),
      accumulation: AccumulationMode.accumulatingAndRetracting,
    });
    d.pipe('a', 1, 1).pipe('a', 2, 2);
    assert.deepEqual(
      d.readOutput().map((o) => (o.kind === 'late' ? 'late' : `${o.kind} ${o.value.sum}#${o.firing}`)),
      ['result 1#0', 'retraction 1#0', 'result 3#1'],
    );
    assert.equal(d.metrics().retractionsEmitted, 1);
  });

  test('merging sessions retracts what the merged sessions had emitted', () => {
    const d = driver({
      windows: SessionWindows.ofInactivityGapWithNoGrace(5),
      emit: EmitStrategy.onUpdate(),
      accumulation: AccumulationMode.accumulatingAndRetracting,
      maxOutOfOrdernessMs: 100,
    });
    d.pipe('a', 1, 0).pipe('a', 2, 8);
    d.readOutput();
    d.pipe('a', 4, 4);
    assert.deepEqual(
      d
        .readOutput()
        .map(
          (o) =>
            `${o.kind} [${o.kind === 'late' ? '' : `${o.window.startMs},${o.window.endMs}`}) ${o.kind === 'late' ? '' : o.value.sum}`,
        ),
      ['retraction [0,5) 1', 'retraction [8,13) 2', 'result [0,13) 7'],
    );
  });
});
