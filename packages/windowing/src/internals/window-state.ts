/** The state of one open time or session window of one key. Mutable, internal. */
export class WindowState<K> {
  readonly key: K;
  startMs: number;
  endMs: number;
  /** One accumulator per named aggregate, in the job's order. */
  accs: unknown[];
  /** Events the accumulators cover. */
  events = 0;
  /** Events since the last firing (count trigger). */
  pane = 0;
  /** Changed since the last firing. */
  dirty = false;
  /** Firings so far; the next result carries this number. */
  firings = 0;
  /** The watermark has reached the end and the on-time firing happened: late events now fire it again. */
  onTime = false;
  alive = true;
  /** The token of this window's live timer (0: none) and when it is due. */
  timerToken = 0;
  timerDueMs = Number.NaN;
  /** Waiting in its key's throttle list for the interval to end. */
  throttled = false;
  /** The value emitted last, to retract (accumulating-and-retracting only). */
  last: unknown = undefined;
  /**
   * Spark mode: the accumulators of the current micro-batch's rows (Spark's partial aggregate), merged into
   * `accs` when the batch ends, as Spark sums a window as its stored total plus the batch's subtotal.
   */
  partial: unknown[] | undefined = undefined;
  /** Neighbours in the key's list of windows, in creation order (time windows). */
  prev: WindowState<K> | undefined = undefined;
  next: WindowState<K> | undefined = undefined;

  constructor(key: K, startMs: number, endMs: number, accs: unknown[]) {
    this.key = key;
    this.startMs = startMs;
    this.endMs = endMs;
    this.accs = accs;
  }
}
