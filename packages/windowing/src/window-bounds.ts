/**
 * The bounds of one window, half-open: an event at time t belongs to it when startMs <= t < endMs.
 * Together with the job and the key they identify a result, so sinks can build deterministic ids.
 */
export interface WindowBounds {
  readonly startMs: number;
  readonly endMs: number;
  /**
   * Count windows only: the per-key indices (0-based, inclusive) of the first and last accepted events
   * in the window. Event times can repeat, so for count windows these, not the times, identify it.
   */
  readonly firstIndex?: number;
  readonly lastIndex?: number;
}
