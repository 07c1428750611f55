/** The kinds of window specification the engine understands. */
export const WindowKind = {
  time: 'time',
  session: 'session',
  count: 'count',
} as const;
export type WindowKind = (typeof WindowKind)[keyof typeof WindowKind];
