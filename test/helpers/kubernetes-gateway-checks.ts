import { dirname, posix } from 'node:path';
import { parse } from 'yaml';
import type { KubernetesObject } from './render-kustomization.ts';

type Data = Record<string, any>;

/**
 * What the gateway's manifests must hold beyond the schemas: the security properties of the pods,
 * probes on the gateway's health endpoints, objects that point at each other correctly, egress only
 * where the settings send traffic, no secret value in the repository, and every secret source the
 * settings name (`{ env }`, `{ file }`) supplied by the Deployment from a Secret. Returns every
 * problem as "Kind/name: what is wrong".
 */
export function checkGatewayManifests(objects: ReadonlyArray<KubernetesObject>): string[] {
  const problems: string[] = [];
  const of = (kind: string): Data[] => objects.filter((o) => o.kind === kind) as Data[];
  for (const secret of of('Secret')) problems.push(`Secret/${secret['metadata'].name}: a Secret is committed; secrets are created in the cluster, never kept in the repository`);
  const deployments = of('Deployment');
  if (deployments.length !== 1) return [...problems, `expected one Deployment, found ${deployments.length}`];
  const deployment = deployments[0] as Data;
  const where = `Deployment/${deployment['metadata'].name}`;
  const pod: Data = deployment['spec']?.template?.spec ?? {};
  const podLabels: Record<string, string> = deployment['spec']?.template?.metadata?.labels ?? {};
  const selects = (selector: Record<string, string> | undefined): boolean => selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => podLabels[k] === v);
  const volumes: Data[] = pod['volumes'] ?? [];
  const configMaps = new Map(of('ConfigMap').map((c) => [c['metadata'].name as string, c]));

  // The pod: no API token, non-root, no host namespaces or paths.
  if (pod['automountServiceAccountToken'] !== false) problems.push(`${where}: automountServiceAccountToken must be false (the gateway never talks to the Kubernetes API)`);
  if (pod['hostNetwork'] === true || pod['hostPID'] === true || pod['hostIPC'] === true) problems.push(`${where}: host namespaces are not allowed`);
  for (const volume of volumes) if (volume['hostPath']) problems.push(`${where}: volume ${volume['name']} is a hostPath`);
  if (!selects(deployment['spec']?.selector?.matchLabels)) problems.push(`${where}: spec.selector does not select the pod template's labels`);

  const containers: Data[] = pod['containers'] ?? [];
  if (containers.length === 0) problems.push(`${where}: no container`);
  for (const container of containers) {
    const at = `${where} container ${container['name']}`;
    const security: Data = container['securityContext'] ?? {};
    const runAsNonRoot = security['runAsNonRoot'] ?? pod['securityContext']?.runAsNonRoot;
    const runAsUser = security['runAsUser'] ?? pod['securityContext']?.runAsUser;
    if (runAsNonRoot !== true) problems.push(`${at}: runAsNonRoot must be true`);
    if (runAsUser === 0) problems.push(`${at}: runAsUser must not be 0 (root)`);
    if (security['readOnlyRootFilesystem'] !== true) problems.push(`${at}: readOnlyRootFilesystem must be true`);
    if (security['allowPrivilegeEscalation'] !== false) problems.push(`${at}: allowPrivilegeEscalation must be false`);
    if (security['privileged'] === true) problems.push(`${at}: must not be privileged`);
    if (!(security['capabilities']?.drop ?? []).includes('ALL')) problems.push(`${at}: capabilities must drop ALL`);
    if ((security['capabilities']?.add ?? []).length > 0) problems.push(`${at}: capabilities must add none`);
    for (const kind of ['requests', 'limits']) for (const resource of ['cpu', 'memory']) if (container['resources']?.[kind]?.[resource] === undefined) problems.push(`${at}: resources.${kind}.${resource} is missing`);
    const ports: Data[] = container['ports'] ?? [];
    const portKnown = (port: unknown): boolean => ports.some((p) => p['name'] === port || p['containerPort'] === port);
    for (const [probe, path] of [['readinessProbe', '/readyz'], ['livenessProbe', '/healthz']] as const) {
      const get = container[probe]?.httpGet;
      if (get?.path !== path) problems.push(`${at}: ${probe} must GET ${path}`);
      else if (!portKnown(get.port)) problems.push(`${at}: ${probe} port ${get.port} is not a container port`);
    }
    // The root file system is read-only: every writable mount must be an emptyDir, and /tmp must be one.
    const mounts: Data[] = container['volumeMounts'] ?? [];
    for (const mount of mounts) {
      const volume = volumes.find((v) => v['name'] === mount['name']);
      if (!volume) problems.push(`${at}: volumeMount ${mount['name']} has no volume`);
      else if (mount['readOnly'] !== true && !volume['emptyDir']) problems.push(`${at}: ${mount['mountPath']} is writable but not an emptyDir`);
    }
    if (!mounts.some((m) => m['mountPath'] === '/tmp' && volumes.find((v) => v['name'] === m['name'])?.emptyDir)) problems.push(`${at}: /tmp must be an emptyDir (the only place the process writes)`);
  }
  for (const volume of volumes) {
    const name = volume['configMap']?.name;
    if (name !== undefined && !configMaps.has(name)) problems.push(`${where}: volume ${volume['name']} names ConfigMap ${name}, which the kustomization does not make`);
  }

  // The settings in their ConfigMap, as the container sees them.
  const container = containers[0] ?? {};
  const env: Data[] = container['env'] ?? [];
  const mounts: Data[] = container['volumeMounts'] ?? [];
  const configPath: unknown = env.find((e) => e['name'] === 'GATEWAY_CONFIG')?.value;
  const mountOf = (path: string): { mount: Data; volume: Data; key: string } | undefined => {
    for (const mount of mounts) {
      const prefix = `${String(mount['mountPath']).replace(/\/$/, '')}/`;
      if (!path.startsWith(prefix)) continue;
      const volume = volumes.find((v) => v['name'] === mount['name']);
      if (volume) return { mount, volume, key: path.slice(prefix.length) };
    }
    return undefined;
  };
  if (typeof configPath !== 'string') return [...problems, `${where}: GATEWAY_CONFIG is not set to the settings file`];
  const settingsMount = mountOf(configPath);
  const settingsText: unknown = settingsMount?.volume['configMap'] ? configMaps.get(settingsMount.volume['configMap'].name)?.['data']?.[settingsMount.key] : undefined;
  if (typeof settingsText !== 'string') return [...problems, `${where}: GATEWAY_CONFIG ${configPath} is not a file of a mounted ConfigMap`];
  const settings = parse(settingsText) as Data;
  const resolveFromSettings = (path: string): string => posix.resolve(dirname(configPath), path);

  for (const { path, source } of findSecretSources(settings)) {
    if ('env' in source) {
      const variable = env.find((e) => e['name'] === source.env);
      if (!variable) problems.push(`${where}: settings ${path} reads variable ${source.env}, which the container does not set`);
      else if (!variable['valueFrom']?.secretKeyRef) problems.push(`${where}: variable ${source.env} (settings ${path}) must come from a Secret (secretKeyRef), not a value in the manifest`);
    } else {
      const file = resolveFromSettings(source.file);
      const found = mountOf(file);
      const secret = found?.volume['secret'];
      if (!found || !secret) problems.push(`${where}: settings ${path} reads ${file}, which no Secret volume mounts`);
      else if (Array.isArray(secret.items) && !secret.items.some((item: Data) => item['path'] === found.key)) problems.push(`${where}: settings ${path} reads ${file}, but the Secret volume ${found.volume['name']} has no item at ${found.key}`);
    }
  }
  const vendorsDir = resolveFromSettings(String(settings['vendorsDir'] ?? ''));
  const vendorsMount = mounts.find((m) => m['mountPath'] === vendorsDir);
  const vendorsConfigMap = volumes.find((v) => v['name'] === vendorsMount?.name)?.configMap?.name;
  if (vendorsConfigMap === undefined || !configMaps.has(vendorsConfigMap)) problems.push(`${where}: vendorsDir ${vendorsDir} is not a mounted ConfigMap`);

  // Services, autoscaler, disruption budget: all point at these pods.
  for (const service of of('Service')) {
    if (!selects(service['spec']?.selector)) problems.push(`Service/${service['metadata'].name}: its selector does not select the gateway pods`);
    for (const port of service['spec']?.ports ?? []) {
      if (!containers.some((c) => (c['ports'] ?? []).some((p: Data) => p['name'] === port['targetPort'] || p['containerPort'] === port['targetPort']))) problems.push(`Service/${service['metadata'].name}: targetPort ${port['targetPort']} is not a container port`);
    }
  }
  // The ingress: the gateway's host and, with browse mode, every vendor origin (*.proxyDomain), each with TLS, to the gateway Service.
  const publicHost = URL.canParse(String(settings['publicUrl'])) ? new URL(String(settings['publicUrl'])).hostname : undefined;
  const proxyDomain: unknown = settings['browse']?.proxyDomain;
  const wantedHosts = [publicHost, typeof proxyDomain === 'string' ? `*.${proxyDomain.replace(/:\d+$/, '')}` : undefined].filter((h): h is string => h !== undefined);
  const ingresses = of('Ingress');
  if (ingresses.length === 0) problems.push('no Ingress');
  const services = of('Service');
  for (const host of ingresses.length === 0 ? [] : wantedHosts) {
    const routes = ingresses.flatMap((ingress) => (ingress['spec']?.rules ?? []).filter((rule: Data) => rule['host'] === host).map((rule: Data) => ({ ingress, rule })));
    const what = host.startsWith('*.') ? `the vendor origins of browse mode (${host})` : `the gateway's host ${host}`;
    if (routes.length === 0) {
      problems.push(`Ingress: no rule routes ${what}`);
      continue;
    }
    for (const { ingress, rule } of routes) {
      const at = `Ingress/${ingress['metadata'].name}`;
      const paths: Data[] = rule['http']?.paths ?? [];
      if (!paths.some((p) => p['path'] === '/' && p['pathType'] === 'Prefix')) problems.push(`${at}: the rule for ${host} must route every path (path / with pathType Prefix)`);
      for (const path of paths) {
        const backend: Data = path['backend']?.service ?? {};
        const service = services.find((s) => s['metadata'].name === backend['name'] && s['spec']?.clusterIP !== 'None');
        if (!service) problems.push(`${at}: ${host} goes to Service ${backend['name']}, which is not the gateway's load-balanced Service`);
        else if (!(service['spec']?.ports ?? []).some((p: Data) => p['name'] === backend['port']?.name || p['port'] === backend['port']?.number)) problems.push(`${at}: ${host} goes to a port Service ${backend['name']} does not have`);
      }
      if (!(ingress['spec']?.tls ?? []).some((tls: Data) => (tls['hosts'] ?? []).includes(host) && typeof tls['secretName'] === 'string')) problems.push(`${at}: no TLS certificate for ${host} (a patron's session must never cross the network in clear)`);
    }
  }

  const autoscalers = of('HorizontalPodAutoscaler');
  if (autoscalers.length === 0) problems.push('no HorizontalPodAutoscaler');
  for (const hpa of autoscalers) {
    const target = hpa['spec']?.scaleTargetRef ?? {};
    if (target.kind !== 'Deployment' || target.name !== deployment['metadata'].name) problems.push(`HorizontalPodAutoscaler/${hpa['metadata'].name}: scaleTargetRef is not the gateway Deployment`);
    if ((hpa['spec']?.minReplicas ?? 1) < 2) problems.push(`HorizontalPodAutoscaler/${hpa['metadata'].name}: minReplicas must be at least 2 (a single pod is a single point of failure)`);
  }
  const budgets = of('PodDisruptionBudget');
  if (budgets.length === 0) problems.push('no PodDisruptionBudget');
  for (const pdb of budgets) if (!selects(pdb['spec']?.selector?.matchLabels)) problems.push(`PodDisruptionBudget/${pdb['metadata'].name}: its selector does not select the gateway pods`);

  // The network policy: ingress only from named peers; egress only to DNS, the vendors, the ILS and Redis.
  const policies = of('NetworkPolicy');
  if (policies.length === 0) problems.push('no NetworkPolicy');
  for (const policy of policies) {
    const at = `NetworkPolicy/${policy['metadata'].name}`;
    const spec: Data = policy['spec'] ?? {};
    if (!selects(spec['podSelector']?.matchLabels)) problems.push(`${at}: podSelector does not select the gateway pods`);
    const types: string[] = spec['policyTypes'] ?? [];
    if (!types.includes('Ingress') || !types.includes('Egress')) problems.push(`${at}: policyTypes must include Ingress and Egress`);
    for (const rule of spec['ingress'] ?? []) if (!Array.isArray(rule['from']) || rule['from'].length === 0) problems.push(`${at}: an ingress rule admits every source`);
    const egress: Data[] = spec['egress'] ?? [];
    for (const rule of egress) {
      if (!Array.isArray(rule['to']) || rule['to'].length === 0) problems.push(`${at}: an egress rule allows every destination`);
      if (!Array.isArray(rule['ports']) || rule['ports'].length === 0) problems.push(`${at}: an egress rule allows every port`);
    }
    const allows = (port: number, protocol = 'TCP'): boolean => egress.some((rule) => (rule['ports'] ?? []).some((p: Data) => p['port'] === port && (p['protocol'] ?? 'TCP') === protocol));
    if (!allows(53, 'UDP')) problems.push(`${at}: DNS (UDP 53) is not allowed`);
    const contracts = vendorsConfigMap === undefined ? [] : Object.values((configMaps.get(vendorsConfigMap)?.['data'] ?? {}) as Record<string, string>).map((text) => parse(text) as Data);
    for (const contract of contracts) {
      const url = new URL(String(contract['upstream']?.url));
      const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      if (!allows(port)) problems.push(`${at}: vendor ${contract['id']} (port ${port}) is not reachable`);
    }
    if (settings['patrons']?.source === 'sip2' && !allows(Number(settings['patrons']?.sip2?.port ?? 6001))) problems.push(`${at}: the ILS (SIP2 port ${settings['patrons']?.sip2?.port ?? 6001}) is not reachable`);
    if (settings['state']?.redis && !allows(6379)) problems.push(`${at}: Redis (6379) is not reachable`);
  }
  return problems;
}

/** Every `{ env: NAME }` and `{ file: PATH }` in the settings, with its dotted path. */
export function findSecretSources(value: unknown, path = ''): Array<{ path: string; source: { env: string } | { file: string } }> {
  if (Array.isArray(value)) return value.flatMap((item, index) => findSecretSources(item, `${path}[${index}]`));
  if (value === null || typeof value !== 'object') return [];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1 && (typeof (value as Data)['env'] === 'string' || typeof (value as Data)['file'] === 'string')) {
    return [{ path, source: value as { env: string } | { file: string } }];
  }
  return entries.flatMap(([key, child]) => findSecretSources(child, path === '' ? key : `${path}.${key}`));
}
