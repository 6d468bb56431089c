import { readdirSync, readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { SAXParser, type StartTag as OracleStartTag } from 'parse5-sax-parser';
import { describe, expect, it } from 'vitest';
import { commentData, createHtmlTokenizer, type StartTag } from '../../../../../src/channels/browse/rewrite/html-tokenizer.ts';
import { buildVendorPage } from '../../../../bench/rewrite-pages.ts';

/**
 * Differential test: our tokenizer against parse5's SAXParser (the oracle: parse5's tokenizer with
 * its ParserFeedbackSimulator, which browse mode used before). For every document, fed to ours in
 * random chunk sizes, the sequence of start tags (name, attributes, self-closing), end tags,
 * comments, doctypes and text must equal parse5's, each token with the same source span; and the
 * raw source of all our tokens, concatenated, must be the input byte for byte.
 *
 * Names are compared ASCII-lower-cased: parse5's tree feedback restores SVG's camelCase names
 * (foreignObject, viewBox) and splits xlink:href into prefix and name, which ours leaves as the
 * tokenizer lower-cased them.
 */
type Event = readonly [kind: string, raw: string, detail?: unknown];

const lowerAscii = (name: string) => name.replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * parse5's SAXParser fed synchronously, keeping the newline after <pre>, <textarea> and <listing>
 * as its RewritingStream does (the tree builder drops it from the text, not from the source).
 */
class SyncSaxParser extends SAXParser {
  override emitIfListenerExists(eventName: string, token: object): boolean {
    const emitted = super.emitIfListenerExists(eventName, token as never);
    (this as unknown as { parserFeedbackSimulator: { skipNextNewLine: boolean } }).parserFeedbackSimulator.skipNextNewLine = false;
    return emitted;
  }
  parseAll(html: string): void {
    (this as unknown as { lastChunkWritten: boolean }).lastChunkWritten = true;
    this._transformChunk(html);
  }
}

/** Merges consecutive text events (the two tokenizers cut text at different places). */
function mergeText(events: ReadonlyArray<Event>): Event[] {
  const merged: Event[] = [];
  for (const event of events) {
    const previous = merged.at(-1);
    if (event[0] === 'text' && previous?.[0] === 'text') merged[merged.length - 1] = ['text', previous[1] + event[1]];
    else merged.push(event);
  }
  return merged;
}

function oracleEvents(html: string): Event[] {
  const events: Event[] = [];
  const parser = new SyncSaxParser({ sourceCodeLocationInfo: true });
  const rawOf = (location: { startOffset: number; endOffset: number } | null | undefined) => html.slice(location!.startOffset, location!.endOffset);
  parser.on('startTag', (tag: OracleStartTag) => {
    const attrs = tag.attrs.map((attr) => [lowerAscii(attr.prefix ? `${attr.prefix}:${attr.name}` : attr.name), attr.value]);
    events.push(['startTag', rawOf(tag.sourceCodeLocation), { name: lowerAscii(tag.tagName), attrs, selfClosing: tag.selfClosing }]);
  });
  parser.on('endTag', (tag) => events.push(['endTag', rawOf(tag.sourceCodeLocation), lowerAscii(tag.tagName)]));
  parser.on('comment', (comment) => events.push(['comment', rawOf(comment.sourceCodeLocation), comment.text]));
  parser.on('doctype', (doctype) => events.push(['doctype', rawOf(doctype.sourceCodeLocation)]));
  parser.on('text', (text) => events.push(['text', rawOf(text.sourceCodeLocation)]));
  parser.parseAll(html);
  return mergeText(events);
}

function ourEvents(chunks: ReadonlyArray<string>): { events: Event[]; raw: string } {
  const events: Event[] = [];
  const raw: string[] = [];
  const tokenizer = createHtmlTokenizer({
    startTag(tag, source) {
      raw.push(source);
      const attrs = tag.attrs.map((attr) => [attr.name, attr.value]);
      events.push(['startTag', source, { name: tag.name, attrs, selfClosing: tag.selfClosing }]);
    },
    endTag(name, source) {
      raw.push(source);
      events.push(['endTag', source, name]);
    },
    text(source) {
      raw.push(source);
      events.push(['text', source]);
    },
    comment(source, start, end) {
      raw.push(source);
      events.push(['comment', source, commentData(source, start, end)]);
    },
    doctype(source) {
      raw.push(source);
      events.push(['doctype', source]);
    },
    dropped(source) {
      raw.push(source);
    },
  });
  for (const chunk of chunks) tokenizer.write(chunk);
  tokenizer.end();
  return { events: mergeText(events), raw: raw.join('') };
}

function cut(html: string, sizes: ReadonlyArray<number>): string[] {
  const chunks: string[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= html.length) break;
    chunks.push(html.slice(at, at + size));
    at += size;
  }
  if (at < html.length) chunks.push(html.slice(at));
  return chunks;
}

