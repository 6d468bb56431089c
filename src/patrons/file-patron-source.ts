import { parseYamlFile, type YamlLimits } from '../lib/parse-yaml-file.ts';
import { readBoundedText } from '../lib/read-bounded-text.ts';
import type { Problem } from '../lib/problem.ts';
import { convertZodIssues } from '../lib/zod-problems.ts';
import type { Patron } from '../policy/patron.ts';
import { patronRecordSchema } from './patron-schema.ts';
import type { PatronSource } from './patron-source.ts';
import { verifyPin } from './pin-hash.ts';

export interface LoadedPatrons {
  readonly source: PatronSource;
  /** Records loaded. */
  readonly count: number;
  /** Every loaded patron, in file order (for explain and staff tools; the proxy looks up by id). */
  readonly patrons: ReadonlyArray<Patron>;
  /** Records skipped, each with its index and what is wrong; never with its values. */
  readonly skipped: ReadonlyArray<Problem>;
  /** Releases what the source holds open (the SIP2 source's connections to the ILS). */
  readonly close?: () => void;
}

/**
 * A patron file may be large (one record per patron) and may share values with aliases (a list of
 * consents, say): it gets more room than a contract, and aliases are still bounded by its size.
 */
export const PATRON_FILE_LIMITS: YamlLimits = { maxBytes: 128 * 1024 * 1024, maxAliasCount: 1_000_000 };

/**
 * Builds a patron source from the text of a YAML list of patrons. A malformed record is reported
 * by its index and skipped; it never stops the others from loading. Throws only when the file as
 * a whole is not a YAML list.
 */
export function parsePatronFile(file: string, text: string): LoadedPatrons {
  const parsed = parseYamlFile(file, text, PATRON_FILE_LIMITS);
  if (parsed.problems.length > 0) throw new PatronFileError(parsed.problems);
  // A single record (a mapping with patronId) is accepted as a list of one, for `gateway explain`.
  const value = parsed.value ?? [];
  const list = !Array.isArray(value) && typeof value === 'object' && value !== null && 'patronId' in value ? [value] : value;
  if (!Array.isArray(list)) {
    throw new PatronFileError([{ file, path: '', message: 'is not a list of patrons', fix: 'write one "- patronId: ..." entry per patron' }]);
  }
  const skipped: Problem[] = [];
  const byId = new Map<string, { patron: Patron; pinHash?: string }>();
  const byBarcode = new Map<string, { patron: Patron; pinHash?: string }>();
  list.forEach((raw, index) => {
    const result = patronRecordSchema.safeParse(raw);
    if (!result.success) {
      const problems = convertZodIssues(file, patronRecordSchema, result.error.issues);
      skipped.push({
        file,
        path: `[${index}]`,
        message: `patron record ${index} skipped: ${problems.map((p) => `${p.path || 'record'} ${p.message}`).join('; ')}`,
        fix: 'correct the record in the patron file',
      });
      return;
    }
    const { pinHash, ...patron } = result.data;
    const entry = { patron: Object.freeze(patron) as Patron, ...(pinHash ? { pinHash } : {}) };
    if (byId.has(patron.patronId) || (patron.barcode !== undefined && byBarcode.has(patron.barcode))) {
      skipped.push({ file, path: `[${index}]`, message: `patron record ${index} skipped: its patronId or barcode is already used by an earlier record`, fix: 'give each patron a unique patronId and barcode' });
      return;
    }
    byId.set(patron.patronId, entry);
    if (patron.barcode !== undefined) byBarcode.set(patron.barcode, entry);
  });
  const source: PatronSource = {
    findById: async (patronId) => byId.get(patronId)?.patron,
    findByBarcode: async (barcode) => byBarcode.get(barcode.trim())?.patron,
    async authenticate(barcode, pin) {
      const entry = byBarcode.get(barcode.trim());
      const ok = await verifyPin(pin, entry?.pinHash);
      return ok ? entry?.patron : undefined;
    },
  };
  return { source: Object.freeze(source), count: byId.size, patrons: [...byId.values()].map((e) => e.patron), skipped };
}

/** Reads a patron file from disk; see parsePatronFile. */
export async function loadPatronFile(file: string): Promise<LoadedPatrons> {
  let text: string;
  try {
    text = await readBoundedText(file, PATRON_FILE_LIMITS.maxBytes);
  } catch {
    throw new PatronFileError([{ file, path: '', message: 'the patron file cannot be read', fix: 'check the patrons.file setting or GATEWAY_PATRONS_FILE' }]);
  }
  return parsePatronFile(file, text);
}

/** The patron file as a whole cannot be used. Carries problems, never values. */
export class PatronFileError extends Error {
  readonly problems: ReadonlyArray<Problem>;
  constructor(problems: ReadonlyArray<Problem>) {
    super('the patron file cannot be used');
    this.name = 'PatronFileError';
    this.problems = problems;
  }
}
