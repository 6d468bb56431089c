import { describe, expect, it } from 'vitest';
import { contractSchema } from '../../../../src/contracts/contract-schema.ts';
import { draftContract, positionalFindings } from '../../../../src/contracts/ezproxy/draft-contract.ts';
import { groupStanzas } from '../../../../src/contracts/ezproxy/group-stanzas.ts';
import { tokenizeConfig } from '../../../../src/contracts/ezproxy/tokenize-config.ts';

const FILE = '/cfg/a.txt';
const BASE = 'Title Vendor\nURL https://www.vendor.example/start\n';
const NEVER_FORWARDED = 'the gateway never forwards it (it can carry identity, address or session)';

/** The one stanza of a config, drafted. */
function drafted(text: string) {
  const { stanzas } = groupStanzas(tokenizeConfig(text, FILE));
  expect(stanzas).toHaveLength(1);
  return draftContract(stanzas[0] as (typeof stanzas)[number]);
}

interface Case {
  name: string;
  text: string;
  /** Per line text: where it was carried (`into`) or why not (`reason`), exactly. */
  outcomes?: Record<string, { into: string } | { reason: string }>;
  /** Every finding of the stanza, exactly, in order: [kind, line text, explanation]. */
  findings?: Array<[string, string, string]>;
  document?: Record<string, unknown> | undefined;
  problems?: string[];
}

function check(c: Case): void {
  const result = drafted(c.text);
  for (const [text, expected] of Object.entries(c.outcomes ?? {})) {
    const outcome = result.outcomes.find((o) => o.text === text);
    expect(outcome, `no outcome for ${text}`).toBeDefined();
    if ('into' in expected) expect({ into: outcome?.carriedInto, reason: outcome?.reason }).toEqual({ into: expected.into, reason: undefined });
    else expect({ into: outcome?.carriedInto, reason: outcome?.reason }).toEqual({ into: undefined, reason: expected.reason });
  }
  expect(result.findings.map((f) => [f.kind, f.text, f.explanation])).toEqual(c.findings ?? []);
  expect(result.problems).toEqual(c.problems ?? []);
  if ('document' in c && c.document === undefined) expect(result.document).toBeUndefined();
  else {
    if (c.document) expect(result.document).toMatchObject(c.document);
    expect(contractSchema.safeParse(result.document).success).toBe(true);
  }
  // Nothing silently dropped: every line of the stanza has exactly one outcome with somewhere to go or a reason.
  expect(result.outcomes.map((o) => o.line).sort((a, b) => a - b)).toEqual(tokenizeConfig(c.text, FILE).map((l) => l.line));
  for (const o of result.outcomes) expect(o.carriedInto !== undefined ? o.carriedInto : o.reason, `line ${o.line}`).not.toBe('');
}

describe('draftContract: titles and ids (the id is the file name a library reviews)', () => {
  const cases: Case[] = [
    { name: 'runs of spaces in a title are one space in the name and one hyphen in the id', text: 'Title  Gale   Databases\nURL https://g.example\n', outcomes: { 'Title  Gale   Databases': { into: 'name' } }, document: { name: 'Gale Databases', id: 'gale-databases', purpose: 'Use Gale Databases through the library' } },
    { name: 'every leading flag is listed (the gateway lists every vendor), the rest is the name', text: 'Title -Hide -Other Two Flags\nURL https://t.example\n', outcomes: { 'Title -Hide -Other Two Flags': { into: 'name (flags -Hide -Other not carried over: the gateway lists every vendor it serves)' } }, document: { name: 'Two Flags', id: 'two-flags' } },
    { name: 'a title that is one dash word is the name, not a flag: a stanza is never left nameless', text: 'Title -Hide\nURL https://h.example\n', outcomes: { 'Title -Hide': { into: 'name' } }, document: { name: '-Hide', id: 'hide' } },
    { name: 'OCLC\'s "(updated ...)" is removed even with no space before it', text: 'Title Gale Books(updated 20250101)\nURL https://g.example\n', document: { name: 'Gale Books', id: 'gale-books' } },
    { name: 'an "(updated ...)" inside a title is part of the title: only OCLC\'s trailing note is removed', text: 'Title Gale (updated 20250101) Archive\nURL https://g.example\n', document: { name: 'Gale (updated 20250101) Archive' } },
    { name: 'accented letters keep the name and lose only their accents in the id (not a hyphen in the middle of a word)', text: 'Title Académie Française\nURL https://a.example\n', document: { name: 'Académie Française', id: 'academie-francaise' } },
    { name: 'a long title\'s id is cut at 60 characters, and never ends in a hyphen', text: `Title ${'a'.repeat(59)} ${'b'.repeat(10)}\nURL https://l.example\n`, document: { id: 'a'.repeat(59) } },
  ];
  for (const c of cases) it(c.name, () => check(c));
});

