import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createScriptHostStage } from '../../../../../src/channels/browse/rewrite/script-hosts.ts';
import { proxiedOrigin } from '../../../../helpers/rewrite-fixtures.ts';
import { cutText, runStage } from './text-stages.ts';

const hosts = [
  { host: 'api.vendor.com', proxied: proxiedOrigin('api.vendor.com') },
  { host: 'vendor.com', proxied: proxiedOrigin('vendor.com') },
];
const stage = () => createScriptHostStage(hosts)!;
const A = 'api-vendor-com.proxy.test';
const V = 'vendor-com.proxy.test';

describe('script-host substitution in JavaScript and JSON', () => {
  it.each([
    ['https URL', '"https://api.vendor.com/v1"', `"https://${A}/v1"`],
    ['http URL takes the proxied scheme', "'http://api.vendor.com/'", `'https://${A}/'`],
    ['secure websocket', '"wss://api.vendor.com/live"', `"wss://${A}/live"`],
    ['plain websocket to an https proxy becomes wss', '"ws://api.vendor.com/live"', `"wss://${A}/live"`],
    ['JSON-escaped slashes stay escaped', '"https:\\/\\/api.vendor.com\\/x"', `"https:\\/\\/${A}\\/x"`],
    ['protocol-relative', "'//api.vendor.com/lib.js'", `'//${A}/lib.js'`],
    ['protocol-relative with escaped slashes', '"\\/\\/api.vendor.com"', `"\\/\\/${A}"`],
    ['bare host right after a double quote', '{"host":"api.vendor.com"}', `{"host":"${A}"}`],
    ['bare host right after a backtick', '`api.vendor.com/${p}`', `\`${A}/\${p}\``],
    ['bare host with a path after a single quote', "'api.vendor.com/x'", `'${A}/x'`],
    ['upper case matches (host names are case-insensitive)', '"HTTPS://API.VENDOR.COM/"', `"https://${A}/"`],
    ['the longer host wins where both match', '"https://api.vendor.com" "https://vendor.com"', `"https://${A}" "https://${V}"`],
  ])('%s', (_name, js, expected) => {
    expect(runStage(stage(), [js])).toBe(expected);
  });

  it.each([
    ['a longer host that starts with it', '"https://api.vendor.com.evil.example/"'],
    ['a host with more letters', '"api.vendor.community"'],
    ['another port', '"https://api.vendor.com:8443/"'],
    ['a subdomain of it written bare', '"x.api.vendor.com"'],
    ['a bare host outside quotes (comments, code)', '// calls api.vendor.com'],
    ['a host after a letter', '"myapi.vendor.com"'],
    ['another scheme', '"ftp://api.vendor.com/"'],
    ['a host inside a word after //', 'a//api.vendor.comx'],
  ])('leaves %s alone', (_name, js) => {
    expect(runStage(stage(), [js])).toBe(js);
  });

  it('is not built without script hosts', () => {
    expect(createScriptHostStage([])).toBeUndefined();
  });

  it('takes the proxied origin with a port as written', () => {
    const withPort = createScriptHostStage([{ host: 'api.vendor.com', proxied: 'http://api-vendor-com.proxy.localhost:8080' }])!;
    expect(runStage(withPort, ['"https://api.vendor.com/" "ws://api.vendor.com" "api.vendor.com"'])).toBe(
      '"http://api-vendor-com.proxy.localhost:8080/" "ws://api-vendor-com.proxy.localhost:8080" "api-vendor-com.proxy.localhost:8080"',
    );
  });

  const script = `var a = "https://api.vendor.com/v1", b = 'api.vendor.com', c = "//vendor.com/x";\n// api.vendor.com\nfetch(\`wss://api.vendor.com\`); "https://api.vendor.com:8443" "https:\\/\\/vendor.com\\/y"`;

  it('fed one character at a time, the output equals one pass', () => {
    expect(runStage(stage(), [...script])).toBe(runStage(stage(), [script]));
  });

  test.prop([fc.array(fc.nat(), { maxLength: 30 })], { seed: 1304, numRuns: 300 })('cut anywhere, the output equals one pass', (cuts) => {
    expect(runStage(stage(), cutText(script, cuts))).toBe(runStage(stage(), [script]));
  });
});
