import { afterEach } from 'node:test';
import { Writable } from 'node:stream';

/**
 * A log destination that keeps the lines of the current test and prints them only when it fails:
 * warn lines of expected failures (dead letters, a source made to fail) are not noise in `npm test`,
 * and a failing test still shows everything its service logged.
 */
export function quietLogs(): Writable {
  let lines: string[] = [];
  afterEach((t) => {
    // TestContext.passed exists at run time (Node 21+); @types/node does not declare it yet.
    if ((t as { passed?: boolean }).passed === false && lines.length > 0)
      process.stderr.write(`--- logs of "${t.name}" ---\n${lines.join('')}`);
    lines = [];
  });
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
}
