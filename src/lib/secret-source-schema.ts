import * as z from 'zod';

/**
 * Where a secret comes from: an environment variable, or a file it names (Docker and Kubernetes
 * secrets). Secrets never live in the repository; the demo's development keys are generated on
 * first run and refused when NODE_ENV=production.
 */
export const secretSource = z.union([
  z.strictObject({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'use an environment variable name such as GATEWAY_PSEUDONYM_SECRET') }),
  z.strictObject({ file: z.string().min(1) }),
]);

export type SecretSource = z.output<typeof secretSource>;
