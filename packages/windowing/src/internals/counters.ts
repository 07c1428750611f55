/** Running totals since the engine started (carried across snapshots). */
export class Counters {
  /** Events accepted (not duplicates). */
  eventsIn = 0;
  /** Events dropped as duplicates of an event id seen within the dedup horizon. */
  duplicates = 0;
  /** Events that arrived after a window's on-time firing, within the grace period, and updated it. */
  lateAccepted = 0;
  /** Events too late for (some of) their windows, sent on as late records. */
  lateDropped = 0;
  resultsEmitted = 0;
  retractionsEmitted = 0;

  toArray(): number[] {
    return [
      this.eventsIn,
      this.duplicates,
      this.lateAccepted,
      this.lateDropped,
      this.resultsEmitted,
      this.retractionsEmitted,
    ];
  }

  restore(values: number[]): void {
    [
      this.eventsIn = 0,
      this.duplicates = 0,
      this.lateAccepted = 0,
      this.lateDropped = 0,
      this.resultsEmitted = 0,
      this.retractionsEmitted = 0,
    ] = values;
  }
}
