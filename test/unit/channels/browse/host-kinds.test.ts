import { describe, expect, it } from 'vitest';
import { classifyHost, HOST_KINDS } from '../../../../src/channels/browse/host-kinds.ts';

describe('classifyHost', () => {
  const table: Array<[string, string, string]> = [
    ['an analytics domain', 'www.google-analytics.com', 'analytics'],
    ['the domain itself', 'googletagmanager.com', 'analytics'],
    ['an advertising domain', 'securepubads.g.doubleclick.net', 'advertising'],
    ['a social domain', 'connect.facebook.net', 'social'],
    ['a CDN', 'cdn.jsdelivr.net', 'cdn'],
    ['the longest listed suffix wins (googleapis.com is a CDN)', 'fonts.googleapis.com', 'cdn'],
    ['a listed host under a listed domain of another kind takes its own kind (Google Analytics beacon under doubleclick.net)', 'stats.g.doubleclick.net', 'analytics'],
    ['a host under that beacon host is analytics too', 'eu.stats.g.doubleclick.net', 'analytics'],
    ['the rest of doubleclick.net stays advertising', 'ad.doubleclick.net', 'advertising'],
    ['a host matching two listed domains of one kind', 'cdnjs.cloudflare.com', 'cdn'],
    ['case and port do not matter', 'WWW.Google-Analytics.com:443', 'analytics'],
    ['a name that only ends like a listed domain is other', 'notdoubleclick.net', 'other'],
    ['anything unlisted is other', 'www.vendor.example', 'other'],
    ['the demo tracker', 'tracker.example', 'analytics'],
  ];
  it.each(table)('%s: %s -> %s', (_why, host, kind) => {
    expect(classifyHost(host)).toBe(kind);
  });

  it('every kind comes from the fixed set', () => {
    expect(HOST_KINDS).toEqual(['analytics', 'advertising', 'social', 'cdn', 'other']);
  });
});
