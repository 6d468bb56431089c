import { dirname, resolve } from 'node:path';
import { parseYamlFile, SMALL_YAML_LIMITS } from '../lib/parse-yaml-file.ts';
import { readBoundedText } from '../lib/read-bounded-text.ts';
import type { Problem } from '../lib/problem.ts';
import { convertZodIssues } from '../lib/zod-problems.ts';
import type { Sip2PatronSettings } from './patron-source-settings.ts';
import type { PatronSsoSettings } from './sso-settings.ts';
import { settingsSchema, type SettingsDocument } from './settings-schema.ts';
import { checkBrandColours } from './check-branding.ts';
import { brandingSchema, type BrandColours } from './branding-schema.ts';

/** Settings after validation, with every path made absolute. Frozen. */
export interface Settings extends Omit<SettingsDocument, 'vendorsDir' | 'patrons' | 'reports'> {
  readonly file: string;
  /** ledgerDir made absolute (relative to the settings file); the limits of console report runs. */
  readonly reports: { readonly ledgerDir?: string; readonly maxConcurrent: number; readonly timeoutSeconds: number; readonly maxMemoryMb: number };
  readonly vendorsDir: string;
  readonly patrons: PatronSourceSettings;
  /** True when at least one assertion key is configured, or the demo will generate one. */
  readonly signingKeyConfigured: boolean;
}

/** Where patrons come from, with paths made absolute. */
export interface PatronSourceSettings {
  readonly source: 'file' | 'sip2' | 'oidc';
  /** The patron file; undefined only with source: sip2 or oidc and no file named. */
  readonly file: string | undefined;
  /** With source: sip2 (ca.file made absolute). */
  readonly sip2?: Sip2PatronSettings | undefined;
  /** With source: oidc. */
  readonly oidc?: PatronSsoSettings | undefined;
}

/** Overrides from the environment, applied by the caller (main.ts or the CLI), never read here. */
export interface SettingsOverrides {
  readonly vendorsDir?: string | undefined;
  readonly patronsFile?: string | undefined;
  /** NODE_ENV === 'production': demo mode is refused. */
  readonly production?: boolean;
}

/** Where the contracts and patrons are, known even when other parts of the settings are wrong. */
export interface SettingsPlaces {
  readonly vendorsDir: string;
  /** Undefined when patrons come from the ILS (source: sip2) or the single sign-on (oidc) and no file is named. */
  readonly patronsFile: string | undefined;
  readonly patronSource: 'file' | 'sip2' | 'oidc';
  readonly signingKeyConfigured: boolean;
}

/** The parts of the settings that name secrets: enough to check the keys. */
export type KeySettings = Pick<Settings, 'file' | 'demo' | 'secrets' | 'admin'>;

export interface LoadedSettings {
  /** The settings, whenever they match the schema. The gateway may start only when `problems` is empty too. */
  readonly settings?: Settings;
  /** Where later loading steps look, whenever those keys are readable (so they can be checked in the same run). */
  readonly places?: SettingsPlaces;
  /** The secret references, whenever those sections are right (so the keys can be checked in the same run). */
  readonly keySettings?: KeySettings;
  /** The branding images' absolute paths, whenever those keys are readable (so boot checks the files in the same run). */
  readonly brandingFiles?: { readonly logo?: string; readonly favicon?: string };
  readonly problems: Problem[];
}

/**
 * Reads and validates a settings file; every problem is returned at once. Settings that match the
 * schema come back even with problems of meaning (demo mode in production, a missing secret
 * reference), so that the caller can go on checking keys, contracts and patrons in the same run.
 */
