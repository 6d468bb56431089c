import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';

/** A Kubernetes object as plain data. */
export type KubernetesObject = Record<string, unknown> & { apiVersion: string; kind: string; metadata: Record<string, unknown> & { name: string } };

/**
 * The subset of kustomize that config/kubernetes/ uses, rendered the way `kubectl kustomize`
 * renders it: `resources` (files), `configMapGenerator` (files; a name-hash suffix unless
 * `options.disableNameSuffixHash`, and `options.labels`), `namespace` and `labels` (pairs with
 * `includeSelectors: false`, i.e. metadata labels only). Generated ConfigMap names are rewritten
 * where a Pod template refers to them (volumes, envFrom, configMapKeyRef). Any other kustomization
 * key is refused, so a kustomization this renderer would misread fails instead of passing. The
 * hash suffix is this renderer's own (kustomize's differs); only its consistency matters here.
 */
export async function renderKustomization(dir: string): Promise<KubernetesObject[]> {
  const kustomization = parse(await readFile(join(dir, 'kustomization.yaml'), 'utf8')) as Record<string, unknown>;
  return renderParsedKustomization(dir, kustomization);
}

const KNOWN_KEYS = new Set(['apiVersion', 'kind', 'namespace', 'labels', 'resources', 'configMapGenerator']);
/** Kinds that are not namespaced (the namespace transformer leaves them alone). */
const CLUSTER_KINDS = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass', 'PriorityClass']);

export async function renderParsedKustomization(dir: string, kustomization: Record<string, unknown>): Promise<KubernetesObject[]> {
  for (const key of Object.keys(kustomization)) if (!KNOWN_KEYS.has(key)) throw new Error(`kustomization.yaml: "${key}" is not implemented by this renderer`);
  if (kustomization['apiVersion'] !== 'kustomize.config.k8s.io/v1beta1' || kustomization['kind'] !== 'Kustomization') throw new Error('kustomization.yaml: apiVersion/kind must be kustomize.config.k8s.io/v1beta1 Kustomization');
  const objects: KubernetesObject[] = [];
  for (const resource of asList(kustomization['resources'], 'resources')) {
    if (typeof resource !== 'string') throw new Error('kustomization.yaml: resources must be file names');
    const text = await readFile(join(dir, resource), 'utf8');
    for (const document of parseAllDocuments(text)) {
      if (document.errors.length > 0) throw new Error(`${resource}: ${document.errors[0]?.message}`);
      const value = document.toJS() as unknown;
      if (value === null || value === undefined) continue;
      objects.push(asObject(value, resource));
    }
  }
  const renamed = new Map<string, string>();
  for (const generator of asList(kustomization['configMapGenerator'], 'configMapGenerator')) {
    const spec = generator as { name?: unknown; files?: unknown; options?: { disableNameSuffixHash?: unknown; labels?: unknown } };
    for (const key of Object.keys(spec)) if (!['name', 'files', 'options'].includes(key)) throw new Error(`configMapGenerator: "${key}" is not implemented by this renderer`);
    if (typeof spec.name !== 'string') throw new Error('configMapGenerator: every generator needs a name');
    const data: Record<string, string> = {};
    for (const file of asList(spec.files, `configMapGenerator ${spec.name} files`)) {
      if (typeof file !== 'string') throw new Error(`configMapGenerator ${spec.name}: files must be file names`);
      const key = basename(file);
      if (key in data) throw new Error(`configMapGenerator ${spec.name}: two files named ${key}`);
      data[key] = await readFile(join(dir, file), 'utf8');
    }
    const hashed = spec.options?.disableNameSuffixHash !== true;
    const name = hashed ? `${spec.name}-${createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 10)}` : spec.name;
    renamed.set(spec.name, name);
    const labels = (spec.options?.labels ?? {}) as Record<string, string>;
    objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(Object.keys(labels).length > 0 ? { labels: { ...labels } } : {}) }, data });
  }
  const namespace = kustomization['namespace'];
  for (const object of objects) {
    if (typeof namespace === 'string' && !CLUSTER_KINDS.has(object.kind)) object.metadata['namespace'] = namespace;
    for (const entry of asList(kustomization['labels'], 'labels')) {
      const { pairs, includeSelectors, ...rest } = entry as { pairs?: Record<string, string>; includeSelectors?: boolean };
      if (Object.keys(rest).length > 0 || includeSelectors !== false) throw new Error('labels: only pairs with includeSelectors: false are implemented by this renderer');
      object.metadata['labels'] = { ...((object.metadata['labels'] as Record<string, string> | undefined) ?? {}), ...pairs };
    }
    renameConfigMapReferences(object, renamed);
  }
  return objects;
}

function renameConfigMapReferences(object: KubernetesObject, renamed: ReadonlyMap<string, string>): void {
  const podSpec = (object['spec'] as { template?: { spec?: Record<string, unknown> } } | undefined)?.template?.spec;
  if (!podSpec) return;
  const rename = (holder: Record<string, unknown> | undefined, key: string): void => {
    const current = holder?.[key];
    if (holder && typeof current === 'string' && renamed.has(current)) holder[key] = renamed.get(current);
  };
  for (const volume of (podSpec['volumes'] as Array<Record<string, unknown>> | undefined) ?? []) rename(volume['configMap'] as Record<string, unknown> | undefined, 'name');
  for (const container of [...((podSpec['containers'] as Array<Record<string, unknown>> | undefined) ?? []), ...((podSpec['initContainers'] as Array<Record<string, unknown>> | undefined) ?? [])]) {
    for (const from of (container['envFrom'] as Array<Record<string, unknown>> | undefined) ?? []) rename(from['configMapRef'] as Record<string, unknown> | undefined, 'name');
    for (const env of (container['env'] as Array<Record<string, unknown>> | undefined) ?? []) rename((env['valueFrom'] as Record<string, unknown> | undefined)?.['configMapKeyRef'] as Record<string, unknown> | undefined, 'name');
  }
}

function asList(value: unknown, what: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`kustomization.yaml: ${what} must be a list`);
  return value;
}

function asObject(value: unknown, file: string): KubernetesObject {
  const object = value as Partial<KubernetesObject>;
  if (typeof object !== 'object' || typeof object.apiVersion !== 'string' || typeof object.kind !== 'string' || typeof object.metadata?.name !== 'string') {
    throw new Error(`${file}: every document needs apiVersion, kind and metadata.name`);
  }
  return object as KubernetesObject;
}
