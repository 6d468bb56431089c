import { join } from 'node:path';
import ts from 'typescript';
import { ROOT } from './cli.ts';
import type { KubernetesObject } from './render-kustomization.ts';

/**
 * Validation of Kubernetes objects against the Kubernetes API schemas, from the npm registry's
 * `kubernetes-models` (models generated from the Kubernetes OpenAPI specification):
 *  - its validators (JSON Schema compiled with ajv): types, required fields, enums, formats;
 *  - its TypeScript declarations of the same schemas, through the TypeScript compiler: an object
 *    literal's excess-property check refuses any field the schema does not define (a typo such as
 *    `readinesProbe` passes the API server's lenient decoding and JSON Schema, and is silently
 *    ignored by the cluster: this is the `kubectl --validate=strict` / kubeconform -strict check).
 */
const MODELS: Readonly<Record<string, { readonly module: string; readonly model: string; readonly type: string }>> = {
  'apps/v1 Deployment': { module: 'kubernetes-models/apps/v1/Deployment', model: 'Deployment', type: 'IDeployment' },
  'v1 Service': { module: 'kubernetes-models/v1/Service', model: 'Service', type: 'IService' },
  'v1 ConfigMap': { module: 'kubernetes-models/v1/ConfigMap', model: 'ConfigMap', type: 'IConfigMap' },
  'v1 Secret': { module: 'kubernetes-models/v1/Secret', model: 'Secret', type: 'ISecret' },
  'autoscaling/v2 HorizontalPodAutoscaler': { module: 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler', model: 'HorizontalPodAutoscaler', type: 'IHorizontalPodAutoscaler' },
  'policy/v1 PodDisruptionBudget': { module: 'kubernetes-models/policy/v1/PodDisruptionBudget', model: 'PodDisruptionBudget', type: 'IPodDisruptionBudget' },
  'networking.k8s.io/v1 Ingress': { module: 'kubernetes-models/networking.k8s.io/v1/Ingress', model: 'Ingress', type: 'IIngress' },
  'networking.k8s.io/v1 NetworkPolicy': { module: 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy', model: 'NetworkPolicy', type: 'INetworkPolicy' },
};

const label = (object: KubernetesObject): string => `${object.kind}/${object.metadata.name}`;

/** Every schema problem of every object (JSON Schema, then the strict field check), as "Kind/name: message". */
export async function validateAgainstKubernetesSchemas(objects: ReadonlyArray<KubernetesObject>): Promise<string[]> {
  const problems: string[] = [];
  const known: KubernetesObject[] = [];
  for (const object of objects) {
    const entry = MODELS[`${object.apiVersion} ${object.kind}`];
    if (!entry) {
      problems.push(`${label(object)}: no Kubernetes schema for apiVersion ${object.apiVersion} kind ${object.kind}`);
      continue;
    }
    known.push(object);
    const module = (await import(entry.module)) as Record<string, new (data: unknown) => { validate(): void }>;
    const Model = module[entry.model];
    if (!Model) throw new Error(`${entry.module} has no ${entry.model}`);
    try {
      new Model(structuredClone(object)).validate();
    } catch (error) {
      problems.push(`${label(object)}: ${(error as Error).message}`);
    }
  }
  problems.push(...checkFieldsStrictly(known));
  return problems;
}

/** The TypeScript compiler's verdict on each object typed as its schema's interface. */
function checkFieldsStrictly(objects: ReadonlyArray<KubernetesObject>): string[] {
  if (objects.length === 0) return [];
  const file = join(ROOT, 'test', '.kubernetes-strict-check.ts');
  const imports = new Set<string>();
  const spans: Array<{ start: number; end: number; object: KubernetesObject }> = [];
  let body = '';
  objects.forEach((object, index) => {
    const entry = MODELS[`${object.apiVersion} ${object.kind}`];
    if (!entry) return;
    imports.add(`import type { ${entry.type} } from '${entry.module}';\n`);
    const declaration = `export const object${index}: ${entry.type} = ${JSON.stringify(object, null, 1)};\n`;
    spans.push({ start: body.length, end: body.length + declaration.length, object });
    body += declaration;
  });
  const header = [...imports].join('');
  const source = header + body;
  const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2023, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, types: [], lib: ['lib.es2023.d.ts'] };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion, ...rest) => (name === file ? ts.createSourceFile(name, source, languageVersion, true) : getSourceFile(name, languageVersion, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (name === file ? source : readFile(name));
  const program = ts.createProgram([file], options, host);
  const problems: string[] = [];
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    const at = (diagnostic.start ?? -1) - header.length;
    const span = diagnostic.file?.fileName === file ? spans.find((s) => at >= s.start && at < s.end) : undefined;
    problems.push(span ? `${label(span.object)}: ${message}` : `schema check: ${message}`);
  }
  return problems;
}
