import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { GrantReport } from '../produce-report.ts';

/** How many previewed reports can be downloaded at once (the oldest is forgotten first). */
const MAX_REPORTS = 32;
/** How long a preview's download links work. */
const LIFETIME_MS = 15 * 60 * 1000;

export interface ReportDownloads {
  /** Keeps a published table under a new random id (128 bits); returns the id. */
  keep(report: GrantReport): string;
  /** The table under that id while it is fresh, or undefined. */
  find(id: string): GrantReport | undefined;
}

/**
 * The tables a staff member previewed, for downloading the same table in CSV, JSON or HTML without
 * a second upload. Only the finished report is kept (aggregates, suppressed and noised as
 * published: nothing about a person), in a bounded in-memory cache, for 15 minutes, under an id
 * nobody can guess.
 */
export function createReportDownloads(options: { clock: () => Date; max?: number; lifetimeMs?: number }): ReportDownloads {
  const cache = new LRUCache<string, { report: GrantReport; expires: number }>({ max: options.max ?? MAX_REPORTS });
  const lifetime = options.lifetimeMs ?? LIFETIME_MS;
  return {
    keep(report) {
      const id = randomBytes(16).toString('base64url');
      cache.set(id, { report, expires: options.clock().getTime() + lifetime });
      return id;
    },
    find(id) {
      const entry = cache.get(id);
      if (!entry) return undefined;
      if (options.clock().getTime() >= entry.expires) {
        cache.delete(id);
        return undefined;
      }
      return entry.report;
    },
  };
}
