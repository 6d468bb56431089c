import { describe, expect, it } from 'vitest';
import { describeTrend, listDays, spreadDaily, summarizeTraffic, WINDOW_SECONDS } from '../../../src/metering/traffic-summary.ts';

const s = (labels: Record<string, string>, value: number) => ({ labels, value });

describe('summarizeTraffic', () => {
  const samples = {
    requests: [s({ vendor: 'a', outcome: 'proxied' }, 4.2), s({ vendor: 'a', outcome: 'declined' }, 1), s({ vendor: 'a', outcome: 'blocked_minor' }, 2), s({ vendor: 'b', outcome: 'proxied' }, 3), s({ vendor: 'b', outcome: 'declined' }, 0.4)],
    caught: [s({ vendor: 'a' }, 1.6), s({ vendor: 'b' }, 0)],
    blockedHosts: [s({ vendor: 'b', host_kind: 'tracker' }, 2), s({ vendor: 'b', host_kind: 'ads' }, 3)],
  };

  it('sums each vendor over outcomes (declined and blocked_minor apart), rounding increase() floats to whole counts; a vendor that never blocked a host has no tracker figure (only browse vendors block)', () => {
    const out = summarizeTraffic(samples, ['a', 'b']);
    expect(out.get('a')).toEqual({ requests: 7, declines: 1, blockedMinors: 2, caught: 2, blockedTrackers: undefined });
    expect(out.get('b')).toEqual({ requests: 3, declines: 0, blockedMinors: 0, caught: 0, blockedTrackers: 5 });
  });

  it('gives a vendor with no series zeros, and leaves blocked trackers unknown when no gateway publishes that family', () => {
    const out = summarizeTraffic({ ...samples, blockedHosts: undefined }, ['c', 'a']);
    expect([...out.keys()]).toEqual(['c', 'a']);
    expect(out.get('c')).toEqual({ requests: 0, declines: 0, blockedMinors: 0, caught: 0, blockedTrackers: undefined });
    expect(out.get('a')?.blockedTrackers).toBeUndefined();
  });
});

describe('describeTrend', () => {
  it.each([
    [3, 3, 'flat', 'the same as the window before'],
    [0, 0, 'flat', 'nothing in either'],
    [3, 0, 'new', 'from nothing'],
    [0, 3, 'gone', 'to nothing'],
    [4, 3, 'up', 'more'],
    [2, 3, 'down', 'fewer'],
  ] as const)('%i after %i is %s (%s)', (current, previous, trend, _why) => {
    expect(describeTrend(current, previous)).toBe(trend);
  });
});

describe('spreadDaily and listDays', () => {
  it('lists the days ending with the given one, oldest first, in UTC', () => {
    expect(listDays(new Date('2026-03-01T23:30:00Z'), 3)).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
    expect(listDays(new Date('2026-03-01T00:00:00Z'), 1)).toEqual(['2026-03-01']);
  });

  it('puts each point on the day it ends, sums series of one vendor, and fills missing days with 0', () => {
    const day = (iso: string) => Date.parse(iso) / 1000;
    const series = [
      { labels: { vendor: 'a' }, points: [[day('2026-02-27T10:00:00Z'), 2.4], [day('2026-03-01T10:00:00Z'), 5]] as Array<[number, number]> },
      { labels: { vendor: 'a' }, points: [[day('2026-03-01T10:00:00Z'), 1]] as Array<[number, number]> },
      { labels: { vendor: 'b' }, points: [[day('2026-02-28T10:00:00Z'), 9]] as Array<[number, number]> },
    ];
    const out = spreadDaily(series, ['2026-02-27', '2026-02-28', '2026-03-01'], ['a', 'c']);
    expect(out.get('a')).toEqual([{ day: '2026-02-27', value: 2 }, { day: '2026-02-28', value: 0 }, { day: '2026-03-01', value: 6 }]);
    expect(out.get('c')).toEqual([{ day: '2026-02-27', value: 0 }, { day: '2026-02-28', value: 0 }, { day: '2026-03-01', value: 0 }]);
    expect(out.has('b')).toBe(false);
  });

  it('has windows of a day, a week and thirty days', () => {
    expect(WINDOW_SECONDS).toEqual({ '24h': 86_400, '7d': 604_800, '30d': 2_592_000 });
  });
});
