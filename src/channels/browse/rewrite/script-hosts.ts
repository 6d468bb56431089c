import { createPatternReplacer, escapeForPattern } from './pattern-replacer.ts';
import type { ScriptHost } from './rewrite-options.ts';
import type { TextStage } from './text-stage.ts';

/**
 * Host substitution in JavaScript and JSON (EZproxy's HJ/DJ), for the contract's scriptHosts only,
 * never guessed. For a script host H proxied at P (such as https://h-proxied.example.org):
 *
 * | written (H = api.vendor.com)                     | becomes                         |
 * |--------------------------------------------------|---------------------------------|
 * | `https://H`, `http://H`                          | P's scheme and host             |
 * | `wss://H`, `ws://H`                              | wss (ws if P is http) and P's host |
 * | the same with JSON-escaped slashes `https:\/\/H` | the same, slashes kept escaped  |
 * | `//H` (not after a scheme)                       | `//` and P's host               |
 * | `H` right after a quote (`"H`, `'H`, `` `H ``)   | P's host                        |
 *
 * H is matched case-insensitively and only as a whole host: not when followed by a letter, digit,
 * `.`, `-`, `_` or `:` and a digit (so api.vendor.com.evil.example, api.vendor.community and
 * api.vendor.com:8443 stay as written). A bare H outside quotes (in a comment, in prose) is not touched.
 */
export function createScriptHostStage(scriptHosts: ReadonlyArray<ScriptHost>): TextStage | undefined {
  if (scriptHosts.length === 0) return undefined;
  const byHost = new Map<string, URL>();
  for (const { host, proxied } of scriptHosts) byHost.set(host.toLowerCase(), new URL(proxied));
  const hosts = [...byHost.keys()].sort((a, b) => b.length - a.length).map(escapeForPattern).join('|');
  const end = '(?![A-Za-z0-9_.-]|:\\d)';
  const pattern = new RegExp(
    `(https?|wss?):(//|\\\\/\\\\/)(${hosts})${end}|(?<![A-Za-z0-9+.:-])(//|\\\\/\\\\/)(${hosts})${end}|(?<=["'\`])(${hosts})${end}`,
    'gi',
  );
  const longest = Math.max(...[...byHost.keys()].map((h) => h.length));
  return createPatternReplacer(pattern, (m) => substitute(m, byHost), 'https:\\/\\/'.length + longest, 2);
}

function substitute(m: RegExpExecArray, byHost: ReadonlyMap<string, URL>): string {
  if (m[1] !== undefined) {
    const proxied = byHost.get(m[3]!.toLowerCase())!;
    const secure = proxied.protocol === 'https:';
    const scheme = m[1].toLowerCase().startsWith('ws') ? (secure ? 'wss' : 'ws') : proxied.protocol.slice(0, -1);
    return `${scheme}:${m[2]}${proxied.host}`;
  }
  if (m[4] !== undefined) return `${m[4]}${byHost.get(m[5]!.toLowerCase())!.host}`;
  return byHost.get(m[6]!.toLowerCase())!.host;
}