/**
 * parse5 emits the text of a CDATA section without its `<![CDATA[` and `]]>` (they are in no token's
 * span), while ours gives the section as one text token with them; the oracle's text is compared
 * with the markers taken out of ours.
 */
function withoutCdataMarkers(events: ReadonlyArray<Event>): Event[] {
  return mergeText(events.map((event) => (event[0] === 'text' ? (['text', event[1].replace(/<!\[CDATA\[|\]\]>/g, '')] as const) : event)).filter((event) => event[0] !== 'text' || event[1] !== ''));
}

/**
 * parse5 ends a text token's span where the next token starts, so a `</>` (no token) after text is
 * inside the oracle's text span; it is taken out of the text on both sides.
 */
function withoutEmptyEndTags(events: ReadonlyArray<Event>): Event[] {
  return mergeText(events.map((event) => (event[0] === 'text' ? (['text', event[1].replaceAll('</>', '')] as const) : event)).filter((event) => event[0] !== 'text' || event[1] !== ''));
}

function expectSameTokens(html: string, sizes: ReadonlyArray<number>): void {
  const ours = ourEvents(cut(html, sizes));
  expect(ours.raw).toBe(html);
  let oracle = oracleEvents(html);
  let events = ours.events;
  if (html.includes('<![CDATA[')) {
    oracle = withoutCdataMarkers(oracle);
    events = withoutCdataMarkers(events);
  }
  if (html.includes('</>')) {
    oracle = withoutEmptyEndTags(oracle);
    events = withoutEmptyEndTags(events);
  }
  expect(events).toEqual(oracle);
}

const fixtures = new URL('../../../../fixtures/rewrite/', import.meta.url);
const goldenPages = readdirSync(fixtures)
  .filter((name) => name.endsWith('.html') && !name.endsWith('.expected.html'))
  .map((name) => [name, readFileSync(new URL(name, fixtures), 'utf8')] as const);

