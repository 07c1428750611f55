import {
  InstrumentType,
  LegacyGeotechRoutes,
  LevelDirection,
  valuesOf,
  type Instrument,
} from '@tideline/contracts';
import { between, hash, roundTo, Stream, uniform } from './random.ts';

/** One simulated borehole instrument: its public catalogue entry and the parameters of its behaviour. */
export interface Borehole {
  /** Position in the catalogue; the entity number used for its randomness. */
  index: number;
  instrument: Instrument;
  /** Level around which readings settle. */
  baseline: number;
  /** Amplitudes of the slow (half-day) and faster (hourly) drift. */
  slowAmplitude: number;
  fastAmplitude: number;
  /** Standard deviation of the reading-to-reading noise. */
  noiseSd: number;
}

export interface Catalogue {
  boreholes: readonly Borehole[];
  byId: ReadonlyMap<string, Borehole>;
  byType: Readonly<Record<InstrumentType, readonly Borehole[]>>;
}

interface TypeBehaviour {
  baseline: (surfaceLevelM: number, u: number) => number;
  slow: [number, number];
  fast: [number, number];
  noiseSd: number;
  alert: (baseline: number) => number;
  alarm: (baseline: number) => number;
  direction: LevelDirection;
}

const displacement: TypeBehaviour = {
  baseline: (_surface, u) => -5 + 10 * u,
  slow: [2, 6],
  fast: [0.5, 1.5],
  noiseSd: 0.2,
  alert: () => 15,
  alarm: () => 22,
  direction: LevelDirection.magnitude,
};

/**
 * How each type behaves, within the original API's ranges: water level = surface + U(-10, 2) m,
 * pore pressure U(20, 200) kPa, displacement U(-30, 30) mm. Normal drift stays below the alert
 * level; only excursions cross it (see geotech-model.ts).
 */
const behaviours: Record<InstrumentType, TypeBehaviour> = {
  water_standpipe: {
    baseline: (surface, u) => surface - 3.5 - 4 * u,
    slow: [0.5, 1.5],
    fast: [0.1, 0.4],
    noiseSd: 0.03,
    alert: (baseline) => baseline + 2.5,
    alarm: (baseline) => baseline + 3.5,
    direction: LevelDirection.above,
  },
  piezometer: {
    baseline: (_surface, u) => 50 + 80 * u,
    slow: [5, 15],
    fast: [1, 4],
    noiseSd: 0.5,
    alert: (baseline) => baseline + 35,
    alarm: (baseline) => baseline + 50,
    direction: LevelDirection.above,
  },
  settlement_marker: displacement,
  extensometer: displacement,
  strain_gauge: displacement,
};

const MIN_PER_TYPE = 50;
const MAX_PER_TYPE = 149;
const MAX_BOREHOLE_NUMBER = 9999;

/**
 * The instruments of a seed: 50 to 149 boreholes per type, ids BH-<n> unique across types, surface
 * level 75 to 120 m, northing 5810000 to 5815999, easting 316045 to 324999, all fixed per borehole.
 */
export function buildCatalogue(seed: number): Catalogue {
  const types = valuesOf(InstrumentType);
  const used = new Set<number>();
  let draw = 0;
  const nextNumber = (): number => {
    for (;;) {
      const n = 1 + (hash(seed, Stream.catalogue, 0, draw++) % MAX_BOREHOLE_NUMBER);
      if (!used.has(n)) {
        used.add(n);
        return n;
      }
    }
  };
  const boreholes: Borehole[] = [];
  const byType = {} as Record<InstrumentType, Borehole[]>;
  for (const [t, type] of types.entries()) {
    const count =
      MIN_PER_TYPE + Math.floor(uniform(seed, Stream.catalogue, 1, t) * (MAX_PER_TYPE - MIN_PER_TYPE + 1));
    byType[type] = [];
    for (let i = 0; i < count; i++) {
      const index = boreholes.length;
      const borehole = makeBorehole(seed, index, `BH-${nextNumber()}`, type);
      boreholes.push(borehole);
      byType[type].push(borehole);
    }
  }
  return { boreholes, byId: new Map(boreholes.map((b) => [b.instrument.id, b])), byType };
}

function makeBorehole(seed: number, index: number, id: string, type: InstrumentType): Borehole {
  const u = (k: number) => uniform(seed, Stream.catalogue, 2, index, k);
  const behaviour = behaviours[type];
  const surfaceLevelM = roundTo(75 + 45 * u(0), 2);
  const baseline = roundTo(behaviour.baseline(surfaceLevelM, u(1)), 2);
  return {
    index,
    instrument: {
      id,
      type,
      unit: LegacyGeotechRoutes[type].units,
      location: { northing: 5_810_000 + Math.floor(6000 * u(2)), easting: 316_045 + Math.floor(8955 * u(3)) },
      surfaceLevelM,
      alertLevel: roundTo(behaviour.alert(baseline), 2),
      alarmLevel: roundTo(behaviour.alarm(baseline), 2),
      levelDirection: behaviour.direction,
    },
    baseline,
    slowAmplitude: between(behaviour.slow[0], behaviour.slow[1], seed, Stream.catalogue, 3, index),
    fastAmplitude: between(behaviour.fast[0], behaviour.fast[1], seed, Stream.catalogue, 4, index),
    noiseSd: behaviour.noiseSd,
  };
}
