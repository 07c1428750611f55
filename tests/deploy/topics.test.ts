// The fixed topics are created ahead of the services, the same ones in docker-compose (the kafka-init
// one-shot) and in k8s (a Strimzi KafkaTopic each), and they are the names packages/contracts gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envOf, loadCompose } from './support/compose.ts';
import { OVERLAYS, ofKind, render } from './support/k8s.ts';
import { fixedTopics } from './support/topics.ts';

const words = (value: string | undefined): string[] => (value ?? '').split(/\s+/).filter(Boolean).sort();

test('docker-compose creates every fixed topic, changelogs compacted', async () => {
  const { plain, compacted } = await fixedTopics();
  assert.equal(plain.length + compacted.length, 26);
  const env = envOf((await loadCompose()).services['kafka-init']!);
  assert.deepEqual(words(env.TOPICS), plain);
  assert.deepEqual(words(env.COMPACTED_TOPICS), compacted);
  assert.equal(env.PARTITIONS, '3');
});

test('every overlay has one KafkaTopic per fixed topic, and only those', async () => {
  const { plain, compacted } = await fixedTopics();
  for (const overlay of OVERLAYS) {
    const topics = ofKind(await render(overlay), 'KafkaTopic');
    const byName = new Map(topics.map((t) => [t.spec?.topicName as string, t]));
    assert.deepEqual([...byName.keys()].sort(), [...plain, ...compacted].sort(), overlay);
    for (const name of compacted) {
      assert.equal((byName.get(name)?.spec?.config as Record<string, unknown>)['cleanup.policy'], 'compact');
    }
    for (const topic of topics) {
      assert.equal(topic.metadata.labels?.['strimzi.io/cluster'], 'tideline', topic.metadata.name);
      assert.equal(topic.spec?.partitions, 3, topic.metadata.name);
    }
  }
});
