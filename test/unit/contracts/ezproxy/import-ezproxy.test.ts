import { describe, expect, it } from 'vitest';
import { importEzproxy, type EzproxyImport } from '../../../../src/contracts/ezproxy/import-ezproxy.ts';
import { contractSchema } from '../../../../src/contracts/contract-schema.ts';

const ENTRY = '/cfg/config.txt';
function readerOf(files: Record<string, string>) {
  return (path: string): Uint8Array | undefined => (path in files ? new TextEncoder().encode(files[path]) : undefined);
}
function importText(text: string, more: Record<string, string> = {}): EzproxyImport {
  const result = importEzproxy(ENTRY, readerOf({ [ENTRY]: text, ...more }));
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.result;
}
function only(text: string) {
  const result = importText(text);
  expect(result.stanzas).toHaveLength(1);
  const stanza = result.stanzas[0];
  if (!stanza) throw new Error('no stanza');
  return stanza;
}
function outcomeOf(stanza: ReturnType<typeof only>, lineText: string) {
  return stanza.outcomes.find((o) => o.text === lineText);
}

describe('importEzproxy: one directive at a time (each row states the behaviour and why)', () => {
  const base = 'Title Vendor\nURL https://www.vendor.example/start\n';
  const cases: Array<{ name: string; text: string; line: string; into?: RegExp; reason?: RegExp; draft?: Record<string, unknown>; finding?: 'identity' | 'exposure' | 'placeholder' }> = [
    { name: 'directives are case-insensitive: "title"/"url" work as Title/URL, since EZproxy folds case', text: 'title Vendor\nurl https://www.vendor.example/\n', line: 'url https://www.vendor.example/', into: /^upstream\.url$/, draft: { name: 'Vendor', upstream: { url: 'https://www.vendor.example/', hosts: ['www.vendor.example'] } } },
    { name: 'short forms T and U are Title and URL (OCLC writes them)', text: 'T Short Vendor\nU https://s.vendor.example\n', line: 'U https://s.vendor.example', into: /^upstream\.url$/, draft: { id: 'short-vendor' } },
    { name: 'H adds an upstream host (the browser may reach it) from a URL form', text: `${base}H https://cdn.vendor.example\n`, line: 'H https://cdn.vendor.example', into: /^upstream\.hosts$/, draft: { upstream: { hosts: ['www.vendor.example', 'cdn.vendor.example'] } } },
    { name: 'HJ adds a host and a script host (EZproxy rewrites it inside JavaScript too)', text: `${base}HJ api.vendor.example\n`, line: 'HJ api.vendor.example', into: /upstream\.hosts, browse\.scriptHosts/, draft: { browse: { scriptHosts: ['api.vendor.example'] } } },
    { name: 'D becomes browse.domains (every host under it is proxied)', text: `${base}D vendor.example\n`, line: 'D vendor.example', into: /^browse\.domains$/, draft: { browse: { domains: ['vendor.example'] } } },
    { name: 'DJ becomes a domain and a script host', text: `${base}DJ vendor.example\n`, line: 'DJ vendor.example', into: /browse\.domains, browse\.scriptHosts/, draft: { browse: { domains: ['vendor.example'], scriptHosts: ['vendor.example'] } } },
    { name: 'a Domain on a public suffix is refused and reported: it would proxy every site under it', text: `${base}Domain com\n`, line: 'Domain com', reason: /too broad/, finding: 'exposure' },
    { name: 'a Domain on a shared hosting platform is refused and reported: it covers other customers', text: `${base}D amazonaws.com\n`, line: 'D amazonaws.com', reason: /too broad/, finding: 'exposure' },
    { name: 'a tracker host is left out and reported: the gateway then blocks it', text: `${base}HJ www.googletagmanager.com\n`, line: 'HJ www.googletagmanager.com', reason: /tracking service googletagmanager\.com/, finding: 'exposure' },
    { name: 'a plain Find/Replace pair is carried as a replace rule', text: `${base}Find a=="b"\nReplace true\n`, line: 'Replace true', into: /^browse\.replace$/, draft: { browse: { replace: [{ find: 'a=="b"', replace: 'true' }] } } },
    { name: 'a Replace with EZproxy tokens (^A) is listed, not guessed: there is no exact equivalent', text: `${base}Find /login?url=\nReplace /login?url=^A\n`, line: 'Replace /login?url=^A', reason: /EZproxy tokens/ },
    { name: 'a Replace inserting the username (^u) is reported as identity and not carried', text: `${base}Find id=\nReplace id=^u\n`, line: 'Replace id=^u', reason: /username/, finding: 'identity' },
    { name: 'NeverProxy becomes browse.neverProxy (links leave through /leaving)', text: `${base}NeverProxy help.vendor.example\n`, line: 'NeverProxy help.vendor.example', into: /^browse\.neverProxy$/, draft: { browse: { neverProxy: ['help.vendor.example'] } } },
    { name: 'a wildcard NeverProxy is listed: contracts name exact hosts', text: `${base}NeverProxy *.cdn.example\n`, line: 'NeverProxy *.cdn.example', reason: /wildcard/ },
    { name: 'HTTPHeader -request -process becomes request.headers and is reported as pass-through', text: `${base}HTTPHeader -request -process X-Requested-With\n`, line: 'HTTPHeader -request -process X-Requested-With', into: /^request\.headers$/, draft: { request: { headers: ['X-Requested-With'] } }, finding: 'exposure' },
    { name: 'HTTPHeader Authorization is listed: the gateway never forwards it', text: `${base}HTTPHeader -request -process Authorization\n`, line: 'HTTPHeader -request -process Authorization', reason: /never forwards/ },
    { name: 'an identity-named header (userIdentifier) is left out and reported', text: `${base}HTTPHeader -request -process userIdentifier\n`, line: 'HTTPHeader -request -process userIdentifier', reason: /identifies a person/, finding: 'exposure' },
    { name: 'URL -Form=post keeps the URL but lists the form flag: the gateway posts no forms for patrons', text: 'Title F\nURL -Form=post F https://f.example/login\n', line: 'URL -Form=post F https://f.example/login', into: /upstream\.url \(not carried over: -Form=post/ },
    { name: 'URL -Refresh keeps the URL and lists the flag', text: 'Title R\nURL -Refresh https://r.example/\n', line: 'URL -Refresh https://r.example/', into: /not carried over: -Refresh/ },
    { name: 'FormVariable session:user is reported as identity and not carried', text: `${base}FormVariable -expr username=session:user\n`, line: 'FormVariable -expr username=session:user', reason: /login forms/, finding: 'identity' },
    { name: 'Identifier is reported as identity: it links a patron\'s visits', text: `${base}Identifier secret\n`, line: 'Identifier secret', reason: /pushes patron identity/, finding: 'identity' },
    { name: 'AnonymousURL is listed: browse mode serves signed-in patrons only', text: `${base}AnonymousURL -*\n`, line: 'AnonymousURL -*', reason: /signed-in patrons only/ },
    { name: 'Option is listed: it has no contract equivalent', text: `${base}Option Cookie\n`, line: 'Option Cookie', reason: /no contract equivalent/ },
    { name: 'an unknown directive is listed by name, never dropped', text: `${base}Frobnicate on\n`, line: 'Frobnicate on', reason: /unknown directive "Frobnicate"/ },
    { name: 'an <Institution_ID> placeholder is drafted as todo-... and reported', text: 'Title P\nURL https://<Institution_ID>.p.example\n', line: 'URL https://<Institution_ID>.p.example', into: /^upstream\.url$/, draft: { upstream: { hosts: ['todo-institution-id.p.example'] } }, finding: 'placeholder' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const stanza = only(c.text);
      const outcome = outcomeOf(stanza, c.line);
      expect(outcome, `no outcome for ${c.line}`).toBeDefined();
      if (c.into) expect(outcome?.carriedInto).toMatch(c.into);
      if (c.reason) {
        expect(outcome?.carriedInto).toBeUndefined();
        expect(outcome?.reason).toMatch(c.reason);
      }
      if (c.draft) expect(stanza.document).toMatchObject(c.draft);
      if (c.finding) expect(stanza.findings.some((f) => f.kind === c.finding && f.text === c.line)).toBe(true);
      expect(contractSchema.safeParse(stanza.document).success).toBe(true);
    });
  }
});

