import { describe, expect, it } from 'vitest';
import type { TrafficHistory } from '../../../../src/metering/traffic-history.ts';
import type { VendorTraffic } from '../../../../src/metering/traffic-summary.ts';
import {
  buildOverviewRows,
  DEFAULT_QUERY,
  findChannelName,
  findReviewState,
  findStatusBadge,
  listAlerts,
  needsAttention,
  pickFigures,
  readOverviewQuery,
  selectRows,
  writeOverviewQuery,
  type OverviewRow,
} from '../../../../src/web/staff/overview-model.ts';
import { compileOrThrow, contractYaml, NOW } from '../../../helpers/contracts.ts';

const contract = (id: string, name: string, dates: string, extra: Record<string, string> = {}) =>
  compileOrThrow(contractYaml({ name: `name: ${name}`, contract: `contract: { reference: R-${id}, ${dates} }`, ...extra }, id), `vendors/${id}.yaml`);

const traffic = (requests: number, more: Partial<VendorTraffic> = {}): VendorTraffic => ({ requests, declines: 0, blockedMinors: 0, caught: 0, blockedTrackers: undefined, ...more });

describe('contract status and review', () => {
  it.each([
    ['effective: 2026-01-01, expires: 2027-12-31', { state: 'open' }, 'in force, more than 30 days left'],
    ['effective: 2026-01-01, expires: 2026-12-10', { state: 'closing', days: 12 }, '12 days left'],
    ['effective: 2026-01-01, expires: 2026-11-01', { state: 'closed', days: 27 }, 'expired 27 days ago'],
    ['effective: 2026-12-05, expires: 2027-12-31', { state: 'not-yet-open', days: 6 }, 'takes effect in 6 days'],
  ])('%s at 2026-11-29 is %o (%s)', (dates, badge, _why) => {
    expect(findStatusBadge(contract('v', 'V', dates), NOW)).toEqual(badge);
  });

  it.each([
    [undefined, { state: 'missing' }, 'no review recorded'],
    ['2025-11-29', { state: 'current' }, 'exactly 365 days old: still current'],
    ['2025-11-28', { state: 'overdue', days: 366 }, '366 days old'],
    ['2026-11-29', { state: 'current' }, 'reviewed today'],
  ] as const)('review %s is %o (%s)', (reviewed, state, _why) => {
    expect(findReviewState(reviewed, NOW)).toEqual(state);
  });

  it.each([
    [{ status: { state: 'open' }, review: { state: 'current' } }, false],
    [{ status: { state: 'closing', days: 3 }, review: { state: 'current' } }, true],
    [{ status: { state: 'open' }, review: { state: 'missing' } }, true],
    [{ status: { state: 'open' }, review: { state: 'overdue', days: 400 } }, true],
  ] as const)('needsAttention(%o) is %s', (row, expected) => {
    expect(needsAttention(row)).toBe(expected);
  });

  it('names the channel: grant reports, SIP2, or the web proxy', () => {
    expect(findChannelName({ kind: 'grant', identity: { delivery: 'none' } } as never)).toBe('reports');
    expect(findChannelName({ kind: 'econtent', identity: { delivery: 'sip2' } } as never)).toBe('sip2');
    expect(findChannelName({ kind: 'econtent', identity: { delivery: 'jwt' } } as never)).toBe('proxy');
  });
});

describe('the query string', () => {
  it('reads what it understands and falls back to the default for anything else (never echoing it)', () => {
    expect(readOverviewQuery({})).toEqual(DEFAULT_QUERY);
    expect(readOverviewQuery({ sort: 'requests', dir: 'desc', window: '7d', status: 'attention', channel: 'sip2' })).toEqual({ sort: 'requests', dir: 'desc', window: '7d', status: 'attention', channel: 'sip2' });
    expect(readOverviewQuery({ sort: '<script>', dir: ['asc'], window: '1y', status: 'ALL', channel: 42 })).toEqual(DEFAULT_QUERY);
  });

  it('writes only what differs from the defaults, in a fixed order', () => {
    expect(writeOverviewQuery(DEFAULT_QUERY)).toBe('');
    expect(writeOverviewQuery({ ...DEFAULT_QUERY, channel: 'proxy', sort: 'name' })).toBe('?sort=name&channel=proxy');
    expect(writeOverviewQuery({ sort: 'caught', dir: 'desc', window: '30d', status: 'closed', channel: 'reports' })).toBe('?sort=caught&dir=desc&window=30d&status=closed&channel=reports');
  });
});