describe('draftContract: URL (the draft\'s upstream)', () => {
  const cases: Case[] = [
    { name: 'every flag before the URL is listed as not carried, the URL is', text: 'Title F\nURL -Form=post -Refresh https://f.example/\n', outcomes: { 'URL -Form=post -Refresh https://f.example/': { into: 'upstream.url (not carried over: -Form=post -Refresh: the gateway never submits login forms or refreshes on the patron\'s behalf)' } }, document: { upstream: { url: 'https://f.example/', hosts: ['f.example'] } } },
    { name: 'a flag written after the URL (two spaces apart) is still a flag, not the URL', text: 'Title F\nURL https://f.example/  -Refresh\n', outcomes: { 'URL https://f.example/  -Refresh': { into: 'upstream.url (not carried over: -Refresh: the gateway never submits login forms or refreshes on the patron\'s behalf)' } }, document: { upstream: { url: 'https://f.example/' } } },
    { name: 'a URL line with only flags names no URL, says so, and makes no draft', text: 'Title F\nURL -Refresh\n', outcomes: { 'URL -Refresh': { reason: 'names no URL (only flags, or nothing)' } }, document: undefined },
    { name: 'an ftp URL is not http(s), even when its query mentions https://', text: 'Title F\nURL ftp://files.example/?next=https://f.example/\n', outcomes: { 'URL ftp://files.example/?next=https://f.example/': { reason: '"ftp://files.example/?next=https://f.example/" is not an http(s) URL' } }, document: undefined },
  ];
  for (const c of cases) it(c.name, () => check(c));
});

describe('draftContract: hosts and domains (what the patron\'s browser may reach through the library)', () => {
  const cases: Case[] = [
    { name: 'a Host with a path whose query holds a URL keeps the host before the path', text: `${BASE}H cdn.vendor.example/go?to=https://x.example\n`, outcomes: { 'H cdn.vendor.example/go?to=https://x.example': { into: 'upstream.hosts' } }, document: { upstream: { hosts: ['www.vendor.example', 'cdn.vendor.example'] } } },
    { name: 'a tracker Host is left out and explained: the patron\'s browsing would reach the tracker through the library', text: `${BASE}H www.google-analytics.com\n`, outcomes: { 'H www.google-analytics.com': { reason: 'www.google-analytics.com belongs to the tracking service google-analytics.com; left out so the gateway blocks it' } }, findings: [['exposure', 'H www.google-analytics.com', 'proxies www.google-analytics.com, a host of the tracking service google-analytics.com: the patron\'s browsing would reach it through the library']], document: { upstream: { hosts: ['www.vendor.example'] } } },
    { name: 'a Domain on a public suffix is left out, and the report says every customer\'s site under it would be proxied', text: `${BASE}D co.uk\n`, outcomes: { 'D co.uk': { reason: 'too broad: list the vendor\'s own hosts in upstream.hosts instead' } }, findings: [['exposure', 'D co.uk', '"co.uk" is a public suffix or shared hosting platform: every customer\'s site under it would be proxied']], document: { browse: { domains: [] } } },
    { name: 'a Domain on a multi-service company\'s own domain is left out: it covers mail and accounts too', text: `${BASE}D Microsoft.com\n`, outcomes: { 'D Microsoft.com': { reason: 'too broad: list the vendor\'s own hosts in upstream.hosts instead' } }, findings: [['exposure', 'D Microsoft.com', '"microsoft.com" covers many unrelated services (mail, accounts, search...), not just this vendor']], document: { browse: { domains: [] } } },
    { name: 'a Domain written with a leading dot is the domain', text: `${BASE}D .vendor.example\n`, outcomes: { 'D .vendor.example': { into: 'browse.domains' } }, document: { browse: { domains: ['vendor.example'] } } },
    { name: 'a Domain written as *.domain is the domain', text: `${BASE}D *.vendor.example\n`, outcomes: { 'D *.vendor.example': { into: 'browse.domains' } }, document: { browse: { domains: ['vendor.example'] } } },
    { name: 'a placeholder in a Domain is drafted as todo-... and reported, so the library fills it in', text: `${BASE}D <Institution_ID>.vendor.example\n`, findings: [['placeholder', 'D <Institution_ID>.vendor.example', 'holds a placeholder for your institution\'s value (drafted as todo-...): replace it in the draft']], document: { browse: { domains: ['todo-institution-id.vendor.example'] } } },
    { name: 'a placeholder name with spaces and dashes becomes one hyphen between words', text: `${BASE}D <Library - ID>.vendor.example\n`, findings: [['placeholder', 'D <Library - ID>.vendor.example', 'holds a placeholder for your institution\'s value (drafted as todo-...): replace it in the draft']], document: { browse: { domains: ['todo-library-id.vendor.example'] } } },
    { name: 'a NeverProxy that is not a host is listed, not guessed', text: `${BASE}NeverProxy not a host!\n`, outcomes: { 'NeverProxy not a host!': { reason: '"not a host!" is a wildcard or not a host name: a contract lists exact hosts (hosts not allowed are blocked anyway)' } }, document: { browse: { neverProxy: [] } } },
  ];
  for (const c of cases) it(c.name, () => check(c));
});

