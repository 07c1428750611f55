import { Type, type Static } from '@sinclair/typebox';
import { InstrumentType } from '../values.ts';

/**
 * The original geotechnical parameters API that Tideline's source-api reproduces (and that ingest
 * must accept as it is): one route per instrument type answering an envelope with every borehole.
 */
export const LegacyGeotechRoutes = {
  [InstrumentType.waterStandpipe]: { path: '/params/water_standpipe', units: 'water level (m)' },
  [InstrumentType.piezometer]: { path: '/params/pore_pressure', units: 'pressure (kPa)' },
  [InstrumentType.settlementMarker]: { path: '/params/settlement/x', units: 'displacement (mm)' },
  [InstrumentType.extensometer]: { path: '/params/settlement/y', units: 'displacement (mm)' },
  [InstrumentType.strainGauge]: { path: '/params/settlement/z', units: 'displacement (mm)' },
} as const satisfies Record<InstrumentType, { path: string; units: string }>;

/** ISO-8601 UTC with millisecond precision and `Z`, e.g. 2022-05-02T08:02:20.073Z. */
export const LEGACY_TIMESTAMP_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$';

export const LegacyGeotechItemSchema = Type.Object(
  {
    borehole_number: Type.String({ description: 'Instrument id, BH-<n>, unique across instrument types.' }),
    instrument: Type.Enum(InstrumentType),
    surface_level: Type.Number({ description: 'Ground surface level, m (fixed per borehole).' }),
    northing: Type.Integer(),
    easting: Type.Integer(),
    reading: Type.Number({ description: 'The reading, in the envelope `units`.' }),
    timestamp: Type.String({ pattern: LEGACY_TIMESTAMP_PATTERN }),
  },
  { title: 'LegacyGeotechItem', additionalProperties: false },
);
export type LegacyGeotechItem = Static<typeof LegacyGeotechItemSchema>;

export const LegacyGeotechEnvelopeSchema = Type.Object(
  {
    instruments: Type.Integer({ minimum: 0, description: 'Number of items.' }),
    units: Type.String(),
    timezone: Type.String(),
    items: Type.Array(LegacyGeotechItemSchema),
  },
  { title: 'LegacyGeotechEnvelope', additionalProperties: false },
);
export type LegacyGeotechEnvelope = Static<typeof LegacyGeotechEnvelopeSchema>;
