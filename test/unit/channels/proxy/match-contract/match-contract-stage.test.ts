import { describe, expect, it } from 'vitest';
import type { CompiledContract } from '../../../../../src/contracts/compiled-contract.ts';
import { createMatchContractStage } from '../../../../../src/channels/proxy/match-contract/match-contract-stage.ts';
import { compileVendor, makeContext, outcomeOf, runStageError } from '../stage-fixtures.ts';

const dates = (effective: string, expires: string): Record<string, string> => ({ contract: `contract: { reference: T-1, effective: ${effective}, expires: ${expires} }` });
const inForce = compileVendor('books', dates('2026-01-01', '2027-12-31'));
const endsOn = compileVendor('ends-today', dates('2026-01-01', '2026-11-29'));
const startsOn = compileVendor('starts-tomorrow', dates('2026-11-30', '2027-12-31'));
const grant = compileVendor('state-grant', { kind: 'kind: grant', identity: '', fields: '', report: 'report: { dimensions: [{ name: age, from: birthDate, generalize: ageBand }], measures: [participants] }' });
// A contract object without an upstream (the compiler refuses such files; startup must too).
const { upstream: _dropped, ...withoutUpstreamFields } = compileVendor('no-upstream');
const withoutUpstream: CompiledContract = withoutUpstreamFields;

const contracts = new Map<string, CompiledContract>([inForce, endsOn, startsOn, grant, withoutUpstream].map((c) => [c.id, c]));
const stage = createMatchContractStage({ contracts });

describe('match contract stage', () => {
  it('a vendor with a contract in force gets its contract on the context', async () => {
    const context = makeContext({ vendorId: 'books' });
    expect(await outcomeOf(stage, context)).toBe('ok');
    expect(context.contract).toBe(inForce);
  });

  it.each([
    ['a vendor id no contract names is unknown (404, never guessed)', 'nobody'],
    ['a context without a vendor id is unknown (the path named none)', undefined],
    ['a grant is unknown to the proxy (grants are reports, never proxied)', 'state-grant'],
    ['a contract without an upstream is unknown (there is nowhere to forward to)', 'no-upstream'],
  ])('%s', async (_name, vendorId) => {
    const context = makeContext(vendorId === undefined ? {} : { vendorId });
    const error = await runStageError(stage, context);
    expect(error.code).toBe('unknown_vendor');
    expect(error.status).toBe(404);
    expect(context.contract).toBeUndefined();
  });

  it.each([
    ['a contract on its last day is open (in force to the end of its expires day)', 'ends-today', '2026-11-29T23:59:59.999Z', 'ok'],
    ['a contract the moment after its last day closes the vendor (it is no longer in force)', 'ends-today', '2026-11-30T00:00:00.000Z', 'vendor_closed'],
    ['an expired contract closes the vendor (it is no longer in force)', 'ends-today', '2027-03-01T12:00:00Z', 'vendor_closed'],
    ['a contract before its first day closes the vendor (it is not in force yet)', 'starts-tomorrow', '2026-11-29T23:59:59.999Z', 'vendor_closed'],
    ['a contract from the first moment of its first day is open (in force from the start of effective)', 'starts-tomorrow', '2026-11-30T00:00:00.000Z', 'ok'],
    ['a contract in its expiry warning window is still open (warnings are for staff, not a closure)', 'ends-today', '2026-11-20T08:00:00Z', 'ok'],
  ])('%s', async (_name, vendorId, now, expected) => {
    const context = makeContext({ vendorId, now: new Date(now) });
    expect(await outcomeOf(stage, context)).toBe(expected);
    // The contract is matched either way, so a closed page can name the vendor.
    expect(context.contract?.id).toBe(vendorId);
  });

  it('a closed vendor answers 503 with the contract id kept for the log', async () => {
    const error = await runStageError(stage, makeContext({ vendorId: 'ends-today', now: new Date('2027-01-01T00:00:00Z') }));
    expect(error).toMatchObject({ code: 'vendor_closed', status: 503, outcome: 'vendor_closed', detail: 'ends-today' });
  });

  it('validate names each non-grant contract with no upstream, and only those (startup must stop for them)', () => {
    expect(stage.validate?.()).toEqual(['no-upstream: no upstream to forward to']);
    expect(createMatchContractStage({ contracts: new Map([[inForce.id, inForce], [grant.id, grant]]) }).validate?.()).toEqual([]);
  });
});
