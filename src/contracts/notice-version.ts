import { createHash } from 'node:crypto';
import type { CompiledRule } from '../policy/compiled-rule.ts';

/**
 * A short hash of everything about a contract that changes what a patron shares: the rules, the
 * consents they need, the minors policy and how identity is delivered. Names, purposes and
 * comments are left out, so fixing a typo does not ask every patron again.
 */
export function computeNoticeVersion(input: {
  readonly rules: ReadonlyArray<CompiledRule>;
  readonly minors: { readonly under13: string; readonly under18?: string };
  readonly delivery: string;
}): string {
  const canonical = JSON.stringify({
    rules: input.rules
      .filter((r) => r.action !== 'drop')
      .map((r) => [r.field, r.action, r.as, r.generalization?.name ?? null, r.options.bands?.map((b) => b.label) ?? null, r.consent ?? null]),
    minors: [input.minors.under13, input.minors.under18 ?? null],
    delivery: input.delivery,
  });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
