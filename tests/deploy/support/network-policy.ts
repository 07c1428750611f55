// Evaluates Kubernetes NetworkPolicies between the pods of one namespace, the way the API defines
// them: a pod selected by no policy of a type is open in that direction; a selected pod allows only
// what one of its policies' rules allows. Peers with a namespaceSelector are other namespaces and
// never match a pod of this one.
import type { K8sObject } from './k8s.ts';

export interface Pod {
  name: string;
  labels: Record<string, string>;
  /** The port other pods connect to, and the container ports by name. */
  port: number;
  namedPorts: Record<string, number>;
}

interface Peer {
  podSelector?: { matchLabels?: Record<string, string> };
  namespaceSelector?: unknown;
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: { port?: number | string; protocol?: string }[];
}
interface PolicySpec {
  podSelector: { matchLabels?: Record<string, string> };
  policyTypes: ('Ingress' | 'Egress')[];
  ingress?: Rule[];
  egress?: Rule[];
}

const matches = (selector: { matchLabels?: Record<string, string> } | undefined, pod: Pod): boolean =>
  Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => pod.labels[k] === v);

function ruleAllows(rule: Rule, peers: Peer[] | undefined, other: Pod, target: Pod, port: number): boolean {
  const peerOk =
    peers === undefined ||
    peers.some((peer) => peer.namespaceSelector === undefined && matches(peer.podSelector, other));
  const portOk =
    rule.ports === undefined ||
    rule.ports.some((p) => (typeof p.port === 'string' ? target.namedPorts[p.port] : p.port) === port);
  return peerOk && portOk;
}

function allowed(
  policies: PolicySpec[],
  type: 'Ingress' | 'Egress',
  self: Pod,
  other: Pod,
  target: Pod,
  port: number,
): boolean {
  const selecting = policies.filter((p) => p.policyTypes.includes(type) && matches(p.podSelector, self));
  if (selecting.length === 0) return true;
  return selecting.some((p) =>
    (type === 'Ingress' ? (p.ingress ?? []) : (p.egress ?? [])).some((rule) =>
      ruleAllows(rule, type === 'Ingress' ? rule.from : rule.to, other, target, port),
    ),
  );
}

/** Every `from -> to` connection to the target's port that the policies allow, between distinct pods. */
export function allowedFlows(objects: K8sObject[], pods: Pod[], extraPolicies: PolicySpec[] = []): string[] {
  const policies = [
    ...objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.spec as unknown as PolicySpec),
    ...extraPolicies,
  ];
  const flows: string[] = [];
  for (const from of pods) {
    for (const to of pods) {
      if (from.name === to.name) continue;
      if (
        allowed(policies, 'Egress', from, to, to, to.port) &&
        allowed(policies, 'Ingress', to, from, to, to.port)
      ) {
        flows.push(`${from.name} -> ${to.name}`);
      }
    }
  }
  return flows.sort();
}

export type { PolicySpec };
