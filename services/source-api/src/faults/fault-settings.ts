import { Type, type Static } from '@sinclair/typebox';

const rate = (description: string) => Type.Number({ minimum: 0, maximum: 1, default: 0, description });

/**
 * What the source does wrong, on purpose. Item faults are drawn from the seed per position in the
 * feed, so the same settings give the same faulty items; request faults (errors) are drawn from the
 * seed per request since the settings last changed.
 */
export const FaultSettingsSchema = Type.Object(
  {
    nullRate: rate('Probability that an item has one field null, empty or missing.'),
    malformedRate: rate(
      'Probability that an item has one malformed field: a number as text, "NaN", a timestamp in the wrong form or unit, a side or symbol in the wrong case.',
    ),
    duplicateRate: rate('Probability that an item is sent twice in a row.'),
    outOfOrderRate: rate(
      'Probability that an item is swapped with the next one (event time goes backwards).',
    ),
    lateRate: rate(
      'Probability that an item arrives with an event time `lateByMs` (plus up to 1 s) in the past.',
    ),
    lateByMs: Type.Integer({
      minimum: 0,
      maximum: 604_800_000,
      default: 60_000,
      description: 'How late late items are.',
    }),
    burstRate: rate('Probability that a time slot of a feed carries a burst of extra items.'),
    burstSize: Type.Integer({
      minimum: 1,
      maximum: 10_000,
      default: 100,
      description: 'Extra items in a burst.',
    }),
    delayMs: Type.Integer({
      minimum: 0,
      maximum: 60_000,
      default: 0,
      description: 'Delay before every data response.',
    }),
    errorRate: rate('Probability that a data request answers 500.'),
    outageUntilMs: Type.Integer({
      minimum: 0,
      default: 0,
      description: 'Every data request answers 503 until this wall-clock time (epoch ms); 0 for none.',
    }),
  },
  { title: 'FaultSettings', additionalProperties: false },
);
export type FaultSettings = Static<typeof FaultSettingsSchema>;

/** PUT body: the whole settings (missing keys are off), and `outageForMs` as a shorthand for an outage from now. */
export const FaultUpdateSchema = Type.Object(
  {
    ...FaultSettingsSchema.properties,
    outageForMs: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 86_400_000,
        description: 'Fail every data request for this long, from now.',
      }),
    ),
  },
  { title: 'FaultUpdate', additionalProperties: false },
);
export type FaultUpdate = Static<typeof FaultUpdateSchema>;

export const NO_FAULTS: FaultSettings = Object.freeze({
  nullRate: 0,
  malformedRate: 0,
  duplicateRate: 0,
  outOfOrderRate: 0,
  lateRate: 0,
  lateByMs: 60_000,
  burstRate: 0,
  burstSize: 100,
  delayMs: 0,
  errorRate: 0,
  outageUntilMs: 0,
});

/** The current fault settings of one app, and the request counter the error draws use. */
export class FaultState {
  #settings: FaultSettings;
  #requests = 0;

  constructor(initial: FaultSettings) {
    this.#settings = Object.freeze({ ...initial });
  }

  get settings(): FaultSettings {
    return this.#settings;
  }

  /** Replaces the settings; `outageForMs` becomes `outageUntilMs` from `nowMs`. Restarts the error draws. */
  update(update: Partial<FaultUpdate>, nowMs: number): FaultSettings {
    const { outageForMs, ...settings } = { ...NO_FAULTS, ...update };
    if (outageForMs !== undefined) settings.outageUntilMs = nowMs + outageForMs;
    this.#settings = Object.freeze(settings);
    this.#requests = 0;
    return this.#settings;
  }

  /** Number of the next data request since the settings last changed. */
  nextRequest(): number {
    return this.#requests++;
  }
}
