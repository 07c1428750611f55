import { Type, type Static } from '@sinclair/typebox';
import { InstrumentType } from '../values.ts';

/** How an instrument's alert and alarm levels apply to a reading. */
export const LevelDirection = {
  /** reading >= level (water rising in a standpipe, pore pressure building up). */
  above: 'above',
  /** |reading| >= level (displacement either way). */
  magnitude: 'magnitude',
} as const;
export type LevelDirection = (typeof LevelDirection)[keyof typeof LevelDirection];

/** One geotechnical instrument in the catalogue, with the alert and alarm levels Tideline defines for it. */
export const InstrumentSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64, description: 'BH-<n>, unique across types.' }),
    type: Type.Enum(InstrumentType),
    unit: Type.String({ minLength: 1 }),
    location: Type.Object(
      { northing: Type.Number(), easting: Type.Number() },
      { additionalProperties: false, description: 'Grid coordinates, m.' },
    ),
    surfaceLevelM: Type.Number(),
    alertLevel: Type.Number({ description: 'First level: engineers look.' }),
    alarmLevel: Type.Number({ description: 'Second level: engineers act.' }),
    levelDirection: Type.Enum(LevelDirection),
  },
  { title: 'Instrument', additionalProperties: false },
);
export type Instrument = Static<typeof InstrumentSchema>;

export const InstrumentCatalogueSchema = Type.Object(
  { items: Type.Array(InstrumentSchema) },
  { title: 'InstrumentCatalogue', additionalProperties: false },
);
export type InstrumentCatalogue = Static<typeof InstrumentCatalogueSchema>;
