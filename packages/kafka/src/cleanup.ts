import type { Admin, Kafka } from 'kafkajs';

/**
 * Deletes every topic whose name starts with `topicPrefix` and every consumer group whose id starts
 * with one of `groupPrefixes`: what a test run created in its namespace. Groups still with members
 * cannot be deleted; they are left and named in the result.
 */
export async function deleteByPrefix(
  kafka: Kafka,
  options: { topicPrefix?: string; groupPrefixes?: readonly string[] },
): Promise<{ topics: string[]; groups: string[]; groupsLeft: string[] }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics =
      options.topicPrefix === undefined || options.topicPrefix === ''
        ? []
        : (await admin.listTopics()).filter((t) => t.startsWith(options.topicPrefix as string));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    const prefixes = options.groupPrefixes ?? [];
    const groupIds =
      prefixes.length === 0
        ? []
        : (await admin.listGroups()).groups
            .map((g) => g.groupId)
            .filter((id) => prefixes.some((p) => p !== '' && id.startsWith(p)));
    const { deleted, left } = await deleteGroups(admin, groupIds);
    return { topics, groups: deleted, groupsLeft: left };
  } finally {
    await admin.disconnect();
  }
}

/** Deletes consumer groups, tolerating those already gone; returns which were deleted and which were not. */
export async function deleteGroups(
  admin: Admin,
  groupIds: readonly string[],
): Promise<{ deleted: string[]; left: string[] }> {
  if (groupIds.length === 0) return { deleted: [], left: [] };
  try {
    await admin.deleteGroups([...groupIds]);
    return { deleted: [...groupIds], left: [] };
  } catch (error) {
    // kafkajs rejects with the per-group results when any failed (e.g. a group that still has members).
    const results = (error as { groups?: { groupId: string; errorCode: number }[] }).groups;
    if (!results) throw error;
    const failed = results.filter((g) => g.errorCode !== 0 && g.errorCode !== 69 /* GROUP_ID_NOT_FOUND */);
    const left = failed.map((g) => g.groupId);
    return { deleted: groupIds.filter((id) => !left.includes(id)), left };
  }
}
