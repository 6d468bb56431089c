import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
export default defineConfig({ root: fileURLToPath(new URL('..', import.meta.url)), test: { include: ['test/unit/channels/federation/saml/pending-request.test.ts'], pool: 'forks' } });
