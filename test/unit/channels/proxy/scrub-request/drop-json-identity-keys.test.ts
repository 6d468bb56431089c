import { describe, expect, it } from 'vitest';
import { dropJsonIdentityKeys } from '../../../../../src/channels/proxy/scrub-request/drop-json-identity-keys.ts';

const NAMES = new Set(['sub', 'patronType']);
const run = (text: string): string | undefined => dropJsonIdentityKeys(Buffer.from(text), NAMES)?.toString();

describe('dropJsonIdentityKeys (form delivery: only the gateway posts identity)', () => {
  it.each([
    ['a top-level identity key is removed, the rest kept in order', '{"q":"dune","sub":"x","page":2}', '{"q":"dune","page":2}'],
    ['every identity key goes, not only the first', '{"sub":"x","patronType":"staff","q":1}', '{"q":1}'],
    ['an escaped spelling is the same key to the vendor', '{"s\\u0075b":"x"}', '{}'],
    ['duplicates: the key is gone whichever value the vendor would keep', '{"sub":"a","q":1,"sub":"b"}', '{"q":1}'],
  ])('%s', (_name, input, expected) => {
    expect(run(input)).toBe(expected);
  });

  it.each([
    ['no identity key: nothing to rebuild', '{"q":"dune"}'],
    ['a nested key of the same name is the vendor\'s own field', '{"filter":{"sub":"x"}}'],
    ['an array has no named fields', '[{"sub":"x"}]'],
    ['a bare value', '"sub"'],
    ['null', 'null'],
    ['an empty body', ''],
    ['a key named like a prototype member is not an identity field', '{"constructor":1,"toString":2}'],
  ])('leaves the body as it came: %s', (_name, input) => {
    expect(run(input)).toBeUndefined();
  });
});
