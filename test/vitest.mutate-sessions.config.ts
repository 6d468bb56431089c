import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: [
      'test/unit/sessions/**/*.test.ts',
      'test/unit/lib/**/*.test.ts',
      'test/unit/policy/pseudonyms/**/*.test.ts',
      'test/unit/channels/proxy/scrub-request/vendor-cookies.test.ts',
      'test/unit/channels/proxy/filter-response/*.test.ts',
      'test/unit/channels/proxy/bind-vendor-cookies/*.test.ts',
      'test/integration/proxy-vendor-cookie-binding.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