describe('draftContract: Find and Replace (exact text, or listed)', () => {
  const cases: Case[] = [
    { name: 'a plain pair carries both lines into browse.replace', text: `${BASE}Find a=1\nReplace a=2\n`, outcomes: { 'Find a=1': { into: 'browse.replace' }, 'Replace a=2': { into: 'browse.replace' } }, document: { browse: { replace: [{ find: 'a=1', replace: 'a=2' }] } } },
    { name: 'a Replace writing the username (^u) is identity, explained, and neither line is carried', text: `${BASE}Find id=\nReplace id=^u\n`, outcomes: { 'Find id=': { reason: 'part of a Find/Replace that inserts the patron\'s username' }, 'Replace id=^u': { reason: 'inserts the patron\'s username: drafts are anonymous' } }, findings: [['identity', 'Replace id=^u', 'writes the patron\'s EZproxy username into the page or its links, where the vendor reads it']], document: { browse: { replace: [] } } },
    { name: 'a Find with no text is listed with that reason (not as EZproxy tokens): there is nothing to look for', text: `${BASE}Find\nReplace x\n`, outcomes: { Find: { reason: 'a Find with no text: there is nothing to look for' }, 'Replace x': { reason: 'its Find has no text: there is nothing to replace' } }, document: { browse: { replace: [] } } },
    { name: 'a Find followed by another directive is an error naming both lines (the import stops), and the next line is still read', text: `${BASE}Find a=1\nH cdn.vendor.example\n`, outcomes: { 'Find a=1': { reason: 'Find without Replace' }, 'H cdn.vendor.example': { into: 'upstream.hosts' } }, problems: ['/cfg/a.txt:3: Find is not followed by a Replace (next is line 4: H); write the Replace line right after its Find'] },
    { name: 'a Find as the stanza\'s last line is an error too', text: `${BASE}Find a=1\n`, outcomes: { 'Find a=1': { reason: 'Find without Replace' } }, problems: ['/cfg/a.txt:3: Find is not followed by a Replace (the stanza ends); write the Replace line right after its Find'] },
    { name: 'a Replace with no Find before it is an error, and listed', text: `${BASE}Replace a=2\n`, outcomes: { 'Replace a=2': { reason: 'Replace without Find' } }, problems: ['/cfg/a.txt:3: Replace has no Find before it; write Find <text> on the line above'] },
  ];
  for (const c of cases) it(c.name, () => check(c));
});

describe('draftContract: HTTPHeader (what the patron\'s browser sends on)', () => {
  const line = 'HTTPHeader -request -process X-Requested-With X-Session-Token Authorization Cookie userName patronBarcode X/Foo X_Id';
  const cases: Case[] = [
    {
      name: 'one line naming many headers: the ordinary ones carried, each refused kind listed with its own reason, and what passes through reported',
      text: `${BASE}${line}\n`,
      outcomes: { [line]: { into: `request.headers (not carried over: Authorization, Cookie: ${NEVER_FORWARDED}; X/Foo, X_Id: not a header name a contract can list (letters, digits and hyphens); userName, patronBarcode: its name says it identifies a person)` } },
      findings: [
        ['exposure', line, 'would pass the patron\'s browser\'s userName header through to the vendor; its name says it identifies a person, so it is left out (add it to request.headers by hand only after checking what it carries)'],
        ['exposure', line, 'would pass the patron\'s browser\'s patronBarcode header through to the vendor; its name says it identifies a person, so it is left out (add it to request.headers by hand only after checking what it carries)'],
        ['exposure', line, 'passes the patron\'s browser\'s X-Requested-With, X-Session-Token header(s) through to the vendor (the name suggests it can identify the patron or their session)'],
      ],
      document: { request: { headers: ['X-Requested-With', 'X-Session-Token'] } },
    },
    { name: 'headers refused for two reasons and nothing kept: the line is listed with both reasons', text: `${BASE}HTTPHeader -request -process X-Forwarded-Host Authorization X_Id\n`, outcomes: { 'HTTPHeader -request -process X-Forwarded-Host Authorization X_Id': { reason: `X-Forwarded-Host, Authorization: ${NEVER_FORWARDED}; X_Id: not a header name a contract can list (letters, digits and hyphens)` } } },
    { name: 'runs of spaces between the words of an HTTPHeader are not read as an empty header name', text: `${BASE}HTTPHeader  -request   -process  X-A\n`, outcomes: { 'HTTPHeader  -request   -process  X-A': { into: 'request.headers' } }, findings: [['exposure', 'HTTPHeader  -request   -process  X-A', 'passes the patron\'s browser\'s X-A header(s) through to the vendor']], document: { request: { headers: ['X-A'] } } },
    { name: 'an HTTPHeader naming no header is listed with a reason, never silently', text: `${BASE}HTTPHeader\n`, outcomes: { HTTPHeader: { reason: 'names no header: there is nothing to pass through' } } },
    { name: 'a header whose name ends in -Block is a header, not the -block flag', text: `${BASE}HTTPHeader -request -process X-Block\n`, outcomes: { 'HTTPHeader -request -process X-Block': { into: 'request.headers' } }, findings: [['exposure', 'HTTPHeader -request -process X-Block', 'passes the patron\'s browser\'s X-Block header(s) through to the vendor']], document: { request: { headers: ['X-Block'] } } },
  ];
  for (const c of cases) it(c.name, () => check(c));
});

