import type { TopicKind, TopicNamer } from '@tideline/contracts';

/**
 * The topics of a namespace a sink reads: every existing topic whose name parses (within the
 * namespace) as one of `kinds`, of any output version, minus `exclude`. Sorted, so two selections
 * compare as strings.
 */
export function selectTopics(
  namer: TopicNamer,
  existing: readonly string[],
  kinds: readonly TopicKind[],
  exclude: readonly string[] = [],
): string[] {
  return existing
    .filter((name) => {
      if (exclude.includes(name)) return false;
      const spec = namer.parseTopicName(name);
      return spec !== undefined && kinds.includes(spec.kind);
    })
    .sort();
}
