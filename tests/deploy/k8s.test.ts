// k8s/: every overlay rendered by the real kustomize (`kubectl kustomize`), every object validated
// (kubernetes-models for the core kinds and for KEDA, CloudNativePG and the Prometheus operator; the
// structural check of support/structural.ts for Strimzi and ECK), each service's environment loaded
// by its own configuration schema, and the NetworkPolicies evaluated against the architecture's flows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '@tideline/config';
import { find, OVERLAYS, ofKind, render, validateWithModel, type K8sObject } from './support/k8s.ts';
import { allowedFlows, type Pod, type PolicySpec } from './support/network-policy.ts';
import { configSchemaOf, SERVICES, servicesInWorkspace } from './support/services.ts';
import { structuralProblems } from './support/structural.ts';
import { PROCESSOR_GROUP_PREFIX, defaultJobIds, processorEntry } from './support/topics.ts';

interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: { name: string; containerPort: number }[];
  envFrom?: { configMapRef?: { name: string } }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    runAsNonRoot?: boolean;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
  };
}
interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: { containers: Container[]; securityContext?: { runAsNonRoot?: boolean } };
}
const templateOf = (o: K8sObject): PodTemplate => (o.spec as { template: PodTemplate }).template;

/** Secrets the operators write (CloudNativePG's app user, ECK's elastic user) or prod creates outside git. */
const OPERATOR_SECRETS = ['tideline-pg-app', 'tideline-es-elastic-user'];
const EXTERNAL_SECRETS = { dev: [], prod: ['tideline-query-api'] } as const;

/** A value a secret could hold, for the config schema check (API keys have a pattern). */
function secretPlaceholder(envName: string): string {
  if (envName.endsWith('API_KEYS')) return 'k8s-test-key-0123456789:read';
  if (envName.endsWith('_URL')) return 'postgresql://tideline:secret@tideline-pg-rw:5432/tideline';
  return 'secret';
}

function containerEnv(objects: K8sObject[], container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const name = from.configMapRef?.name ?? '';
    const configMap = find(objects, 'ConfigMap', name);
    assert.ok(configMap, `ConfigMap ${name}`);
    Object.assign(env, configMap.data);
  }
  for (const entry of container.env ?? []) {
    env[entry.name] = entry.value ?? secretPlaceholder(entry.name);
  }
  return env;
}

for (const overlay of OVERLAYS) {
  test(`${overlay}: every rendered object is valid for its kind`, async () => {
    const objects = await render(overlay);
    assert.ok(objects.length > 70, `${objects.length} objects`);
    const counts = new Map<string, number>();
    for (const object of objects) {
      const what = `${object.kind}/${object.metadata.name}`;
      let result: string;
      try {
        result = await validateWithModel(object);
      } catch (error) {
        assert.fail(`${overlay} ${what}: ${String(error)}`);
      }
      if (result === 'no model') {
        const problems = structuralProblems(object);
        assert.ok(problems, `${what}: ${object.apiVersion} has neither a model nor a structural check`);
        assert.deepEqual(problems, [], `${overlay} ${what}`);
        result = 'structural';
      }
      counts.set(result, (counts.get(result) ?? 0) + 1);
      if (object.kind !== 'Namespace')
        assert.equal(object.metadata.namespace, overlay === 'dev' ? 'tideline-dev' : 'tideline', what);
    }
    assert.ok((counts.get('structural') ?? 0) >= 30, 'Strimzi and ECK objects checked');
    assert.ok((counts.get('valid') ?? 0) >= 40, 'model-validated objects');
  });
}

test('the validation can fail: a wrong type, a missing required field, an unknown kind', async () => {
  const objects = await render('dev');
  const deployment = structuredClone(find(objects, 'Deployment', 'ingest')!);
  templateOf(deployment).spec.containers[0]!.ports![0]!.containerPort = '8082' as unknown as number;
  await assert.rejects(validateWithModel(deployment), /containerPort must be integer/);
  const scaled = structuredClone(find(objects, 'ScaledObject', 'processor')!);
  delete (scaled.spec as { scaleTargetRef?: unknown }).scaleTargetRef;
  await assert.rejects(validateWithModel(scaled), /scaleTargetRef/);
  const topic = structuredClone(ofKind(objects, 'KafkaTopic')[0]!);
  delete topic.spec!.partitions;
  assert.deepEqual(structuralProblems(topic), ['spec.partitions (integer ≥ 1)']);
  const kafka = structuredClone(find(objects, 'Kafka', 'tideline')!);
  delete kafka.metadata.annotations!['strimzi.io/kraft'];
  assert.deepEqual(structuralProblems(kafka), ['KRaft annotation strimzi.io/kraft=enabled']);
  assert.equal(structuralProblems({ ...kafka, apiVersion: 'kafka.strimzi.io/v1alpha1' }), undefined);
});

