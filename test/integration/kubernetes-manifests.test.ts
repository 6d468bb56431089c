import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContracts } from '../../src/contracts/load-contracts.ts';
import { loadSettings } from '../../src/settings/load-settings.ts';
import { ROOT } from '../helpers/cli.ts';
import { checkGatewayManifests } from '../helpers/kubernetes-gateway-checks.ts';
import { validateAgainstKubernetesSchemas } from '../helpers/kubernetes-schemas.ts';
import { renderKustomization, renderParsedKustomization, type KubernetesObject } from '../helpers/render-kustomization.ts';

/**
 * config/kubernetes/ is rendered as `kubectl kustomize` would (test/helpers/render-kustomization.ts:
 * the subset of kustomize the base uses), then every object is validated against the Kubernetes
 * schemas (kubernetes-models: JSON Schema plus a strict field check through its TypeScript
 * declarations) and checked for the gateway's own properties. A table of broken copies shows that
 * each check can fail.
 */
const BASE = join(ROOT, 'config/kubernetes');
let rendered: KubernetesObject[];
let dir: string;

beforeAll(async () => {
  rendered = await renderKustomization(BASE);
  dir = await mkdtemp(join(tmpdir(), 'gw-k8s-'));
}, 60_000);
afterAll(async () => rm(dir, { recursive: true, force: true }));

const find = (objects: KubernetesObject[], kind: string, namePrefix: string): Record<string, any> => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name.startsWith(namePrefix));
  if (!found) throw new Error(`no ${kind} ${namePrefix}`);
  return found;
};
const pod = (objects: KubernetesObject[]): Record<string, any> => find(objects, 'Deployment', 'gateway')['spec'].template.spec;
const container = (objects: KubernetesObject[]): Record<string, any> => pod(objects)['containers'][0];