describe('importEzproxy: stanzas, positions and includes', () => {
  it('an AddUserHeader before a Title applies to that stanza and the next ones until a bare AddUserHeader turns it off', () => {
    const result = importText('AddUserHeader X-Card\nTitle A\nURL https://a.example\nTitle B\nURL https://b.example\nAddUserHeader\nTitle C\nURL https://c.example\n');
    const identity = result.stanzas.map((s) => s.findings.filter((f) => f.kind === 'identity').length);
    expect(identity).toEqual([1, 1, 0]);
  });

  it('an Option NoX turns off the Option X set before (the stanza after it is clean)', () => {
    const result = importText('Option X-Forwarded-For\nTitle A\nURL https://a.example\nOption NoX-Forwarded-For\nTitle B\nURL https://b.example\n');
    expect(result.stanzas.map((s) => s.findings.some((f) => /IP address/.test(f.explanation)))).toEqual([true, false]);
  });

  it('repeated titles get unique ids (-2, -3 in file order), since the id is the file name', () => {
    const result = importText('Title Same\nURL https://a.example\nTitle Same\nURL https://b.example\nTitle Same\nURL https://c.example\n');
    expect(result.stanzas.map((s) => s.id)).toEqual(['same', 'same-2', 'same-3']);
    expect(result.stanzas.map((s) => s.document?.id)).toEqual(['same', 'same-2', 'same-3']);
  });

  it('an IncludeFile that cannot be read fails the whole import with the line that names it: never a partial set of drafts', () => {
    const result = importEzproxy(ENTRY, readerOf({ [ENTRY]: 'Title A\nURL https://a.example\nIncludeFile gone.txt\n' }));
    expect(result).toEqual({ ok: false, problems: [expect.stringMatching(/^\/cfg\/config\.txt:3: cannot read \/cfg\/gone\.txt: no such file/)] });
  });

  it('IncludeFile is resolved relative to the including file and its lines are accounted for', () => {
    const result = importText('IncludeFile sub/more.txt\n', { '/cfg/sub/more.txt': 'Title Inc\nURL https://inc.example\nIncludeFile deeper.txt\n', '/cfg/sub/deeper.txt': 'D inc.example\n' });
    expect(result.stanzas[0]?.document?.browse.domains).toEqual(['inc.example']);
    expect(result.stanzas[0]?.outcomes.some((o) => o.file === '/cfg/sub/deeper.txt' && o.carriedInto === 'browse.domains')).toBe(true);
  });

  it('lines before the first Title are accounted for: positional ones carry over to the stanzas, others belong to none', () => {
    const result = importText('Host stray.example\nRedirectSafe r.example\nFrob 1\nTitle A\nURL https://a.example\n');
    expect(result.outside.map((o) => o.reason)).toEqual([
      'Host before the first Title belongs to no database stanza',
      expect.stringMatching(/^hosts EZproxy lets redirects reach unproxied.*\(applies from this line on\)$/),
      'unknown directive "Frob" before the first Title belongs to no database stanza',
    ]);
  });

  it('a stanza without a URL makes no draft and says so (no upstream to forward to)', () => {
    const result = importText('Title Lonely\nD lonely.example\n');
    expect(result.stanzas[0]?.id).toBeUndefined();
  });

  it('a Replace with no Find is an error, like a Find with no Replace', () => {
    const result = importEzproxy(ENTRY, readerOf({ [ENTRY]: 'Title A\nURL https://a.example\nReplace x\n' }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatch(/config\.txt:3: Replace has no Find before it/);
  });
});

/** A small seeded generator (mulberry32): the same thousand stanzas every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('importEzproxy on a generated file of a thousand stanzas', () => {
  it('accounts for every directive line exactly once (carried or listed with a reason), and every draft fits the schema', () => {
    const random = seeded(13);
    const pick = <T>(items: ReadonlyArray<T>): T => items[Math.floor(random() * items.length)] as T;
    const label = (): string => `v${Math.floor(random() * 100_000)}`;
    const makers: Array<() => string[]> = [
      () => [`${pick(['H', 'Host', 'host'])} ${pick(['', 'https://'])}${label()}.example.org`],
      () => [`${pick(['HJ', 'HostJavaScript', 'hj'])} ${label()}.example.org`],
      () => [`${pick(['D', 'Domain', 'DJ', 'dj'])} ${label()}.example.org`],
      () => [`Find ${label()}`, `Replace ${label()}`],
      () => [`Find ${label()}`, `Replace ^A${label()}`],
      () => [`NeverProxy ${pick(['', '*.'])}${label()}.example.org`],
      () => [`HTTPHeader -request -process ${pick(['X-Requested-With', 'Authorization', 'userIdentifier', 'X-Csrf'])}`],
      () => [`${pick(['Option Cookie', 'Option NoCookie', 'AddUserHeader X-User', 'AddUserHeader', 'HTTPMethod PUT', 'AnonymousURL -*', 'RedirectSafe r.example.org'])}`],
      () => [`${pick(['FormVariable -expr user=session:user', 'FormVariable token', 'Identifier x', 'MimeFilter text/plain .* javascript', 'Frobnicate 1', 'Description hi'])}`],
      () => ['# a comment', ''],
      () => [`D ${pick(['com', 'google-analytics.com', 'amazonaws.com'])}`],
    ];
    const lines: string[] = ['Option MetaEZproxyRewriting'];
    for (let n = 0; n < 1000; n += 1) {
      lines.push(`${pick(['Title', 'T', 'title'])} Vendor ${n % 700} ${label()}`, `${pick(['URL', 'U'])} https://www.${label()}.example.org/${pick(['', 'login'])}`);
      const count = Math.floor(random() * 8);
      for (let k = 0; k < count; k += 1) lines.push(...pick(makers)());
    }
    const text = `${lines.join('\n')}\n`;
    const directiveLines = text.split('\n').flatMap((line, index) => (line.trim() === '' || line.trim().startsWith('#') ? [] : [index + 1]));

    const result = importText(text);
    expect(result.stanzas).toHaveLength(1000);
    const accounted = [...result.outside, ...result.stanzas.flatMap((s) => s.outcomes)];
    for (const outcome of accounted) expect(outcome.carriedInto !== undefined || (outcome.reason ?? '') !== '', `line ${outcome.line}`).toBe(true);
    expect(accounted.map((o) => o.line).sort((a, b) => a - b)).toEqual(directiveLines);
    expect(new Set(result.stanzas.map((s) => s.id)).size).toBe(1000);
    for (const stanza of result.stanzas) {
      const parsed = contractSchema.safeParse(stanza.document);
      expect(parsed.success, `${stanza.id}: ${parsed.error?.message ?? ''}`).toBe(true);
      expect(stanza.document?.identity).toEqual({ delivery: 'none' });
    }
  });
});

describe('importEzproxy: edges of each directive (each row states the behaviour and why)', () => {
  const base = 'Title Vendor\nURL https://www.vendor.example/start\n';
  const cases: Array<{ name: string; text: string; line: string; into?: string; reason?: RegExp; finding?: RegExp }> = [
    { name: 'Title -Hide keeps the name and lists the flag (the gateway lists every vendor)', text: 'Title -Hide Hidden One (updated 20250101)\nURL https://h.example\n', line: 'Title -Hide Hidden One (updated 20250101)', into: 'name (flags -Hide not carried over: the gateway lists every vendor it serves)' },
    { name: 'a second URL is listed: a contract has one upstream URL', text: `${base}URL https://other.example\n`, line: 'URL https://other.example', reason: /^a second URL in one stanza: the draft keeps the first$/ },
    { name: 'a URL that is not http(s) is listed, not guessed', text: 'Title V\nURL ftp://v.example\n', line: 'URL ftp://v.example', reason: /^"ftp:\/\/v\.example" is not an http\(s\) URL$/ },
    { name: 'a Host that is not a host name is listed', text: `${base}H not_a host!\n`, line: 'H not_a host!', reason: /^"not_a host!" is not a host name$/ },
    { name: 'a Host with a path keeps only the host', text: `${base}H cdn.vendor.example/assets\n`, line: 'H cdn.vendor.example/assets', into: 'upstream.hosts' },
    { name: 'a Domain that is not a domain (one label) is listed', text: `${base}D localhost\n`, line: 'D localhost', reason: /^"localhost" is not a domain such as vendor\.com$/ },
    { name: 'a tracker Domain is left out and named as a tracker', text: `${base}D doubleclick.net\n`, line: 'D doubleclick.net', reason: /^a tracking service: list the vendor's own hosts/, finding: /every host under doubleclick\.net, the tracking service doubleclick\.net/ },
    { name: 'a Domain on a multi-service company (google.com) is left out: it covers mail and accounts too', text: `${base}D google.com\n`, line: 'D google.com', reason: /^too broad/, finding: /covers many unrelated services/ },
    { name: 'a subdomain of a multi-service company (books.google.com) is one service: carried', text: `${base}D books.google.com\n`, line: 'D books.google.com', into: 'browse.domains' },
    { name: 'HTTPHeader -response is listed: response pass-through is added by hand', text: `${base}HTTPHeader -response X-Total\n`, line: 'HTTPHeader -response X-Total', reason: /^response-side or block rules are not drafted/ },
    { name: 'HTTPHeader -block is listed too', text: `${base}HTTPHeader -request -block X-Foo\n`, line: 'HTTPHeader -request -block X-Foo', reason: /^response-side or block rules/ },
    { name: 'a session-looking pass-through header is carried but flagged', text: `${base}HTTPHeader -request -process X-Session-Token\n`, line: 'HTTPHeader -request -process X-Session-Token', into: 'request.headers', finding: /X-Session-Token header\(s\) through to the vendor \(the name suggests it can identify the patron or their session\)/ },
    { name: 'NeverProxy with a scheme keeps its host', text: `${base}NeverProxy https://help.vendor.example\n`, line: 'NeverProxy https://help.vendor.example', into: 'browse.neverProxy' },
    { name: 'Option X-Forwarded-For in effect is reported: it sends the patron\'s IP', text: `Option X-Forwarded-For\n${base}`, line: 'Option X-Forwarded-For', reason: /no contract equivalent/, finding: /IP address/ },
    { name: 'AddUserHeader -base64 is reported with the header name and that base64 hides nothing', text: `AddUserHeader -base64 X-U\n${base}`, line: 'AddUserHeader -base64 X-U', reason: /^pushes patron identity/, finding: /username \(base64-encoded, which hides nothing\) to the vendor in the "X-U" header/ },
    { name: 'a known directive with no equivalent (Description) is listed by name', text: `${base}Description hello\n`, line: 'Description hello', reason: /^Description has no contract equivalent$/ },
    { name: 'ProxyHostnameEdit is listed: the gateway names origins itself', text: `${base}ProxyHostnameEdit a$ b\n`, line: 'ProxyHostnameEdit a$ b', reason: /^the gateway names proxied origins itself/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const stanza = only(c.text);
      const outcome = outcomeOf(stanza, c.line);
      expect(outcome, `no outcome for ${c.line}`).toBeDefined();
      if (c.into !== undefined) expect(outcome?.carriedInto).toBe(c.into);
      if (c.reason) expect(outcome?.reason).toMatch(c.reason);
      if (c.finding) expect(stanza.findings.map((f) => f.explanation).join('\n')).toMatch(c.finding);
      else expect(stanza.findings.filter((f) => f.kind !== 'placeholder' && f.text === c.line)).toEqual([]);
      if (c.line.startsWith('URL ftp')) expect(stanza.document).toBeUndefined();
      else expect(contractSchema.safeParse(stanza.document).success).toBe(true);
    });
  }

  it('ids are kebab-case of the title without OCLC\'s "(updated ...)" suffix', () => {
    const result = importText('Title  Gale -- Products! (updated 20260610)\nURL https://g.example\nTitle ***\nURL https://s.example\n');
    expect(result.stanzas.map((s) => [s.id, s.title])).toEqual([['gale-products', 'Gale -- Products!'], ['vendor', '***']]);
  });
});