describe('figures', () => {
  const prometheus: TrafficHistory = {
    basis: 'prometheus',
    at: NOW,
    windows: {
      '24h': { current: new Map([['a', traffic(5, { caught: 2 })]]), previous: new Map([['a', traffic(3, { caught: 2 })]]) },
      '7d': { current: new Map([['a', traffic(9, { blockedTrackers: 4 })]]), previous: new Map() },
      '30d': { current: new Map(), previous: new Map([['a', traffic(1)]]) },
    },
    daily: { requests: new Map(), releases: new Map() },
  };

  it('takes the chosen window with a trend against the window before', () => {
    expect(pickFigures(prometheus, 'a', '24h')).toStrictEqual({
      requests: { value: 5, trend: 'up' },
      declines: { value: 0, trend: 'flat' },
      blockedMinors: { value: 0, trend: 'flat' },
      caught: { value: 2, trend: 'flat' },
      blockedTrackers: { value: undefined },
    });
    expect(pickFigures(prometheus, 'a', '7d').requests).toEqual({ value: 9, trend: 'new' });
    expect(pickFigures(prometheus, 'a', '7d').blockedTrackers).toEqual({ value: 4, trend: 'new' });
    expect(pickFigures(prometheus, 'a', '30d').requests).toEqual({ value: 0, trend: 'gone' });
  });

  it('gives a vendor Prometheus has no series of zeros (and no tracker figure)', () => {
    expect(pickFigures(prometheus, 'unseen', '24h')).toStrictEqual({
      requests: { value: 0, trend: 'flat' },
      declines: { value: 0, trend: 'flat' },
      blockedMinors: { value: 0, trend: 'flat' },
      caught: { value: 0, trend: 'flat' },
      blockedTrackers: { value: undefined },
    });
  });

  it('since start: the counts, with no trend, whatever window is asked for', () => {
    const sinceStart: TrafficHistory = { basis: 'since-start', reason: 'not-configured', sinceStart: new Map([['a', traffic(2, { declines: 1, blockedTrackers: 3 })]]), releases: new Map() };
    expect(pickFigures(sinceStart, 'a', '30d')).toEqual({ requests: { value: 2 }, declines: { value: 1 }, blockedMinors: { value: 0 }, caught: { value: 0 }, blockedTrackers: { value: 3 } });
    expect(pickFigures(sinceStart, 'b', '24h')).toStrictEqual({ requests: { value: 0 }, declines: { value: 0 }, blockedMinors: { value: 0 }, caught: { value: 0 }, blockedTrackers: { value: undefined } });
  });
});