describe('HTML tokenizer: the same tokens as parse5 (the oracle), every byte in exactly one token', () => {
  it.each(goldenPages)('golden page %s, whole and one character at a time', (_name, html) => {
    expectSameTokens(html, []);
    expectSameTokens(html, Array.from({ length: html.length }, () => 1));
  });

  it('the 100 KB bench page, in 16 KB chunks and in 7-character chunks', () => {
    const html = buildVendorPage(100 * 1024);
    expectSameTokens(html, Array.from({ length: Math.ceil(html.length / 16384) }, () => 16384));
    expectSameTokens(html, Array.from({ length: Math.ceil(html.length / 7) }, () => 7));
  });

  it('tokens far larger than a chunk (held back and tried again as they grow) come out whole and the same', () => {
    const big = 'x'.repeat(40_000);
    const html = `<p>a<img src="data:${big}>" alt=1><!--${big}--!>${big}<![CDATA[${big}]]><script>${big}<!--<script ${big}</script>-->x</script><b title='${big}'>z`;
    for (const size of [100, 4096, 20_000]) expectSameTokens(html, Array.from({ length: Math.ceil(html.length / size) }, () => size));
  });

  const cases: ReadonlyArray<[why: string, html: string]> = [
    ['script escapes: <!-- then <script> double-escapes, so </script> inside does not end the script', '<script><!--<script>x</script>y--></script><p>after</p>'],
    ['script: a lone <!-- without <script> is escaped; --> leaves the escape', '<script>a<!--b-->c</script>d'],
    ['script: </script> inside an escape still ends the script', '<script><!--a</script>b'],
    ['script: <script with no terminator after <!-- stays escaped', '<script><!--<scripts></script>x'],
    ['rawtext elements hold tags as text', '<style><b>x</b></style><xmp><i></xmp><iframe><a href=x></iframe><noembed><p></noembed><noframes><p></noframes><noscript><img src=x></noscript>'],
    ['rcdata: title and textarea end only at their own end tag', '<title><b></tit</title ><textarea><x></textareax></textarea/>'],
    ['plaintext never ends', '<plaintext><b></plaintext><a href=x>'],
    ['svg: CDATA recognised, self-closing script is not raw text', '<svg><![CDATA[<a>]]><script/><a href=x></a></svg><p>'],
    ['foreignObject is an HTML integration point: style inside is rawtext', '<svg><foreignObject><style><b></style></foreignObject><style><b></b></style></svg>'],
    ['breakout: <p> leaves svg (a <style> after it is raw text again)', '<svg><p><style><x></style>'],
    [
      'breakout: font only with color, face or size (any other attribute, or none, stays in svg)',
      '<svg><font><style><x></style></svg><svg><font class=1><style><x></style></svg><svg><font color=1><style><x></style><svg><font size=1><style><x></style><svg><font face=1><style><x></style>',
    ],
    ['color, face and size break out only on font: another tag with them stays in svg', '<svg><rect color=red size=1 face=x><style><x></style>'],
    ['</svg> leaves only an svg namespace: inside math it is ignored, so <mi> is still MathML', '<svg><math></svg><mi><style><x></style>'],
    ['</math> leaves only a math namespace', '<math><svg></math><desc><style><x></style>'],
    ...['mi', 'mo', 'mn', 'ms', 'mtext'].map((name): [string, string] => [`math: <${name}> is a text integration point`, `<math><${name}><style><x></style></${name}><style><x></style>`]),
    ['math: <mglyph> is not an integration point', '<math><mglyph><style><x></style>'],
    ...(
      'b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img li listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul var'.split(' ')
    ).map((name): [string, string] => [`breakout: <${name}> leaves svg and math (a <style> after it is raw text)`, `<svg><${name}><style><x></style><math><${name.toUpperCase()}><style><y></style>`]),
    ['not a breakout: <a>, <article>, <section> stay in svg', '<svg><a><article><section><style><x></style>'],
    ...['text/html', 'Application/XHTML+XML'].map((encoding): [string, string] => [
      `math: annotation-xml with encoding ${encoding} is an HTML integration point`,
      `<math><annotation-xml x=1 encoding="${encoding}"><style><x></style></annotation-xml><style><x></style>`,
    ]),
    ['math: annotation-xml with another encoding, or none, is not', '<math><annotation-xml encoding=image/svg+xml><style><x></style></style></annotation-xml><annotation-xml><style><y></style>'],
    ['svg: foreignObject, desc and title are integration points; math\'s are not svg\'s', '<svg><desc><style><x></style></desc><title><style><x></style></title><mi><style><x></style></svg>'],
    ['math: mi and annotation-xml with an HTML encoding are integration points', '<math><mi><style><x></style></mi><annotation-xml encoding="TEXT/HTML"><title><b></title></annotation-xml></math>'],
    ['CDATA outside foreign content is a bogus comment', '<![CDATA[x]]><p>'],
    ['attributes: unquoted, = first, duplicates, references, no whitespace between', '<a href=x=y =z a="1"b=\'2\' A=3 c=&amp;&lt &notit; d="&#x41;&#0;&copy" e=&ampx f>'],
    ['attributes: ", \' and < in names, / between, missing value', '<a x"y=1 z\'=2 <w=3 / / v= >'],
    ['comments: <!-->, <!--->, --!>, ---->', '<!--><!---><!--a--!><!--b----><!--c--!x--><!----!>'],
    ['bogus comments and </>', '<?xml x?><!x><!-><!doctypex><!DOCTYPE html></><//x></ x>'],
    ['CR LF and NUL', 'a\r\nb\r<a\r\nhref="\r\nx\0"\0b>\0<!--\r\n\0-->'],
    ['EOF inside an attribute value drops the tag', '<p>x<a href="y'],
    ['EOF inside a comment emits it', '<!--a--'],
    ['EOF after </ is text', 'a</'],
    ['image is img in HTML', '<image src=x><svg><image href=y></svg>'],
  ];
  it.each(cases)('%s', (_why, html) => {
    expectSameTokens(html, []);
    expectSameTokens(html, Array.from({ length: html.length }, () => 1));
    expectSameTokens(html, Array.from({ length: html.length }, (_, i) => (i % 3) + 1));
  });

  const fragments = [
    '<script>',
    '</script>',
    '<script type=module>',
    '<!--<script>',
    '<!--',
    '-->',
    '--!>',
    '<!-->',
    '<!--->',
    '<style>',
    '</style>',
    '<textarea>',
    '</textarea>',
    '<title>',
    '</title>',
    '<plaintext>',
    '<noscript>',
    '</noscript>',
    '<xmp>',
    '</xmp>',
    '<iframe srcdoc="<p>">',
    '</iframe>',
    '<svg>',
    '</svg>',
    '<svg/>',
    '<math>',
    '</math>',
    '<mi>',
    '</mi>',
    '<annotation-xml encoding=text/html>',
    '</annotation-xml>',
    '<![CDATA[',
    ']]>',
    '<foreignObject>',
    '<mo>',
    '</mo>',
    '<mtext>',
    '<font size=1>',
    '<font class=1>',
    '<annotation-xml encoding=application/xhtml+xml>',
    '<annotation-xml x=1 encoding=svg>',
    '<annotation-xml>',
    '</foreignObject>',
    '<desc>',
    '<p>',
    '</p>',
    '<font face=x>',
    '<svg><script/>',
    '<a href=x>',
    '<a href="x" href=y>',
    '<img src=a=b>',
    '<img =x src=&amp;y>',
    '<a title="&lt;&#60;&notin;&nota">',
    "<a b='1'c=\"2\"d=3/>",
    '<a/b>',
    '<br/>',
    '</>',
    '<?x>',
    '<!x>',
    '<!DOCTYPE html>',
    '<!doctype',
    '</ p>',
    '</3>',
    '<3',
    '\0',
    '\r\n',
    '\r',
    '<',
    '>',
    '/',
    '-',
    '"',
    "'",
    '=',
    '&',
    ' ',
    'x',
    'SCRIPT',
    '<image src=x>',
    '<A HREF=x>',
    '</SCRIPT\t>',
    '<Title>',
    '</TITLE\f>',
    '<a\fb=1\tc=2>',
    '\t',
    '\f',
  ];
  const fragment = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...fragments) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('<', '>', '/', '!', '-', '=', '"', "'", ' ', '\t', '\f', 'a', 'S', 'T', '\0', '\r', '\n', '&', ';', '[', ']', '?'), maxLength: 6 }) },
  );
  test.prop([fc.array(fragment, { maxLength: 40 }), fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 60 })], { seed: 1313, numRuns: 5000 })(
    'generated documents of nasty fragments, in random chunks',
    (parts, sizes) => {
      expectSameTokens(parts.join(''), sizes);
    },
  );
});

