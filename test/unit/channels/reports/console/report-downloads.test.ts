import { describe, expect, it } from 'vitest';
import { createReportDownloads } from '../../../../../src/channels/reports/console/report-downloads.ts';
import type { GrantReport } from '../../../../../src/channels/reports/produce-report.ts';

const report = (id: string): GrantReport => ({ grant: { id, name: id, reference: 'R' } }) as GrantReport;

describe('the previewed reports kept for download', () => {
  it('finds a report under its random id until the lifetime ends, then forgets it', () => {
    const clock = { now: new Date('2026-07-01T12:00:00Z') };
    const downloads = createReportDownloads({ clock: () => clock.now, lifetimeMs: 1000 });
    const kept = report('a');
    const id = downloads.keep(kept);
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    clock.now = new Date(clock.now.getTime() + 999);
    expect(downloads.find(id)).toBe(kept);
    clock.now = new Date(clock.now.getTime() + 1);
    expect(downloads.find(id)).toBeUndefined();
    clock.now = new Date(clock.now.getTime() - 500);
    // Once forgotten, gone for good (not revived by a clock going back).
    expect(downloads.find(id)).toBeUndefined();
  });

  it('gives every report its own unguessable id, and keeps at most `max` (the oldest goes first)', () => {
    const downloads = createReportDownloads({ clock: () => new Date('2026-07-01T12:00:00Z'), max: 2 });
    const ids = [report('a'), report('b'), report('c')].map((r) => downloads.keep(r));
    expect(new Set(ids).size).toBe(3);
    expect(downloads.find(ids[0] ?? '')).toBeUndefined();
    expect(downloads.find(ids[1] ?? '')?.grant.id).toBe('b');
    expect(downloads.find(ids[2] ?? '')?.grant.id).toBe('c');
    expect(downloads.find('A'.repeat(22))).toBeUndefined();
  });

  it('defaults to 15 minutes and 32 reports', () => {
    const clock = { now: new Date('2026-07-01T12:00:00Z') };
    const downloads = createReportDownloads({ clock: () => clock.now });
    const ids = Array.from({ length: 33 }, (_, i) => downloads.keep(report(String(i))));
    expect(downloads.find(ids[0] ?? '')).toBeUndefined();
    expect(downloads.find(ids[1] ?? '')?.grant.id).toBe('1');
    clock.now = new Date(clock.now.getTime() + 15 * 60_000 - 1);
    expect(downloads.find(ids[32] ?? '')?.grant.id).toBe('32');
    clock.now = new Date(clock.now.getTime() + 1);
    expect(downloads.find(ids[32] ?? '')).toBeUndefined();
  });
});
