/** A value that must never come back in a message. */
export const YAML_CANARY = 'CANARY-YAML-7731';

/** "Billion laughs": nine levels of nine aliases each, 387 million canaries from under 1 KB. */
export function billionLaughs(key = 'lol'): string {
  const lines = [`${key}0: &a0 [${Array(9).fill(`"${YAML_CANARY}"`).join(', ')}]`];
  for (let i = 1; i <= 8; i++) lines.push(`${key}${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

/** Quadratic growth under any per-alias count: one large anchor used many times. */
export function wideAnchor(items = 1500, uses = 90): string {
  return `big: &big [${Array(items).fill(`"${YAML_CANARY}"`).join(',')}]\n${Array.from({ length: uses }, (_, i) => `copy${i}: *big`).join('\n')}\n`;
}

/** An alias inside the value it refers to: a circular value. */
export const CIRCULAR_ALIAS = `loop: &loop { inner: *loop, note: ${YAML_CANARY} }\n`;

/** Flow collections nested deeper than any parser's stack. */
export function deepNesting(depth = 20_000): string {
  return `x: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
}