describe('HTML tokenizer: what the rewriter reads from a start tag', () => {
  function firstStartTag(html: string) {
    let found: { tag: StartTag; raw: string } | undefined;
    const ignore = () => undefined;
    const tokenizer = createHtmlTokenizer({ startTag: (tag, raw) => (found ??= { tag, raw }), endTag: ignore, text: ignore, comment: ignore, doctype: ignore, dropped: ignore });
    tokenizer.write(html);
    tokenizer.end();
    return found!;
  }

  it.each([
    ['no duplicate: not flagged', '<a href=x title=y>', false, ['href', 'title']],
    ['a repeated name (any case) is flagged, the first kept, the later only in the raw', '<a href=x HREF=y title=z>', true, ['href', 'title']],
  ])('%s', (_why, html, flagged, names) => {
    const { tag, raw } = firstStartTag(html);
    expect(raw).toBe(html);
    expect(tag.hasDuplicateAttributes).toBe(flagged);
    expect(tag.attrs.map((attr) => attr.name)).toEqual(names);
  });

  it.each([
    ['double-quoted', '<a  href = "/x?a=1&amp;b" >', 'href = "/x?a=1&amp;b"', '/x?a=1&b'],
    ['single-quoted', "<a href='/y'>", "href='/y'", '/y'],
    ['unquoted, up to the >', '<a href=/z>', 'href=/z', '/z'],
    ['no value', '<a href>', 'href', ''],
    ['= then >', '<a href=>', 'href=', ''],
  ])('an attribute span covers name to value end (%s)', (_why, html, span, value) => {
    const { tag, raw } = firstStartTag(html);
    const attr = tag.attrs[0]!;
    expect(raw.slice(attr.start, attr.end)).toBe(span);
    expect(attr.value).toBe(value);
  });
});