export async function loadSettings(file: string, overrides: SettingsOverrides = {}): Promise<LoadedSettings> {
  let text: string;
  try {
    text = await readBoundedText(file, SMALL_YAML_LIMITS.maxBytes);
  } catch {
    return { problems: [{ file, path: '', message: 'the settings file cannot be read', fix: 'check GATEWAY_CONFIG, or create the file from config/gateway.yaml' }] };
  }
  const parsed = parseYamlFile(file, text);
  if (parsed.problems.length > 0) return { problems: parsed.problems };
  const raw = parsed.value ?? {};
  const result = settingsSchema.safeParse(raw, { reportInput: true });
  const base = dirname(resolve(file));
  if (!result.success) {
    const problems = convertZodIssues(file, settingsSchema, result.error.issues, { quoteValues: true });
    const places = findPlaces(raw, base, overrides);
    const keySettings = findKeySettings(file, raw);
    // The branding's colours and images are checked even when another key is wrong: every problem at once.
    const branding = findBranding(raw, base);
    if (branding.colours) problems.push(...checkBrandColours(file, branding.colours));
    return { ...(places ? { places } : {}), ...(keySettings ? { keySettings } : {}), brandingFiles: branding.files, problems };
  }
  const document = result.data;
  const problems: Problem[] = [];
  if (overrides.production && document.demo) {
    problems.push({ file, path: 'demo', message: 'demo mode (development keys, demo vendor) is refused when NODE_ENV=production', fix: 'set demo: false and give real secrets' });
  }
  if (!document.demo) {
    for (const key of ['pseudonymSecret', 'sessionKey'] as const) {
      if (document.secrets[key] === undefined) {
        problems.push({ file, path: `secrets.${key}`, message: 'is required outside demo mode', fix: `add secrets.${key}: { env: NAME } or { file: PATH }` });
      }
    }
  }
  const kids = new Set<string>();
  document.secrets.assertionKeys.forEach((key, index) => {
    if (kids.has(key.kid)) problems.push({ file, path: `secrets.assertionKeys[${index}].kid`, message: `kid "${key.kid}" is used twice`, fix: 'give every key its own kid' });
    kids.add(key.kid);
  });
  if (document.branding) problems.push(...checkBrandColours(file, document.branding.colours));
  else if (overrides.production) {
    problems.push({ file, path: 'branding', message: "is required in production: patrons are asked for their PIN only on a page that carries the library's name", fix: 'add branding: { libraryName, website, contact, forgotPin } (README, "Branding")' });
  }
  if (document.browse) {
    const gatewayHost = new URL(document.publicUrl).host;
    const proxyDomain = document.browse.proxyDomain;
    if (gatewayHost === proxyDomain || gatewayHost.endsWith(`.${proxyDomain}`)) {
      problems.push({ file, path: 'browse.proxyDomain', message: 'holds the gateway\'s own host: a vendor page would share an origin or a site with the gateway\'s pages', fix: 'use a domain of its own, such as lib-proxy.org for a gateway on library.org (README, "Browse mode")' });
    }
  }
  if (overrides.production && new URL(document.publicUrl).protocol !== 'https:') {
    problems.push({ file, path: 'publicUrl', message: 'must be https in production (session cookies are Secure only over https)', fix: 'use the https URL patrons reach the gateway at' });
  }
  const settings: Settings = {
    ...document,
    file,
    vendorsDir: resolve(overrides.vendorsDir ?? resolve(base, document.vendorsDir)),
    patrons: resolvePatronPaths(document.patrons, base, overrides),
    reports: { ...document.reports, ...(document.reports.ledgerDir === undefined ? {} : { ledgerDir: resolve(base, document.reports.ledgerDir) }) },
    ...(document.branding === undefined ? {} : { branding: resolveBrandingPaths(document.branding, base) }),
    signingKeyConfigured: document.demo || document.secrets.assertionKeys.length > 0,
  };
  const places = { vendorsDir: settings.vendorsDir, patronsFile: settings.patrons.file, patronSource: settings.patrons.source, signingKeyConfigured: settings.signingKeyConfigured };
  const brandingFiles = { ...(settings.branding?.logo === undefined ? {} : { logo: settings.branding.logo }), ...(settings.branding?.favicon === undefined ? {} : { favicon: settings.branding.favicon }) };
  return { settings: deepFreeze(settings), places, keySettings: settings, brandingFiles, problems };
}