describe('draftContract: directives that push identity or have no equivalent', () => {
  const cases: Case[] = [
    { name: 'FormSelect with session:user posts the username: reported as identity, not carried', text: `${BASE}FormSelect user=session:user\n`, outcomes: { 'FormSelect user=session:user': { reason: 'the gateway never submits login forms on the patron\'s behalf' } }, findings: [['identity', 'FormSelect user=session:user', 'posts the patron\'s EZproxy username to the vendor\'s login form']] },
    { name: 'FormSubmit is part of a login form: not carried, with that reason', text: `${BASE}FormSubmit go\n`, outcomes: { 'FormSubmit go': { reason: 'the gateway never submits login forms on the patron\'s behalf' } } },
    { name: 'Identifier links a patron\'s visits: reported as identity in plain words', text: `${BASE}Identifier secret\n`, outcomes: { 'Identifier secret': { reason: 'pushes patron identity: release a pseudonym deliberately in the contract\'s fields instead' } }, findings: [['identity', 'Identifier secret', 'sends the vendor a stable identifier of the patron, so their visits can be linked']] },
    { name: 'an IncludeFile inside a stanza is listed: its lines are accounted for where they are read', text: `${BASE}IncludeFile more.txt\n`, outcomes: { 'IncludeFile more.txt': { reason: 'its lines are read in its place (each accounted for on its own) (applies from this line on)' } } },
    { name: 'an AddUserHeader in effect names its header exactly, however it is spaced', text: `AddUserHeader   -base64   X-Card\n${BASE}`, outcomes: { 'AddUserHeader   -base64   X-Card': { reason: 'pushes patron identity: the drafts are anonymous (identity: { delivery: none }); release fields deliberately in the contract instead (applies from this line on)' } }, findings: [['identity', 'AddUserHeader   -base64   X-Card', 'EZproxy sends the signed-in patron\'s username (base64-encoded, which hides nothing) to the vendor in the "X-Card" header on every request; for most libraries that username is the library card number, so the vendor learns who is reading what']] },
    { name: 'an Option in effect that pushes nothing adds no finding', text: `Option Cookie\n${BASE}`, outcomes: { 'Option Cookie': { reason: 'EZproxy option "Cookie" has no contract equivalent: the gateway keeps vendor cookies per origin and decides what it rewrites itself (applies from this line on)' } } },
  ];
  for (const c of cases) it(c.name, () => check(c));
});

describe('positionalFindings (for lines before the first stanza, too)', () => {
  const cases: Array<{ name: string; line: string; kinds: string[] }> = [
    { name: 'Option X-Forwarded-For sends the patron\'s IP address: identity', line: 'Option X-Forwarded-For', kinds: ['identity'] },
    { name: 'Option NoX-Forwarded-For turns that off: nothing to report', line: 'Option NoX-Forwarded-For', kinds: [] },
    { name: 'a bare AddUserHeader turns the header off: nothing to report', line: 'AddUserHeader', kinds: [] },
    { name: 'an AddUserHeader with a header sends the username: identity', line: 'AddUserHeader X-U', kinds: ['identity'] },
    { name: 'other positional directives push nothing', line: 'RedirectSafe r.example', kinds: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const [line] = tokenizeConfig(c.line, FILE);
      expect(positionalFindings(line as NonNullable<typeof line>).map((f) => f.kind)).toEqual(c.kinds);
    });
  }
});