for (const overlay of OVERLAYS) {
  test(`${overlay}: each service's Deployment runs with an environment its config schema accepts`, async () => {
    const objects = await render(overlay);
    for (const { name, port, prefix } of await servicesInWorkspace()) {
      const deployment = find(objects, 'Deployment', name);
      assert.ok(deployment, `Deployment ${name}`);
      const container = templateOf(deployment).spec.containers[0]!;
      const config = loadConfig(await configSchemaOf(name), containerEnv(objects, container), {
        prefix,
      }) as Record<string, unknown>;
      assert.equal(config.HOST, '0.0.0.0', name);
      assert.equal(config.PORT, port, name);
      for (const [key, value] of Object.entries(config)) {
        assert.ok(
          !(typeof value === 'string' && /127\.0\.0\.1|localhost/.test(value)),
          `${name}: ${key}=${String(value)}`,
        );
      }
    }
  });
}

test('every service has probes, resources, a non-root locked-down container, a Service and a PodDisruptionBudget', async () => {
  const objects = await render('prod');
  for (const { name, port } of SERVICES) {
    const deployment = find(objects, 'Deployment', name)!;
    const template = templateOf(deployment);
    const container = template.spec.containers[0]!;
    assert.match(container.image, new RegExp(`/tideline/${name}:`), name);
    assert.deepEqual(container.ports, [{ name: 'http', containerPort: port, protocol: 'TCP' }]);
    assert.deepEqual(container.readinessProbe?.httpGet, { path: '/readyz', port: 'http' });
    assert.deepEqual(container.livenessProbe?.httpGet, { path: '/healthz', port: 'http' });
    for (const kind of ['requests', 'limits'] as const) {
      assert.ok(container.resources?.[kind]?.cpu && container.resources[kind].memory, `${name} ${kind}`);
    }
    assert.equal(template.spec.securityContext?.runAsNonRoot, true);
    assert.equal(container.securityContext?.readOnlyRootFilesystem, true);
    assert.equal(container.securityContext?.allowPrivilegeEscalation, false);
    const service = find(objects, 'Service', name)!;
    assert.deepEqual((service.spec as { selector: unknown }).selector, { 'app.kubernetes.io/name': name });
    assert.equal((service.spec as { ports: { name: string; port: number }[] }).ports[0]?.port, port);
    const pdb = find(objects, 'PodDisruptionBudget', name)!;
    assert.deepEqual((pdb.spec as { selector: unknown }).selector, {
      matchLabels: { 'app.kubernetes.io/name': name },
    });
  }
  const monitor = ofKind(objects, 'ServiceMonitor')[0]!;
  const selector = (monitor.spec as { selector: { matchLabels: Record<string, string> } }).selector
    .matchLabels;
  const scraped = ofKind(objects, 'Service').filter((s) =>
    Object.entries(selector).every(([k, v]) => s.metadata.labels?.[k] === v),
  );
  assert.deepEqual(scraped.map((s) => s.metadata.name).sort(), SERVICES.map((s) => s.name).sort());
  assert.deepEqual((monitor.spec as { endpoints: unknown[] }).endpoints, [
    { port: 'http', path: '/metrics', interval: '15s' },
  ]);
});

for (const overlay of OVERLAYS) {
  test(`${overlay}: every referenced Secret is generated, written by an operator, or documented as external`, async () => {
    const objects = await render(overlay);
    const generated = ofKind(objects, 'Secret').map((s) => s.metadata.name);
    const known = [...generated, ...OPERATOR_SECRETS, ...EXTERNAL_SECRETS[overlay]];
    const workloads = [
      ...ofKind(objects, 'Deployment'),
      ...ofKind(objects, 'Job'),
      ...ofKind(objects, 'StatefulSet'),
    ];
    const referenced = workloads.flatMap((w) =>
      templateOf(w).spec.containers.flatMap((c) =>
        (c.env ?? []).flatMap((e) => e.valueFrom?.secretKeyRef?.name ?? []),
      ),
    );
    assert.ok(referenced.length >= 5);
    for (const name of referenced) assert.ok(known.includes(name), `${overlay}: Secret ${name}`);
    if (overlay === 'dev') assert.ok(generated.some((n) => n.startsWith('tideline-query-api-')));
  });
}

