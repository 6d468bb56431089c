import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import { createMatchContractStage } from './match-contract/match-contract-stage.ts';
import type { Stage } from './stage.ts';

/**
 * The proxy's startup checks on the compiled contracts, without building the pipeline: every
 * stage whose `validate()` depends only on the contracts, built from the contracts alone. boot()
 * runs this so that `gateway check` and startup refuse the same contracts; createProxyPipeline
 * still runs every stage's validate() as a last guard.
 */
export function validateProxyContracts(contracts: ReadonlyMap<string, CompiledContract>): string[] {
  const stages: Stage[] = [createMatchContractStage({ contracts })];
  return stages.flatMap((stage) => stage.validate?.() ?? []);
}
