import { readdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { parseYamlFile, SMALL_YAML_LIMITS } from '../lib/parse-yaml-file.ts';
import { readBoundedText } from '../lib/read-bounded-text.ts';
import type { Problem } from '../lib/problem.ts';
import type { CompiledContract } from './compiled-contract.ts';
import { checkContractParts, compileContract } from './compile-contract.ts';
import type { ContractDocument } from './contract-schema.ts';
import { parseContractSections } from './parse-contract-sections.ts';

export interface LoadedContracts {
  /** Every valid contract, by vendor id. Empty of nothing when `problems` is not empty: one broken file stops all. */
  readonly contracts: ReadonlyMap<string, CompiledContract>;
  /** Every contract that compiled, even when another did not (for checks that can still run on them). */
  readonly compiled?: ReadonlyMap<string, CompiledContract>;
  readonly problems: ReadonlyArray<Problem>;
}

export interface LoadContractsOptions {
  readonly signingKeyConfigured: boolean;
}

/** Parses, validates and compiles one contract's text. */
export function compileContractText(file: string, text: string, options: LoadContractsOptions): { contract?: CompiledContract; problems: Problem[] } {
  const parsed = parseYamlFile(file, text);
  if (parsed.problems.length > 0) return { problems: parsed.problems };
  if (parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
    return { problems: [{ file, path: '', message: 'is not a contract (expected a mapping with id, name, kind, ...)', fix: 'start from the example contract in the README' }] };
  }
  const context = { file, expectedId: basename(file, extname(file)), signingKeyConfigured: options.signingKeyConfigured };
  // Section by section, so that schema mistakes never hide the meaning mistakes of the parts that are right.
  const sections = parseContractSections(file, parsed.value as Record<string, unknown>);
  if (sections.problems.length === 0) return compileContract(sections.document as ContractDocument, context);
  return { problems: [...sections.problems, ...checkContractParts(sections, context)] };
}

/**
 * Loads every `*.yaml` / `*.yml` contract in a folder. All problems in all files are collected;
 * if there is any, the caller must refuse to start (a broken contract never silently disables
 * one vendor while the rest run).
 */
export async function loadContracts(dir: string, options: LoadContractsOptions): Promise<LoadedContracts> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch {
    return { contracts: new Map(), problems: [{ file: dir, path: '', message: 'the vendors folder cannot be read', fix: 'check the vendorsDir setting or GATEWAY_VENDORS_DIR' }] };
  }
  const problems: Problem[] = [];
  const contracts = new Map<string, CompiledContract>();
  for (const name of names) {
    const file = join(dir, name);
    let text: string;
    try {
      text = await readBoundedText(file, SMALL_YAML_LIMITS.maxBytes);
    } catch {
      problems.push({ file, path: '', message: 'cannot be read', fix: 'check the file permissions' });
      continue;
    }
    const result = compileContractText(file, text, options);
    problems.push(...result.problems);
    if (!result.contract) continue;
    const existing = contracts.get(result.contract.id);
    if (existing) {
      problems.push({ file, path: 'id', message: `id "${result.contract.id}" is already used by ${existing.file}`, fix: 'give every vendor its own id (and file)' });
      continue;
    }
    contracts.set(result.contract.id, result.contract);
  }
  if (names.length === 0 && problems.length === 0) {
    problems.push({ file: dir, path: '', message: 'has no contracts (*.yaml)', fix: 'add at least one vendor contract, or point vendorsDir at the right folder' });
  }
  return { contracts: problems.length > 0 ? new Map() : contracts, compiled: contracts, problems };
}
