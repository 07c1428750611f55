// The autocannon patch (patches/autocannon@9.0.0.patch) that `pnpm bench query` relies on: with
// `pace`, connections spread their requests over each second instead of sending a second's quota
// back to back at its start (autocannon's own rate limiting, mcollina/autocannon#174).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import autocannon from 'autocannon';
import '../../bench/lib/autocannon-pace.ts';

async function arrivals(pace: boolean): Promise<number[]> {
  const times: number[] = [];
  const server = createServer((_request, response) => {
    times.push(performance.now());
    response.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const result = await autocannon({
      url: `http://127.0.0.1:${port}`,
      connections: 10,
      overallRate: 200,
      duration: 2,
      pace,
    });
    assert.equal(result.errors, 0);
  } finally {
    server.close();
  }
  return times;
}

/** The largest share of one second's requests that arrived within a single 100 ms span. */
function busiestTenthShare(times: number[], perSecond: number): number {
  let busiest = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[j]! < times[i]! - 100) j++;
    busiest = Math.max(busiest, i - j + 1);
  }
  return busiest / perSecond;
}

test('paced connections send a steady stream; unpaced ones send each second in a burst', async () => {
  const paced = await arrivals(true);
  const bursty = await arrivals(false);
  // 200 requests a second over 2 s, give or take the ones in flight at the end.
  assert.ok(paced.length >= 380 && paced.length <= 420, `paced sent ${paced.length}`);
  // Evenly spread, a tenth of a second holds a tenth of the requests; bursts put most of them there.
  const pacedShare = busiestTenthShare(paced, 200);
  const burstShare = busiestTenthShare(bursty, 200);
  assert.ok(pacedShare < 0.4, `paced: ${pacedShare} of a second's requests within 100 ms`);
  assert.ok(burstShare > 0.8, `unpaced: ${burstShare} of a second's requests within 100 ms`);
});