test('autoscaling: KEDA kafka triggers on the services\u2019 own consumer groups, capped at the partition count', async () => {
  const { groupIdOf } = await processorEntry();
  const jobs = await defaultJobIds();
  for (const overlay of OVERLAYS) {
    const objects = await render(overlay);
    const partitions = Math.min(...ofKind(objects, 'KafkaTopic').map((t) => t.spec?.partitions as number));
    const scaled = ofKind(objects, 'ScaledObject');
    assert.deepEqual(scaled.map((s) => s.metadata.name).sort(), [
      'processor',
      'sink-elasticsearch',
      'sink-postgres',
    ]);
    for (const object of scaled) {
      const spec = object.spec as {
        scaleTargetRef: { name: string };
        minReplicaCount: number;
        maxReplicaCount: number;
        triggers: { type: string; metadata: Record<string, string> }[];
      };
      const target = find(objects, 'Deployment', spec.scaleTargetRef.name);
      assert.ok(target, `${object.metadata.name} scales a Deployment`);
      assert.ok(
        spec.maxReplicaCount <= partitions,
        `${object.metadata.name}: ${spec.maxReplicaCount} ≤ ${partitions}`,
      );
      assert.ok(spec.minReplicaCount >= 1 && spec.minReplicaCount <= spec.maxReplicaCount);
      const env = find(objects, 'ConfigMap', spec.scaleTargetRef.name)!.data!;
      const brokers = Object.entries(env).find(([k]) => k.endsWith('_KAFKA_BROKERS'))?.[1];
      const groups = spec.triggers.map((t) => {
        assert.equal(t.type, 'kafka');
        assert.equal(t.metadata.bootstrapServers, brokers);
        return t.metadata.consumerGroup;
      });
      const expected =
        object.metadata.name === 'processor'
          ? jobs.map((job) => groupIdOf('', PROCESSOR_GROUP_PREFIX, job))
          : [`tideline-${object.metadata.name}`];
      assert.deepEqual(groups.sort(), expected.sort(), object.metadata.name);
    }
  }
});

test('the Jobs run sink-postgres\u2019s migrations and the Kibana import', async () => {
  const objects = await render('prod');
  const migrate = templateOf(find(objects, 'Job', 'postgres-migrate')!).spec.containers[0]!;
  assert.match(migrate.image, /\/tideline\/sink-postgres:/);
  assert.deepEqual(migrate.command, ['node', 'services/sink-postgres/src/migrate-main.ts', 'up']);
  const sink = templateOf(find(objects, 'Deployment', 'sink-postgres')!).spec.containers[0]!;
  assert.deepEqual(
    migrate.env?.find((e) => e.name === 'SINK_PG_DATABASE_URL')?.valueFrom,
    sink.env?.find((e) => e.name === 'SINK_PG_DATABASE_URL')?.valueFrom,
    'migrates the database the sink writes',
  );
  assert.equal(find(objects, 'ConfigMap', 'sink-postgres')?.data?.SINK_PG_MIGRATE_ON_START, 'false');
  const kibana = templateOf(find(objects, 'Job', 'kibana-import')!).spec.containers[0]!;
  assert.match(kibana.image, /\/tideline\/sink-elasticsearch:/);
  assert.match(kibana.command?.join(' ') ?? '', /exec node infra\/kibana\/import\.ts$/);
  assert.equal(kibana.env?.find((e) => e.name === 'KIBANA_URL')?.value, 'http://tideline-kb-http:5601');
});

test('prod runs Kafka on three KRaft nodes with replicated topics, and more of everything stateful', async () => {
  const objects = await render('prod');
  assert.equal(find(objects, 'KafkaNodePool', 'combined')?.spec?.replicas, 3);
  const config = (find(objects, 'Kafka', 'tideline')?.spec as { kafka: { config: Record<string, unknown> } })
    .kafka.config;
  assert.equal(config['transaction.state.log.replication.factor'], 3);
  assert.equal(config['min.insync.replicas'], 2);
  for (const topic of ofKind(objects, 'KafkaTopic')) assert.equal(topic.spec?.replicas, 3);
  assert.equal(find(objects, 'Cluster', 'tideline-pg')?.spec?.instances, 3);
  const dev = await render('dev');
  assert.equal(find(dev, 'KafkaNodePool', 'combined')?.spec?.replicas, 1);
  assert.equal(
    (find(dev, 'Kafka', 'tideline')?.spec as { kafka: { config: Record<string, unknown> } }).kafka.config[
      'transaction.state.log.replication.factor'
    ],
    1,
  );
});

