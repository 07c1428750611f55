// A structural check for the operators' kinds that have no published models (Strimzi, ECK): the
// apiVersion and kind the operator serves, and the spec fields its CRD requires or that Tideline
// relies on, with their types. It is deliberately narrower than the CRDs' OpenAPI schemas (which
// are not packaged on npm): wrong kinds, missing required fields and wrong types fail, unknown
// extra fields do not.
import type { K8sObject } from './k8s.ts';

type Check = (object: K8sObject, problems: string[]) => void;

const isInt = (v: unknown, min = 0): boolean => Number.isInteger(v) && (v as number) >= min;
const isString = (v: unknown): boolean => typeof v === 'string' && v.length > 0;
const K8S_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

function need(problems: string[], ok: boolean, what: string): void {
  if (!ok) problems.push(what);
}
function get(object: unknown, path: string): unknown {
  let node: unknown = object;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

const checks: Record<string, Check> = {
  'kafka.strimzi.io/v1beta2 Kafka': (o, p) => {
    need(
      p,
      o.metadata.annotations?.['strimzi.io/kraft'] === 'enabled',
      'KRaft annotation strimzi.io/kraft=enabled',
    );
    need(p, o.metadata.annotations?.['strimzi.io/node-pools'] === 'enabled', 'strimzi.io/node-pools=enabled');
    need(p, get(o, 'spec.zookeeper') === undefined, 'no spec.zookeeper in KRaft mode');
    need(p, isString(get(o, 'spec.kafka.version')), 'spec.kafka.version');
    const listeners = get(o, 'spec.kafka.listeners');
    need(p, Array.isArray(listeners) && listeners.length > 0, 'spec.kafka.listeners (required)');
    for (const l of Array.isArray(listeners) ? (listeners as unknown[]) : []) {
      need(p, /^[a-z0-9]{1,11}$/.test(String(get(l, 'name'))), 'listener name [a-z0-9]{1,11}');
      need(p, isInt(get(l, 'port'), 9092), 'listener port (integer ≥ 9092)');
      need(
        p,
        ['internal', 'route', 'loadbalancer', 'nodeport', 'ingress', 'cluster-ip'].includes(
          String(get(l, 'type')),
        ),
        'listener type',
      );
      need(p, typeof get(l, 'tls') === 'boolean', 'listener tls (boolean, required)');
    }
    const config = get(o, 'spec.kafka.config');
    need(p, config !== null && typeof config === 'object', 'spec.kafka.config');
  },
  'kafka.strimzi.io/v1beta2 KafkaNodePool': (o, p) => {
    need(p, isString(o.metadata.labels?.['strimzi.io/cluster']), 'label strimzi.io/cluster');
    need(p, isInt(get(o, 'spec.replicas'), 1), 'spec.replicas (integer ≥ 1)');
    const roles = get(o, 'spec.roles');
    need(
      p,
      Array.isArray(roles) && roles.length > 0 && roles.every((r) => r === 'controller' || r === 'broker'),
      'spec.roles ⊆ {controller, broker} (required)',
    );
    need(
      p,
      ['jbod', 'persistent-claim', 'ephemeral'].includes(String(get(o, 'spec.storage.type'))),
      'spec.storage.type (required)',
    );
  },
  'kafka.strimzi.io/v1beta2 KafkaTopic': (o, p) => {
    need(p, isString(o.metadata.labels?.['strimzi.io/cluster']), 'label strimzi.io/cluster');
    need(p, K8S_NAME.test(o.metadata.name), 'metadata.name is a Kubernetes name');
    need(p, TOPIC_NAME.test(String(get(o, 'spec.topicName'))), 'spec.topicName is a Kafka topic name');
    need(p, isInt(get(o, 'spec.partitions'), 1), 'spec.partitions (integer ≥ 1)');
    need(p, isInt(get(o, 'spec.replicas'), 1), 'spec.replicas (integer ≥ 1)');
    const config = get(o, 'spec.config') ?? {};
    need(
      p,
      Object.values(config as object).every((v) => ['string', 'number', 'boolean'].includes(typeof v)),
      'spec.config values are scalars',
    );
  },
  'elasticsearch.k8s.elastic.co/v1 Elasticsearch': (o, p) => {
    need(p, /^\d+\.\d+\.\d+$/.test(String(get(o, 'spec.version'))), 'spec.version (required)');
    const sets = get(o, 'spec.nodeSets');
    need(p, Array.isArray(sets) && sets.length > 0, 'spec.nodeSets (required)');
    for (const set of Array.isArray(sets) ? (sets as unknown[]) : []) {
      need(p, isString(get(set, 'name')), 'nodeSet name (required)');
      need(p, isInt(get(set, 'count'), 1), 'nodeSet count (integer ≥ 1)');
    }
  },
  'kibana.k8s.elastic.co/v1 Kibana': (o, p) => {
    need(p, /^\d+\.\d+\.\d+$/.test(String(get(o, 'spec.version'))), 'spec.version (required)');
    need(p, isInt(get(o, 'spec.count'), 1), 'spec.count (integer ≥ 1)');
    need(p, isString(get(o, 'spec.elasticsearchRef.name')), 'spec.elasticsearchRef.name');
  },
};

/** The problems of an object of a kind without a model; undefined when the kind is not known here. */
export function structuralProblems(object: K8sObject): string[] | undefined {
  const check = checks[`${object.apiVersion} ${object.kind}`];
  if (check === undefined) return undefined;
  const problems: string[] = [];
  check(object, problems);
  return problems;
}