describe('rows, sorting, filtering and alerts', () => {
  const contracts = [
    contract('open-a', 'Zeta Open', 'effective: 2026-01-01, expires: 2027-12-31, reviewed: 2026-06-01'),
    contract('closing-b', 'alpha Closing', 'effective: 2026-01-01, expires: 2026-12-10, reviewed: 2026-06-01'),
    contract('closed-c', 'Mid Closed', 'effective: 2026-01-01, expires: 2026-11-01, reviewed: 2026-06-01'),
    contract('future-d', 'Beta Future', 'effective: 2026-12-05, expires: 2027-12-31, reviewed: 2026-06-01'),
    contract('stale-e', 'Eta Stale', 'effective: 2026-01-01, expires: 2027-12-31, reviewed: 2025-01-01'),
    contract('sip-f', 'Fox SIP', 'effective: 2026-01-01, expires: 2027-12-31, reviewed: 2026-06-01', { identity: 'identity: { delivery: sip2 }', upstream: '' }),
    contract('closing-g', 'Gamma Closing', 'effective: 2026-01-01, expires: 2026-12-20, reviewed: 2026-06-01'),
  ];
  const history: TrafficHistory = {
    basis: 'since-start',
    reason: 'not-configured',
    sinceStart: new Map([
      ['open-a', traffic(10, { caught: 2, blockedMinors: 1 })],
      ['closing-b', traffic(3, { caught: 1 })],
      ['stale-e', traffic(10)],
    ]),
    releases: new Map(),
  };
  const rows = buildOverviewRows(contracts, history, '24h', NOW, (c) => (c.id === 'open-a' ? 0.5 : 0.9));
  const ids = (list: ReadonlyArray<OverviewRow>) => list.map((r) => r.id);

  it('makes one row per contract with its dates, channel, delivery, score and figures', () => {
    expect(rows.find((r) => r.id === 'open-a')).toEqual({
      id: 'open-a',
      name: 'Zeta Open',
      channel: 'proxy',
      delivery: 'jwt',
      status: { state: 'open' },
      review: { state: 'current' },
      effective: '2026-01-01',
      expires: '2027-12-31',
      reviewed: '2026-06-01',
      score: 0.5,
      figures: { requests: { value: 10 }, declines: { value: 0 }, blockedMinors: { value: 1 }, caught: { value: 2 }, blockedTrackers: { value: undefined } },
    });
    expect(rows.find((r) => r.id === 'sip-f')?.channel).toBe('sip2');
  });

  it('sorts by status by default: closed, not yet open, closing soonest first, review due, then open (ties by name)', () => {
    expect(ids(selectRows(rows, DEFAULT_QUERY))).toEqual(['closed-c', 'future-d', 'closing-b', 'closing-g', 'stale-e', 'sip-f', 'open-a']);
    expect(ids(selectRows(rows, { ...DEFAULT_QUERY, dir: 'desc' }))).toEqual(['sip-f', 'open-a', 'stale-e', 'closing-g', 'closing-b', 'future-d', 'closed-c']);
  });

  it.each([
    ['name', 'asc', ['closing-b', 'future-d', 'stale-e', 'sip-f', 'closing-g', 'closed-c', 'open-a']],
    ['name', 'desc', ['open-a', 'closed-c', 'closing-g', 'sip-f', 'stale-e', 'future-d', 'closing-b']],
    ['requests', 'desc', ['stale-e', 'open-a', 'closing-b', 'future-d', 'sip-f', 'closing-g', 'closed-c']],
    ['caught', 'asc', ['future-d', 'stale-e', 'sip-f', 'closing-g', 'closed-c', 'closing-b', 'open-a']],
    ['expires', 'asc', ['closed-c', 'closing-b', 'closing-g', 'future-d', 'stale-e', 'sip-f', 'open-a']],
    ['reviewed', 'asc', ['stale-e', 'closing-b', 'future-d', 'sip-f', 'closing-g', 'closed-c', 'open-a']],
    ['score', 'asc', ['open-a', 'closing-b', 'future-d', 'stale-e', 'sip-f', 'closing-g', 'closed-c']],
    ['channel', 'desc', ['sip-f', 'closing-b', 'future-d', 'stale-e', 'closing-g', 'closed-c', 'open-a']],
    ['delivery', 'asc', ['closing-b', 'future-d', 'stale-e', 'closing-g', 'closed-c', 'open-a', 'sip-f']],
  ] as const)('sorts by %s %s (ties by name, case aside)', (sort, dir, expected) => {
    expect(ids(selectRows(rows, { ...DEFAULT_QUERY, sort, dir }))).toEqual(expected);
  });

  it.each([
    ['attention', 'all', ['closed-c', 'future-d', 'closing-b', 'closing-g', 'stale-e']],
    ['open', 'all', ['closing-b', 'closing-g', 'stale-e', 'sip-f', 'open-a']],
    ['closed', 'all', ['closed-c', 'future-d']],
    ['all', 'sip2', ['sip-f']],
    ['open', 'proxy', ['closing-b', 'closing-g', 'stale-e', 'open-a']],
    ['all', 'reports', []],
  ] as const)('filters status %s and channel %s', (status, channel, expected) => {
    expect(ids(selectRows(rows, { ...DEFAULT_QUERY, status, channel }))).toEqual(expected);
  });

  it('sorts names case aside (an underscore before letters either way), channels apart from deliveries, and equal names stay put', () => {
    const base = rows.find((r) => r.id === 'open-a') as OverviewRow;
    const handMade: OverviewRow[] = [
      { ...base, id: 'z', name: 'Zeta', channel: 'proxy', delivery: 'query' },
      { ...base, id: 'u', name: '_under', channel: 'reports', delivery: 'none' },
      { ...base, id: 'z2', name: 'zeta', channel: 'sip2', delivery: 'form' },
    ];
    expect(ids(selectRows(handMade, { ...DEFAULT_QUERY, sort: 'name' }))).toEqual(['u', 'z', 'z2']);
    expect(ids(selectRows(handMade, { ...DEFAULT_QUERY, sort: 'name', dir: 'desc' }))).toEqual(['z', 'z2', 'u']);
    expect(ids(selectRows(handMade, { ...DEFAULT_QUERY, sort: 'channel' }))).toEqual(['z', 'u', 'z2']);
    expect(ids(selectRows(handMade, { ...DEFAULT_QUERY, sort: 'delivery' }))).toEqual(['z2', 'u', 'z']);
  });

  it('sorts a missing review before every date, and an unknown tracker figure below 0', () => {
    const base = rows.find((r) => r.id === 'open-a') as OverviewRow;
    const handMade: OverviewRow[] = [
      { ...base, id: 'a', name: 'A', reviewed: '2026-01-01', figures: { ...base.figures, blockedTrackers: { value: 0 } } },
      { ...base, id: 'b', name: 'B', reviewed: undefined, figures: { ...base.figures, blockedTrackers: { value: undefined } } },
      { ...base, id: 'c', name: 'C', reviewed: '2025-01-01', figures: { ...base.figures, blockedTrackers: { value: 2 } } },
    ];
    expect(ids(selectRows(handMade, { ...DEFAULT_QUERY, sort: 'reviewed' }))).toEqual(['b', 'c', 'a']);
    expect(ids(selectRows(handMade, { ...DEFAULT_QUERY, sort: 'blockedTrackers' }))).toEqual(['b', 'a', 'c']);
  });

  it('says what needs attention, one alert per kind naming its vendors, the soonest closing first', () => {
    expect(listAlerts(rows)).toEqual([
      { kind: 'closed', vendors: ['Mid Closed'], days: 27 },
      { kind: 'not-yet-open', vendors: ['Beta Future'], days: 6 },
      { kind: 'closing', vendors: ['alpha Closing', 'Gamma Closing'], days: 12 },
      { kind: 'review-overdue', vendors: ['Eta Stale'] },
      { kind: 'caught', vendors: ['Zeta Open', 'alpha Closing'], count: 3 },
      { kind: 'blocked-minors', vendors: ['Zeta Open'], count: 1 },
    ]);
  });

  it('has no alert when every contract is open, reviewed, and nothing was caught or refused', () => {
    expect(listAlerts(rows.filter((r) => r.id === 'sip-f'))).toEqual([]);
  });

  it('reports missing reviews, and the longest-closed contract', () => {
    const more = buildOverviewRows(
      [contract('x', 'X', 'effective: 2026-01-01, expires: 2027-12-31'), contract('y', 'Y', 'effective: 2025-01-01, expires: 2025-12-31, reviewed: 2026-06-01'), contract('z', 'Z', 'effective: 2026-01-01, expires: 2026-11-01, reviewed: 2026-06-01')],
      history,
      '24h',
      NOW,
      () => 1,
    );
    expect(listAlerts(more)).toEqual([
      { kind: 'closed', vendors: ['Y', 'Z'], days: 332 },
      { kind: 'review-missing', vendors: ['X'] },
    ]);
  });
});
