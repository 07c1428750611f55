// The option patches/autocannon@9.0.0.patch adds to autocannon. autocannon's own rate limiting
// (`overallRate`, `connectionRate`) lets each connection send its quota for a second back to back
// at the start of the second, then idle (mcollina/autocannon#174): "500 req/s" is really bursts at
// full speed, and a latency percentile measured so is mostly queueing behind the burst. With `pace`
// each connection sends one request every 1000 / rate ms from a random phase, so the connections
// together make the steady rate a latency target is stated at. The patch also fixes the interval of
// autocannon's coordinated-omission correction (1000 / rate ms, not 1 / rate).
declare module 'autocannon' {
  interface Options {
    /** Spread each connection's rate evenly over the second (needs `overallRate` or `connectionRate`). */
    pace?: boolean;
  }
}

export {};
