import { describe, expect, it } from 'vitest';
import { IlsUnavailableError } from '../../../../../src/channels/sip2/ils/ils-client.ts';

describe('IlsUnavailableError', () => {
  it.each(['refused', 'reset', 'timeout', 'bad_status'] as const)('names its kind (%s) and nothing else: no host, card or PIN can reach its message', (kind) => {
    const error = new IlsUnavailableError(kind);
    expect(error).toBeInstanceOf(Error);
    expect(error.kind).toBe(kind);
    expect(error.message).toBe(`the ILS cannot answer (${kind})`);
  });
});