/** The pods of the namespace: Tideline's workloads as rendered, the operators' pods by their labels. */
function podsOf(objects: K8sObject[]): Pod[] {
  const pods: Pod[] = [];
  for (const w of [
    ...ofKind(objects, 'Deployment'),
    ...ofKind(objects, 'Job'),
    ...ofKind(objects, 'StatefulSet'),
  ]) {
    const template = templateOf(w);
    const ports = template.spec.containers.flatMap((c) => c.ports ?? []);
    pods.push({
      name: w.metadata.name,
      labels: template.metadata.labels,
      port: ports[0]?.containerPort ?? 0,
      namedPorts: Object.fromEntries(ports.map((p) => [p.name, p.containerPort])),
    });
  }
  const operated = (name: string, labels: Record<string, string>, port: number): Pod => ({
    name,
    labels,
    port,
    namedPorts: {},
  });
  pods.push(
    operated(
      'kafka',
      { 'strimzi.io/cluster': 'tideline', 'strimzi.io/kind': 'Kafka', 'strimzi.io/name': 'tideline-kafka' },
      9092,
    ),
    operated('postgres', { 'cnpg.io/cluster': 'tideline-pg', 'cnpg.io/podRole': 'instance' }, 5432),
    operated('elasticsearch', { 'elasticsearch.k8s.elastic.co/cluster-name': 'tideline' }, 9200),
    operated('kibana', { 'kibana.k8s.elastic.co/name': 'tideline' }, 5601),
  );
  return pods;
}

/** The NetworkPolicy Strimzi writes for a listener from its networkPolicyPeers. */
function strimziListenerPolicy(objects: K8sObject[]): PolicySpec {
  const listener = (
    find(objects, 'Kafka', 'tideline')!.spec as {
      kafka: { listeners: { port: number; networkPolicyPeers: [] }[] };
    }
  ).kafka.listeners[0]!;
  return {
    podSelector: { matchLabels: { 'strimzi.io/cluster': 'tideline', 'strimzi.io/kind': 'Kafka' } },
    policyTypes: ['Ingress'],
    ingress: [{ from: listener.networkPolicyPeers, ports: [{ port: listener.port, protocol: 'TCP' }] }],
  };
}

const ARCHITECTURE_FLOWS = [
  'ingest -> source-api',
  'ingest -> kafka',
  'processor -> kafka',
  'sink-postgres -> kafka',
  'sink-elasticsearch -> kafka',
  'processor -> redis',
  'sink-postgres -> postgres',
  'sink-elasticsearch -> elasticsearch',
  'query-api -> postgres',
  'query-api -> redis',
  // ingest keeps its feed cursors in Redis; the processor reads the instrument catalogue (alert levels).
  'ingest -> redis',
  'processor -> source-api',
  // set-up Jobs, and Kibana reading Elasticsearch.
  'postgres-migrate -> postgres',
  'kibana-import -> kibana',
  'kibana -> elasticsearch',
].sort();

for (const overlay of OVERLAYS) {
  test(`${overlay}: the NetworkPolicies allow exactly the architecture's flows inside the namespace`, async () => {
    const objects = await render(overlay);
    const flows = allowedFlows(objects, podsOf(objects), [strimziListenerPolicy(objects)]);
    assert.deepEqual(flows, ARCHITECTURE_FLOWS);
  });
}

test('the flow check can fail: without Redis\u2019s policy, every pod that is not locked down reaches it', async () => {
  const all = await render('dev');
  const objects = all.filter((o) => !(o.kind === 'NetworkPolicy' && o.metadata.name === 'redis'));
  const flows = allowedFlows(objects, podsOf(objects), [strimziListenerPolicy(objects)]);
  assert.ok(flows.includes('kafka -> redis'));
  assert.ok(!allowedFlows(all, podsOf(all), [strimziListenerPolicy(all)]).includes('kafka -> redis'));
});

test('from outside the namespace: only the ingress controller reaches the query API (and Kibana), Prometheus every /metrics', async () => {
  const objects = await render('prod');
  const fromNamespace = new Map<string, string[]>();
  for (const policy of ofKind(objects, 'NetworkPolicy')) {
    const spec = policy.spec as unknown as PolicySpec;
    for (const rule of spec.ingress ?? []) {
      for (const peer of rule.from ?? []) {
        const ns = (peer.namespaceSelector as { matchLabels?: Record<string, string> } | undefined)
          ?.matchLabels?.['kubernetes.io/metadata.name'];
        if (ns === undefined) continue;
        fromNamespace.set(ns, [...(fromNamespace.get(ns) ?? []), policy.metadata.name]);
      }
    }
  }
  assert.deepEqual(fromNamespace.get('ingress-nginx')?.sort(), ['kibana', 'query-api']);
  assert.deepEqual(fromNamespace.get('monitoring')?.sort(), ['app-metrics-from-prometheus', 'postgres']);
  assert.deepEqual([...fromNamespace.keys()].sort(), [
    'cnpg-system',
    'elastic-system',
    'ingress-nginx',
    'monitoring',
  ]);
});
