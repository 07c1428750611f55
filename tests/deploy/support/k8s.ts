// Renders the kustomize overlays with the real kustomize (`kubectl kustomize`) and checks every
// rendered object against a model of its kind.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from './services.ts';

const run = promisify(execFile);

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

export const OVERLAYS = ['dev', 'prod'] as const;

export async function render(overlay: string): Promise<K8sObject[]> {
  const { stdout } = await run('kubectl', ['kustomize', path.join(repoRoot, 'k8s/overlays', overlay)], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return parseAllDocuments(stdout).map((doc) => doc.toJSON() as K8sObject);
}

export function find(objects: K8sObject[], kind: string, name: string): K8sObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata.name === name);
}

export function ofKind(objects: K8sObject[], kind: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind);
}

interface Validating {
  validate(): void;
}
type ModelClass = new (data: unknown) => Validating;

/**
 * The package of models for an API group: kubernetes-models for the core groups, @kubernetes-models/*
 * for the operators that have one (KEDA, CloudNativePG, the Prometheus operator).
 */
function modelModule(apiVersion: string): string | undefined {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
  if (group === '' || !group.includes('.') || group.endsWith('.k8s.io'))
    return `kubernetes-models/${apiVersion}`;
  const thirdParty: Record<string, string> = {
    'keda.sh': '@kubernetes-models/keda',
    'postgresql.cnpg.io': '@kubernetes-models/cloudnative-pg',
    'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
  };
  const pkg = thirdParty[group];
  return pkg === undefined ? undefined : `${pkg}/${apiVersion}`;
}

/** Validates against the kind's model; undefined when there is no model (see structural.ts). */
export async function validateWithModel(object: K8sObject): Promise<'valid' | 'no model'> {
  const specifier = modelModule(object.apiVersion);
  if (specifier === undefined) return 'no model';
  const module = (await import(specifier)) as Record<string, ModelClass | undefined>;
  const Model = module[object.kind];
  if (Model === undefined) throw new Error(`${specifier} has no model for ${object.kind}`);
  new Model(object).validate();
  return 'valid';
}
