import { createKafka } from '@tideline/kafka';
const kafka = createKafka({ clientId: 'dbg', brokers: ['127.0.0.1:9092'] });
const admin = kafka.admin();
await admin.connect();
const topics = (await admin.listTopics()).filter((t) => t.startsWith('bench-'));
for (const t of topics) {
  const o = await admin.fetchTopicOffsets(t);
  console.log(t, o.map((x) => x.high).join(','));
}
const cfg = await admin.describeConfigs({
  resources: topics
    .filter((t) => t.includes('changelog'))
    .map((name) => ({ type: 2, name, configNames: ['max.message.bytes', 'cleanup.policy'] })),
  includeSynonyms: false,
});
console.log(
  JSON.stringify(
    cfg.resources.map((r) => [r.resourceName, r.configEntries.map((c) => [c.configName, c.configValue])]),
  ),
);
await admin.disconnect();
