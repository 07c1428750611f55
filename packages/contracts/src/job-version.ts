import type { TopicSpec } from './topics.ts';

/**
 * The output version a topic carries (its `.v<n>` suffix; 1 when absent), kept by sinks as
 * `job_version` so the outputs of a Kappa reprocessing stay apart until the cut-over. Topics that are
 * not versioned (raw, late, dlq) are version 1.
 */
export function jobVersionOf(spec: TopicSpec): number {
  return spec.kind === 'processed' || spec.kind === 'alerts' ? (spec.version ?? 1) : 1;
}
