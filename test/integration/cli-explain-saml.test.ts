import { describe, expect, it } from 'vitest';
import { runGateway, TEST_ENV, TEST_SETTINGS } from '../helpers/cli.ts';

/** `gateway explain` on a saml vendor: the assertion's attributes, exactly as the IdP would send them. */
const base = ['--config', TEST_SETTINGS, '--patron', 'config/demo-patrons.yaml', '--at', '2026-11-29'];

describe('gateway explain, saml delivery', () => {
  it('lists the attributes: pairwise-id and affiliation scoped by the library\'s domain, the age band under the contract\'s name', async () => {
    const result = await runGateway(['explain', 'journals-saml-demo', ...base, '--barcode', '29000000000001'], TEST_ENV);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/SAML attributes in the assertion \(NameID: transient\):/);
    expect(result.stdout).toMatch(/pairwise-id \(urn:oasis:names:tc:SAML:attribute:pairwise-id\): [a-z2-7]{32}@library\.test/);
    expect(result.stdout).toMatch(/eduPersonScopedAffiliation \(urn:oid:1\.3\.6\.1\.4\.1\.5923\.1\.1\.1\.9\): member@library\.test/);
    expect(result.stdout).toMatch(/https:\/\/journals\.example\/attributes\/ageBand \(https:\/\/journals\.example\/attributes\/ageBand\): 18\+/);
  });

  it('a child the contract blocks: no attribute at all', async () => {
    const result = await runGateway(['explain', 'journals-saml-demo', ...base, '--barcode', '29000000000004'], TEST_ENV);
    expect(result.stdout).toMatch(/SAML attributes in the assertion \(NameID: transient\):\n {2}\(none\)/);
  });

  it('--json carries samlAttributes (explain uses the record\'s standing consents: mail too)', async () => {
    const result = await runGateway(['explain', 'journals-saml-demo', ...base, '--barcode', '29000000000001', '--json'], TEST_ENV);
    const parsed = JSON.parse(result.stdout) as { samlAttributes: Array<{ friendlyName?: string }> };
    expect(parsed.samlAttributes.map((a) => a.friendlyName ?? 'declared')).toEqual(['pairwise-id', 'mail', 'declared', 'eduPersonScopedAffiliation']);
  });
});
