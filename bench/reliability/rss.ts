// RSS of the services under soak: sampled from /proc/<pid>/status (VmRSS) while they run, summarised
// as start / end / max and a least-squares slope in MB per minute.
import { readFile } from 'node:fs/promises';

export interface RssRow {
  service: string;
  samples: number;
  'start MB': number;
  'end MB': number;
  'max MB': number;
  'slope MB/min': number;
}

export async function rssMb(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const match = status ? /VmRSS:\s+(\d+) kB/.exec(status) : null;
  return match ? Number(match[1]) / 1024 : undefined;
}

export class RssSampler {
  readonly #samples = new Map<string, { atMs: number; mb: number }[]>();
  #timer: NodeJS.Timeout | undefined;

  /** Samples every `everyMs` the pids `pids()` returns at that moment (a restarted service keeps its name). */
  start(pids: () => Record<string, number | undefined>, everyMs = 5000): void {
    const sample = async (): Promise<void> => {
      for (const [service, pid] of Object.entries(pids())) {
        if (pid === undefined) continue;
        const mb = await rssMb(pid);
        if (mb === undefined) continue;
        const list = this.#samples.get(service) ?? [];
        list.push({ atMs: Date.now(), mb });
        this.#samples.set(service, list);
      }
    };
    void sample();
    this.#timer = setInterval(() => void sample(), everyMs);
  }

  stop(): RssRow[] {
    clearInterval(this.#timer);
    return [...this.#samples].map(([service, samples]) => ({
      service,
      samples: samples.length,
      'start MB': round(samples[0]?.mb ?? 0),
      'end MB': round(samples.at(-1)?.mb ?? 0),
      'max MB': round(Math.max(...samples.map((s) => s.mb))),
      'slope MB/min': round(slope(samples.map((s) => [s.atMs / 60_000, s.mb] as const)), 2),
    }));
  }
}

function slope(points: readonly (readonly [number, number])[]): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
