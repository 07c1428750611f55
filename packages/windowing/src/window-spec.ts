import type { CountWindows } from './count-windows.ts';
import type { SessionWindows } from './session-windows.ts';
import type { TimeWindows } from './time-windows.ts';

/** Any window specification; `kind` tells them apart. */
export type WindowSpec = TimeWindows | SessionWindows | CountWindows;
