import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Test sets for mutation runs over src/channels/browse/rewrite/, chosen by MUTATE_REWRITE:
 * - 'text' (URL mapping, srcset, refresh, headers, CSP, body plans, codecs, find/replace, script
 *   hosts): their own table tests;
 * - 'html' (the HTML and CSS rewriters, the pattern replacer): their tests and the golden files in
 *   one chunk;
 * - 'body' (the body Transform and the chain): their tests;
 * - 'tokenizer' (the HTML tokenizer and its tree feedback): the differential test against parse5,
 *   its generated documents included (they are what kills most mutants there).
 * Left out everywhere: the 50 MB memory tests (they assert a bound, not behaviour) and the
 * random-chunking properties (hundreds of runs each; the table and one-byte tests exercise the same
 * code). See the README's mutation section for the commands.
 */
const sets: Record<string, string[]> = {
  text: ['url-mapper', 'srcset', 'refresh-value', 'link-header', 'response-headers', 'body-plan', 'text-codec', 'find-replace', 'script-hosts'],
  html: ['html-rewriter', 'css-rewriter', 'find-replace', 'script-hosts', 'html-golden'],
  tokenizer: ['html-tokenizer'],
  body: ['body-rewriter', 'transform-chain'],
};
const chosen = sets[process.env['MUTATE_REWRITE'] ?? ''] ?? [...new Set(Object.values(sets).flat())];

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: chosen.map((name) => `test/unit/channels/browse/rewrite/${name}.test.ts`),
    testNamePattern: /^(?!.*(memory stays flat|cut anywhere|no upstream URL survives|one byte at a time))/,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