describe('the kustomize base in config/kubernetes', () => {
  it('renders the gateway\'s objects, each in the namespace and with the common label', () => {
    expect(rendered.map((o) => `${o.kind}/${o.metadata.name.replace(/-[0-9a-f]{10}$/, '-<hash>')}`).sort()).toEqual([
      'ConfigMap/gateway-grafana-dashboard',
      'ConfigMap/gateway-settings-<hash>',
      'ConfigMap/gateway-vendors-<hash>',
      'Deployment/gateway',
      'HorizontalPodAutoscaler/gateway',
      'Ingress/gateway',
      'NetworkPolicy/gateway',
      'PodDisruptionBudget/gateway',
      'Service/gateway',
      'Service/gateway-pods',
    ]);
    for (const object of rendered) {
      expect(object.metadata['namespace']).toBe('library-gateway');
      expect((object.metadata['labels'] as Record<string, string>)['app.kubernetes.io/part-of']).toBe('patron-privacy-gateway');
    }
    // Generated names carry the content hash, and the Deployment mounts the renamed ConfigMaps.
    const names = pod(rendered)['volumes'].map((v: Record<string, any>) => v['configMap']?.name).filter(Boolean);
    expect(names).toEqual([find(rendered, 'ConfigMap', 'gateway-settings').metadata.name, find(rendered, 'ConfigMap', 'gateway-vendors').metadata.name]);
  });

  it('every object validates against the Kubernetes schemas, strictly (no field the schema does not define)', async () => {
    expect(await validateAgainstKubernetesSchemas(rendered)).toEqual([]);
  }, 60_000);

  it('the gateway\'s own checks pass: security, probes, references, egress, secrets', () => {
    expect(checkGatewayManifests(rendered)).toEqual([]);
  });

  it('the settings and contracts in the ConfigMaps load as the gateway loads them in production, without a problem', async () => {
    const settingsText = String(find(rendered, 'ConfigMap', 'gateway-settings')['data']['gateway.yaml']);
    const vendors = find(rendered, 'ConfigMap', 'gateway-vendors')['data'] as Record<string, string>;
    // As mounted: /etc/gateway/settings/gateway.yaml and /etc/gateway/vendors/.
    await mkdir(join(dir, 'etc/gateway/settings'), { recursive: true });
    await mkdir(join(dir, 'etc/gateway/vendors'), { recursive: true });
    await writeFile(join(dir, 'etc/gateway/settings/gateway.yaml'), settingsText);
    for (const [name, text] of Object.entries(vendors)) await writeFile(join(dir, 'etc/gateway/vendors', name), text);
    const loaded = await loadSettings(join(dir, 'etc/gateway/settings/gateway.yaml'), { production: true });
    expect(loaded.problems).toEqual([]);
    expect(loaded.settings?.vendorsDir).toBe(join(dir, 'etc/gateway/vendors'));
    const contracts = await loadContracts(join(dir, 'etc/gateway/vendors'), { signingKeyConfigured: true });
    expect(contracts.problems).toEqual([]);
    expect([...contracts.contracts.keys()]).toEqual(Object.keys(vendors).map((file) => file.replace(/\.yaml$/, '')));
  });

  it('the Grafana dashboard ConfigMap holds config/kubernetes/grafana-dashboard.json, labelled for the Grafana sidecar', async () => {
    const dashboard = find(rendered, 'ConfigMap', 'gateway-grafana-dashboard');
    expect(dashboard['metadata'].labels['grafana_dashboard']).toBe('1');
    expect(dashboard['data']['grafana-dashboard.json']).toBe(await readFile(join(BASE, 'grafana-dashboard.json'), 'utf8'));
    expect(JSON.parse(dashboard['data']['grafana-dashboard.json']).uid).toBe('patron-privacy-gateway');
  });

  it('the Prometheus scrape configuration passes promtool check config, and names the headless Service and the container port', async () => {
    const scrape = parse(await readFile(join(BASE, 'prometheus-scrape.yaml'), 'utf8')) as { scrape_configs: Array<Record<string, any>> };
    const job = scrape.scrape_configs[0] ?? {};
    const headless = find(rendered, 'Service', 'gateway-pods');
    expect(headless['spec'].clusterIP).toBe('None');
    expect(job['dns_sd_configs'][0].names).toEqual([`${headless['metadata'].name}.${headless['metadata'].namespace}.svc.cluster.local`]);
    expect(container(rendered)['ports'].map((p: Record<string, unknown>) => p['containerPort'])).toContain(job['dns_sd_configs'][0].port);
    // promtool wants the token file to exist: the same configuration, with the file in a temporary folder.
    const token = join(dir, 'metrics-token');
    await writeFile(token, 'not-a-real-token');
    job['authorization'].credentials_file = token;
    await writeFile(join(dir, 'prometheus.yml'), stringify(scrape));
    const result = spawnSync('promtool', ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8' });
    if (result.error) throw new Error(`promtool is missing (install Debian's prometheus package; .ci/run does): ${result.error.message}`);
    expect(result.stdout + result.stderr).toMatch(/SUCCESS/);
    expect(result.status).toBe(0);
  });
});

/** A broken copy of the rendered base, and the problem it must produce. */
type Mutation = [name: string, mutate: (objects: KubernetesObject[]) => void, expected: RegExp];

describe('a broken manifest fails', () => {
  const mutations: Mutation[] = [
    // The Kubernetes schemas.
    ['a misspelt field (readinesProbe) that the cluster would silently ignore', (o) => { const c = container(o); c['readinesProbe'] = c['readinessProbe']; delete c['readinessProbe']; }, /Deployment\/gateway: .*'"readinesProbe"' does not exist in type 'IContainer'/],
    ['replicas as text', (o) => { find(o, 'Deployment', 'gateway')['spec'].replicas = 'two'; }, /Deployment\/gateway: .*replicas must be integer/],
    ['a container without an image name', (o) => { pod(o)['containers'] = [{ image: 'x' }]; }, /Deployment\/gateway: .*containers\/0 must have required property name/],
    ['a Service port as a name', (o) => { find(o, 'Service', 'gateway')['spec'].ports[0].port = 'http'; }, /Service\/gateway: .*port must be integer/],
    ['an API version that does not exist', (o) => { find(o, 'HorizontalPodAutoscaler', 'gateway')['apiVersion'] = 'autoscaling/v3'; }, /HorizontalPodAutoscaler\/gateway: no Kubernetes schema for apiVersion autoscaling\/v3/],
    ['a NetworkPolicy with an unknown policy field', (o) => { find(o, 'NetworkPolicy', 'gateway')['spec'].egres = []; }, /NetworkPolicy\/gateway: .*'"egres"' does not exist/],
    // The pod's security.
    ['running as root allowed (the container\'s runAsNonRoot, which wins over the pod\'s)', (o) => { container(o)['securityContext'].runAsNonRoot = false; }, /runAsNonRoot must be true/],
    ['running as user 0', (o) => { pod(o)['securityContext'].runAsUser = 0; }, /runAsUser must not be 0/],
    ['a writable root file system', (o) => { delete container(o)['securityContext'].readOnlyRootFilesystem; }, /readOnlyRootFilesystem must be true/],
    ['privilege escalation allowed', (o) => { container(o)['securityContext'].allowPrivilegeEscalation = true; }, /allowPrivilegeEscalation must be false/],
    ['capabilities not dropped', (o) => { container(o)['securityContext'].capabilities = { drop: ['NET_RAW'] }; }, /capabilities must drop ALL/],
    ['a capability added', (o) => { container(o)['securityContext'].capabilities.add = ['NET_ADMIN']; }, /capabilities must add none/],
    ['the service account token mounted', (o) => { pod(o)['automountServiceAccountToken'] = true; }, /automountServiceAccountToken must be false/],
    ['no memory limit', (o) => { delete container(o)['resources'].limits.memory; }, /resources\.limits\.memory is missing/],
    ['no /tmp emptyDir', (o) => { container(o)['volumeMounts'] = container(o)['volumeMounts'].filter((m: Record<string, unknown>) => m['mountPath'] !== '/tmp'); }, /\/tmp must be an emptyDir/],
    ['a writable mount that is not an emptyDir', (o) => { container(o)['volumeMounts'][0].readOnly = false; }, /\/etc\/gateway\/settings is writable but not an emptyDir/],
    ['a hostPath volume', (o) => { pod(o)['volumes'].push({ name: 'host', hostPath: { path: '/var' } }); }, /volume host is a hostPath/],
    // Probes.
    ['readiness on /healthz instead of /readyz', (o) => { container(o)['readinessProbe'].httpGet.path = '/healthz'; }, /readinessProbe must GET \/readyz/],
    ['no liveness probe', (o) => { delete container(o)['livenessProbe']; }, /livenessProbe must GET \/healthz/],
    ['a probe on a port the container does not have', (o) => { container(o)['livenessProbe'].httpGet.port = 'metrics'; }, /livenessProbe port metrics is not a container port/],
    // Secrets and settings.
    ['a Secret with its values committed', (o) => { o.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'gateway-keys' }, stringData: { 'session-key': 'x' } }); }, /Secret\/gateway-keys: a Secret is committed/],
    ['the Redis URL as a value in the manifest instead of a secretKeyRef', (o) => { const e = container(o)['env'].find((v: Record<string, unknown>) => v['name'] === 'REDIS_URL'); delete e.valueFrom; e.value = 'redis://user:password@redis:6379'; }, /variable REDIS_URL \(settings state\.redis\.url\) must come from a Secret/],
    ['a variable the settings read that the container does not set', (o) => { container(o)['env'] = container(o)['env'].filter((v: Record<string, unknown>) => v['name'] !== 'SIP2_PASSWORD'); }, /settings patrons\.sip2\.password reads variable SIP2_PASSWORD, which the container does not set/],
    ['a secret file the Secret volume does not provide', (o) => { const keys = pod(o)['volumes'].find((v: Record<string, unknown>) => v['name'] === 'keys'); keys.secret.items = keys.secret.items.filter((i: Record<string, unknown>) => i['key'] !== 'session-key'); }, /settings secrets\.sessionKey reads \/var\/run\/secrets\/gateway\/session-key, but the Secret volume keys has no item at session-key/],
    ['the secrets mounted elsewhere than the settings read them', (o) => { container(o)['volumeMounts'].find((m: Record<string, unknown>) => m['name'] === 'keys').mountPath = '/secrets'; }, /reads \/var\/run\/secrets\/gateway\/pseudonym-secret, which no Secret volume mounts/],
    ['GATEWAY_CONFIG pointing at a file no ConfigMap provides', (o) => { container(o)['env'].find((v: Record<string, unknown>) => v['name'] === 'GATEWAY_CONFIG').value = '/etc/gateway/settings/other.yaml'; }, /GATEWAY_CONFIG \/etc\/gateway\/settings\/other\.yaml is not a file of a mounted ConfigMap/],
    ['the vendors ConfigMap not mounted where vendorsDir points', (o) => { container(o)['volumeMounts'].find((m: Record<string, unknown>) => m['name'] === 'vendors').mountPath = '/vendors'; }, /vendorsDir \/etc\/gateway\/vendors is not a mounted ConfigMap/],
    ['a volume naming a ConfigMap the kustomization does not make', (o) => { pod(o)['volumes'].find((v: Record<string, unknown>) => v['name'] === 'settings').configMap.name = 'gateway-settings'; }, /names ConfigMap gateway-settings, which the kustomization does not make/],
    // Objects pointing at each other.
    ['a Service selecting other pods', (o) => { find(o, 'Service', 'gateway')['spec'].selector = { app: 'other' }; }, /Service\/gateway: its selector does not select the gateway pods/],
    ['an autoscaler scaling another Deployment', (o) => { find(o, 'HorizontalPodAutoscaler', 'gateway')['spec'].scaleTargetRef.name = 'gatway'; }, /scaleTargetRef is not the gateway Deployment/],
    ['an autoscaler that may go down to one pod', (o) => { find(o, 'HorizontalPodAutoscaler', 'gateway')['spec'].minReplicas = 1; }, /minReplicas must be at least 2/],
    ['a disruption budget selecting nothing', (o) => { find(o, 'PodDisruptionBudget', 'gateway')['spec'].selector.matchLabels = { 'app.kubernetes.io/name': 'gatway' }; }, /PodDisruptionBudget\/gateway: its selector does not select/],
    // The ingress.
    ['no rule for the vendor origins of browse mode (the proxy domain unreachable)', (o) => { const spec = find(o, 'Ingress', 'gateway')['spec']; spec.rules = spec.rules.filter((r: Record<string, unknown>) => r['host'] !== '*.library-proxy.example'); }, /no rule routes the vendor origins of browse mode \(\*\.library-proxy\.example\)/],
    ['a wildcard rule for another domain than browse.proxyDomain', (o) => { find(o, 'Ingress', 'gateway')['spec'].rules[1].host = '*.library.example'; }, /no rule routes the vendor origins of browse mode/],
    ['no rule for the gateway\'s own host', (o) => { find(o, 'Ingress', 'gateway')['spec'].rules[0].host = 'www.library.example'; }, /no rule routes the gateway's host gateway\.library\.example/],
    ['the vendor origins sent to the headless Service', (o) => { find(o, 'Ingress', 'gateway')['spec'].rules[1].http.paths[0].backend.service.name = 'gateway-pods'; }, /\*\.library-proxy\.example goes to Service gateway-pods, which is not the gateway's load-balanced Service/],
    ['a backend port the Service does not have', (o) => { find(o, 'Ingress', 'gateway')['spec'].rules[0].http.paths[0].backend.service.port = { name: 'metrics' }; }, /goes to a port Service gateway does not have/],
    ['only part of the vendor origins\' paths routed', (o) => { find(o, 'Ingress', 'gateway')['spec'].rules[1].http.paths[0].path = '/static'; }, /the rule for \*\.library-proxy\.example must route every path/],
    ['no wildcard certificate (vendor origins in clear)', (o) => { const spec = find(o, 'Ingress', 'gateway')['spec']; spec.tls = spec.tls.filter((t: Record<string, string[]>) => !t['hosts']?.includes('*.library-proxy.example')); }, /no TLS certificate for \*\.library-proxy\.example/],
    ['no Ingress at all', (o) => { o.splice(o.findIndex((x) => x.kind === 'Ingress'), 1); }, /^no Ingress$/],
    ['an Ingress with an unknown field', (o) => { find(o, 'Ingress', 'gateway')['spec'].rule = []; }, /Ingress\/gateway: .*'"rule"' does not exist/],
    // The network policy.
    ['egress open to everything', (o) => { find(o, 'NetworkPolicy', 'gateway')['spec'].egress.push({}); }, /an egress rule allows every destination/],
    ['an ingress rule from anywhere', (o) => { find(o, 'NetworkPolicy', 'gateway')['spec'].ingress.push({ ports: [{ port: 8080 }] }); }, /an ingress rule admits every source/],
    ['egress without DNS', (o) => { const p = find(o, 'NetworkPolicy', 'gateway')['spec']; p.egress = p.egress.filter((r: Record<string, any>) => !r['ports'].some((port: Record<string, unknown>) => port['port'] === 53)); }, /DNS \(UDP 53\) is not allowed/],
    ['egress without the ILS', (o) => { const p = find(o, 'NetworkPolicy', 'gateway')['spec']; p.egress = p.egress.filter((r: Record<string, any>) => !r['ports'].some((port: Record<string, unknown>) => port['port'] === 6001)); }, /the ILS \(SIP2 port 6001\) is not reachable/],
    ['egress without Redis', (o) => { const p = find(o, 'NetworkPolicy', 'gateway')['spec']; p.egress = p.egress.filter((r: Record<string, any>) => !r['ports'].some((port: Record<string, unknown>) => port['port'] === 6379)); }, /Redis \(6379\) is not reachable/],
    ['egress without the vendors\' HTTPS', (o) => { const p = find(o, 'NetworkPolicy', 'gateway')['spec']; p.egress = p.egress.filter((r: Record<string, any>) => !r['ports'].some((port: Record<string, unknown>) => port['port'] === 443)); }, /vendor ebooks \(port 443\) is not reachable/],
    ['ingress only (egress unrestricted)', (o) => { find(o, 'NetworkPolicy', 'gateway')['spec'].policyTypes = ['Ingress']; }, /policyTypes must include Ingress and Egress/],
  ];

  it.each(mutations)('%s', async (_name, mutate, expected) => {
    const broken = structuredClone(rendered);
    mutate(broken);
    const problems = [...(await validateAgainstKubernetesSchemas(broken)), ...checkGatewayManifests(broken)];
    expect(problems.some((problem) => expected.test(problem)), problems.join('\n')).toBe(true);
  }, 60_000);

  it.each([
    ['a kustomization key this renderer does not implement', { patches: [] }, /"patches" is not implemented/],
    ['a resource file that does not exist', { resources: ['deployment.yaml', 'missing.yaml'] }, /ENOENT/],
    ['labels that would also change selectors', { labels: [{ pairs: { a: 'b' }, includeSelectors: true }] }, /only pairs with includeSelectors: false/],
    ['a generator file that does not exist', { configMapGenerator: [{ name: 'x', files: ['missing.json'] }] }, /ENOENT/],
  ])('the render refuses %s', async (_name, change, expected) => {
    const kustomization = { ...(parse(await readFile(join(BASE, 'kustomization.yaml'), 'utf8')) as Record<string, unknown>), ...change };
    await expect(renderParsedKustomization(BASE, kustomization)).rejects.toThrow(expected);
  });
});
