import { describe, expect, it } from 'vitest';
import { diffContracts } from '../../../src/contracts/diff-contracts.ts';
import { compileOrThrow, contractYaml } from '../../helpers/contracts.ts';

/** `gateway diff` on identity.saml: a new attribute or a pairwise NameID is wider, and asks patrons again. */
const saml = (extra: string, fields = 'fields: { patronId: { action: pseudonymize, as: sub }, patronType: { action: pass } }') =>
  compileOrThrow(contractYaml({ upstream: '', identity: `identity:\n  delivery: saml\n  saml:\n    metadata: sp.xml\n${extra}`, fields }));

describe('diff of saml contracts', () => {
  const before = saml('');
  it.each([
    ['a pairwise NameID', saml('    nameId: pairwise-id'), 'identity.saml.nameId', 'wider'],
    ['a transient NameID again', before, 'identity.saml.nameId', 'narrower', saml('    nameId: pairwise-id')],
    ['another affiliation mapping', saml('    affiliations: { juvenile: student }'), 'identity.saml.affiliations', 'neutral'],
    ['a new attribute', saml('    attributes: { ageBand: https://v.example/age }', 'fields: { patronId: { action: pseudonymize, as: sub }, patronType: { action: pass }, birthDate: { action: generalize, to: ageBand } }'), 'identity.saml.attributes', 'wider'],
    ['one attribute fewer', saml('', 'fields: { patronId: { action: pseudonymize, as: sub } }'), 'identity.saml.attributes', 'narrower'],
  ] as const)('%s', (_name, after, path, direction, from = before) => {
    const diff = diffContracts(from, after);
    expect(diff.changes.find((change) => change.path === path)?.direction).toBe(direction);
    expect(diff.noticeVersionChanged).toBe(true);
  });
});
