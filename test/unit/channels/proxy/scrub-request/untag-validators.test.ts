import type { OutgoingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { NO_MATCH, untagValidators } from '../../../../../src/channels/proxy/scrub-request/untag-validators.ts';

const TAG = 'Tg_1-abc';

function untagged(headers: OutgoingHttpHeaders, patron: 'signed-in' | 'none' = 'signed-in'): OutgoingHttpHeaders {
  const copy = { ...headers };
  untagValidators(copy, () => (patron === 'signed-in' ? TAG : undefined));
  return copy;
}

describe('untagValidators', () => {
  it.each<[string, OutgoingHttpHeaders, OutgoingHttpHeaders]>([
    ['If-None-Match with this patron\'s tag reaches the vendor as the vendor gave it', { 'if-none-match': `"${TAG}.v1"` }, { 'if-none-match': '"v1"' }],
    ['If-None-Match with another patron\'s tag is not sent (the vendor answers in full)', { 'if-none-match': '"Other123.v1"' }, {}],
    ['If-None-Match with a tag the gateway never gave is not sent', { 'if-none-match': '"v1"' }, {}],
    ['If-None-Match: * is sent (it names nothing)', { 'if-none-match': '*' }, { 'if-none-match': '*' }],
    ['If-Match with this patron\'s tag is untagged', { 'if-match': `W/"${TAG}.v2"` }, { 'if-match': 'W/"v2"' }],
    ['If-Match with no tag of this patron\'s fails at the vendor instead of becoming unconditional', { 'if-match': '"Other123.v2"' }, { 'if-match': NO_MATCH }],
    ['If-Range with this patron\'s tag is untagged, Range kept', { 'if-range': `"${TAG}.v3"`, range: 'bytes=10-' }, { 'if-range': '"v3"', range: 'bytes=10-' }],
    ['If-Range with another patron\'s tag goes, and Range with it (the whole body is sent)', { 'if-range': '"Other123.v3"', range: 'bytes=10-' }, {}],
    ['If-Range with a date goes, and Range with it', { 'if-range': 'Tue, 03 Nov 2026 10:00:00 GMT', range: 'bytes=10-' }, {}],
    ['If-Range: * is not an entity tag: it goes with Range', { 'if-range': '*', range: 'bytes=10-' }, {}],
    ['If-Range: * with spaces goes too', { 'if-range': ' * ', range: 'bytes=10-' }, {}],
    ['If-Modified-Since is never sent (a per-patron date is an identifier)', { 'if-modified-since': 'Tue, 03 Nov 2026 10:00:00 GMT', accept: 'text/html' }, { accept: 'text/html' }],
    ['If-Unmodified-Since is left alone (browsers never send it from their cache)', { 'if-unmodified-since': 'Tue, 03 Nov 2026 10:00:00 GMT' }, { 'if-unmodified-since': 'Tue, 03 Nov 2026 10:00:00 GMT' }],
    ['Range without If-Range is left alone', { range: 'bytes=0-99' }, { range: 'bytes=0-99' }],
  ])('%s', (_name, headers, expected) => {
    expect(untagged(headers)).toEqual(expected);
  });

  it('without a current patron only * survives', () => {
    expect(untagged({ 'if-none-match': `"${TAG}.v1"`, 'if-match': `"${TAG}.v1"`, 'if-range': `"${TAG}.v1"`, range: 'bytes=1-' }, 'none')).toEqual({ 'if-match': NO_MATCH });
  });

  it('the tag is computed only when a validator is present (no HMAC on ordinary requests)', () => {
    let calls = 0;
    untagValidators({ accept: '*/*', 'if-modified-since': 'x' }, () => {
      calls++;
      return TAG;
    });
    expect(calls).toBe(0);
    untagValidators({ 'if-match': `"${TAG}.a"` }, () => {
      calls++;
      return TAG;
    });
    expect(calls).toBe(1);
  });
});