/** The branding colours (when they match the schema) and image paths (when they are text) of a settings document that failed the schema. */
function findBranding(raw: unknown, base: string): { colours?: BrandColours; files: { logo?: string; favicon?: string } } {
  const document = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const branding = document['branding'] !== null && typeof document['branding'] === 'object' ? (document['branding'] as Record<string, unknown>) : undefined;
  if (!branding) return { files: {} };
  const colours = brandingSchema.shape.colours.safeParse(branding['colours']);
  const files: { logo?: string; favicon?: string } = {};
  for (const key of ['logo', 'favicon'] as const) {
    const path = branding[key];
    if (typeof path === 'string' && path !== '') files[key] = resolve(base, path);
  }
  return { ...(colours.success ? { colours: colours.data } : {}), files };
}

/** The secret-naming sections of a settings document that failed the schema elsewhere, when these are right. */
function findKeySettings(file: string, raw: unknown): KeySettings | undefined {
  const document = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const shape = settingsSchema.shape;
  const demo = shape.demo.safeParse(document['demo']);
  const secrets = shape.secrets.safeParse(document['secrets']);
  const admin = shape.admin.safeParse(document['admin']);
  if (!demo.success || !secrets.success || !admin.success) return undefined;
  return deepFreeze({ file, demo: demo.data, secrets: secrets.data, admin: admin.data });
}

/** The folders and files of a settings document that failed the schema elsewhere, when these keys are right. */
function findPlaces(raw: unknown, base: string, overrides: SettingsOverrides): SettingsPlaces | undefined {
  const document = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const shape = settingsSchema.shape;
  const vendorsDir = shape.vendorsDir.safeParse(document['vendorsDir']);
  const patrons = shape.patrons.safeParse(document['patrons']);
  const demo = shape.demo.safeParse(document['demo']);
  const secrets = shape.secrets.safeParse(document['secrets']);
  const vendorsPath = overrides.vendorsDir ?? (vendorsDir.success ? resolve(base, vendorsDir.data) : undefined);
  if (vendorsPath === undefined) return undefined;
  const patronSource = patrons.success ? patrons.data.source : 'file';
  const patronsFile = patrons.success ? resolvePatronPaths(patrons.data, base, overrides).file : overrides.patronsFile;
  if (patronSource === 'file' && patronsFile === undefined) return undefined;
  return {
    vendorsDir: resolve(vendorsPath),
    patronsFile: patronsFile === undefined ? undefined : resolve(patronsFile),
    patronSource,
    signingKeyConfigured: (demo.success && demo.data) || !secrets.success || secrets.data.assertionKeys.length > 0,
  };
}

/** The patron settings with the file and the SIP2 CA file made absolute. */
function resolvePatronPaths(patrons: SettingsDocument['patrons'], base: string, overrides: SettingsOverrides): PatronSourceSettings {
  const file = overrides.patronsFile ?? (patrons.file === undefined ? undefined : resolve(base, patrons.file));
  const sip2 = patrons.sip2;
  return {
    source: patrons.source,
    file: file === undefined ? undefined : resolve(file),
    ...(sip2 === undefined ? {} : { sip2: sip2.ca === undefined ? sip2 : { ...sip2, ca: { file: resolve(base, sip2.ca.file) } } }),
    ...(patrons.oidc === undefined ? {} : { oidc: patrons.oidc }),
  };
}

/** The logo and favicon paths made absolute (relative to the settings file). */
function resolveBrandingPaths(branding: NonNullable<SettingsDocument['branding']>, base: string): NonNullable<SettingsDocument['branding']> {
  return {
    ...branding,
    ...(branding.logo === undefined ? {} : { logo: resolve(base, branding.logo) }),
    ...(branding.favicon === undefined ? {} : { favicon: resolve(base, branding.favicon) }),
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
