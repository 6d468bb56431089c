import type { CompiledContract } from '../../../contracts/compiled-contract.ts';
import { isContractInForce } from '../../../contracts/contract-status.ts';
import { GatewayError } from '../../../errors/gateway-error.ts';
import type { Stage } from '../stage.ts';

/**
 * Match contract: the vendor named in the path must have a contract in force. An unknown vendor
 * is 404; a vendor whose contract expired (or has not started) is closed with a clear page, from
 * the moment it expires, while the others go on.
 */
export function createMatchContractStage(deps: { contracts: ReadonlyMap<string, CompiledContract> }): Stage {
  return {
    name: 'match contract',
    validate() {
      return [...deps.contracts.values()].filter((c) => c.kind !== 'grant' && !c.upstream).map((c) => `${c.id}: no upstream to forward to`);
    },
    run(context) {
      const contract = context.vendorId === undefined ? undefined : deps.contracts.get(context.vendorId);
      if (!contract || contract.kind === 'grant' || !contract.upstream) {
        throw new GatewayError('unknown_vendor');
      }
      context.contract = contract;
      if (!isContractInForce(contract, context.now)) {
        throw new GatewayError('vendor_closed', { detail: contract.id });
      }
    },
  };
}
