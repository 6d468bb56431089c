import { RewritingStream } from 'parse5-html-rewriting-stream';
import type { StartTag, Text, EndTag } from 'parse5-sax-parser';
import { rewriteCssText } from './css-rewriter.ts';
import { rewriteRefreshValue } from './refresh-value.ts';
import type { UrlKind } from './rewrite-options.ts';
import { rewriteSrcset } from './srcset.ts';
import type { TextStage } from './text-stage.ts';
import type { UrlMapper } from './url-mapper.ts';

/**
 * HTML through parse5's spec-following tokenizer (with the tree builder's feedback, so script, style,
 * textarea, CDATA and foreign content tokenize as a browser does). Every token that is not changed is
 * written back from its raw source; in a changed tag only the changed attributes are spliced, so
 * what a parser sees differs only in URLs. What changes:
 *
 * | where | how |
 * |---|---|
 * | href, xlink:href (navigate on a/area, load elsewhere), src, poster, object data, background, manifest, icon | the mapper (url-mapper.ts) |
 * | action, formaction, cite | the mapper, as navigations |
 * | srcset, imagesrcset | every candidate (srcset.ts) |
 * | style attributes, `<style>` text | CSS url() and @import (css-rewriter.ts) |
 * | `<base href>` | honoured for resolving what follows, then mapped |
 * | `<meta http-equiv=refresh>` | its URL (refresh-value.ts) |
 * | `<iframe srcdoc>` | rewritten as a document of its own |
 * | integrity | removed from an element whose URL changed (the bytes may differ) |
 * | ping | removed (a tracking beacon by design) |
 * | `<meta http-equiv=content-security-policy>`, `<meta name=referrer>` | removed (the gateway's headers govern) |
 * | `<script>` text (JavaScript, JSON, modules, import maps) | only the script-host substitution, if the contract has script hosts |
 *
 * Comments, doctype, text and everything else stream through byte for byte; URLs inside comments
 * (conditional comments included) are not rewritten. The first <base href> counts (as in browsers);
 * URLs before it resolve against the document URL.
 */
export function createHtmlStage(mapper: UrlMapper, createScriptStage: () => TextStage | undefined, createCssStage: () => TextStage): TextStage {
  const out: string[] = [];
  const stream = new CollectingRewritingStream(out);
  let rawText: { tag: string; stage: TextStage | undefined } | undefined;

  stream.on('startTag', (token: StartTag, raw: string) => {
    if (token.attrs.length > 0) raw = rewriteTag(token, raw, mapper, createScriptStage, createCssStage);
    if (raw === '') return;
    out.push(raw);
    if (token.selfClosing) return;
    if (token.tagName === 'style') rawText = { tag: 'style', stage: createCssStage() };
    else if (token.tagName === 'script') rawText = { tag: 'script', stage: isScriptText(token) ? createScriptStage() : undefined };
    // Text is only listened to inside a <style> or <script> being rewritten; elsewhere parse5 writes it from the source itself.
    if (rawText?.stage !== undefined && stream.listenerCount('text') === 0) stream.on('text', onRawText);
  });
  function onRawText(_token: Text, raw: string): void {
    out.push(rawText?.stage === undefined ? raw : rawText.stage.push(raw));
  }
  stream.on('endTag', (token: EndTag, raw: string) => {
    if (rawText !== undefined && token.tagName === rawText.tag) {
      if (rawText.stage !== undefined) out.push(rawText.stage.end());
      rawText = undefined;
      stream.off('text', onRawText);
    }
    out.push(raw);
  });

  function drain(): string {
    const text = out.join('');
    out.length = 0;
    return text;
  }
  return {
    push(text) {
      stream.feed(text, false);
      return drain();
    },
    end() {
      stream.feed('', true);
      if (rawText?.stage !== undefined) out.push(rawText.stage.end());
      rawText = undefined;
      return drain();
    },
  };
}

/** parse5's rewriting stream driven synchronously: what it emits is collected instead of queued. */
class CollectingRewritingStream extends RewritingStream {
  readonly #out: string[];
  constructor(out: string[]) {
    super();
    this.#out = out;
  }
  override push(chunk: unknown): boolean {
    if (typeof chunk === 'string') this.#out.push(chunk);
    return true;
  }
  feed(text: string, last: boolean): void {
    (this as unknown as { lastChunkWritten: boolean }).lastChunkWritten = last;
    this._transformChunk(text);
  }
}

/** Attribute name -> how its URL is used; a/area links navigate. */
const URL_ATTRIBUTES: ReadonlyMap<string, (tag: string) => UrlKind | undefined> = new Map<string, (tag: string) => UrlKind | undefined>([
  ['href', (tag) => (tag === 'a' || tag === 'area' ? 'navigate' : 'load')],
  ['xlink:href', (tag) => (tag === 'a' ? 'navigate' : 'load')],
  ['src', () => 'load'],
  ['poster', () => 'load'],
  ['background', () => 'load'],
  ['manifest', () => 'load'],
  ['icon', () => 'load'],
  ['data', (tag) => (tag === 'object' ? 'load' : undefined)],
  ['action', () => 'navigate'],
  ['formaction', () => 'navigate'],
  ['cite', () => 'navigate'],
]);
const SPECIAL_ATTRIBUTES = new Set(['srcset', 'imagesrcset', 'style', 'ping', 'srcdoc']);

interface Edit {
  readonly name: string;
  /** The new value, or null to remove the attribute. */
  readonly value: string | null;
}

function rewriteTag(token: StartTag, raw: string, mapper: UrlMapper, createScriptStage: () => TextStage | undefined, createCssStage: () => TextStage): string {
  const tag = token.tagName;
  const edits: Edit[] = [];
  let urlChanged = false;
  for (const attr of token.attrs) {
    const name = attr.prefix === undefined ? attr.name : `${attr.prefix}:${attr.name}`;
    const value = attr.value;
    const kindOf = URL_ATTRIBUTES.get(name);
    if (kindOf !== undefined) {
      const kind = kindOf(tag);
      if (kind === undefined) continue;
      const mapped = tag === 'base' && name === 'href' ? mapper.setBase(value) : mapper.map(value, kind);
      if (mapped !== undefined) {
        edits.push({ name, value: mapped });
        urlChanged = true;
      }
      continue;
    }
    if (!SPECIAL_ATTRIBUTES.has(name)) continue;
    if (name === 'srcset' || name === 'imagesrcset') {
      const rewritten = rewriteSrcset(value, mapper);
      if (rewritten !== undefined) {
        edits.push({ name, value: rewritten });
        urlChanged = true;
      }
    } else if (name === 'style') {
      const rewritten = rewriteCssText(value, mapper);
      if (rewritten !== value) edits.push({ name, value: rewritten });
    } else if (name === 'ping') {
      edits.push({ name, value: null });
    } else if (name === 'srcdoc' && tag === 'iframe') {
      const inner = createHtmlStage(mapper, createScriptStage, createCssStage);
      const rewritten = inner.push(value) + inner.end();
      if (rewritten !== value) edits.push({ name, value: rewritten });
    }
  }
  if (tag === 'meta') {
    const httpEquiv = attributeOf(token, 'http-equiv')?.trim().toLowerCase();
    if (httpEquiv === 'content-security-policy' || httpEquiv === 'content-security-policy-report-only') return '';
    if (attributeOf(token, 'name')?.trim().toLowerCase() === 'referrer') return '';
    const content = attributeOf(token, 'content');
    if (httpEquiv === 'refresh' && content !== undefined) {
      const rewritten = rewriteRefreshValue(content, mapper);
      if (rewritten !== undefined) edits.push({ name: 'content', value: rewritten });
    }
  }
  if (urlChanged && attributeOf(token, 'integrity') !== undefined) edits.push({ name: 'integrity', value: null });
  return edits.length === 0 ? raw : spliceAttributes(token, raw, edits);
}

function attributeOf(token: StartTag, name: string): string | undefined {
  for (const attr of token.attrs) if (attr.name === name) return attr.value;
  return undefined;
}

/**
 * Writes a changed tag: its name as written, then each attribute the tokenizer kept, in order, from
 * its source text (name, `=`, value, quotes) unless edited, then `>` or `/>`. Duplicate attributes,
 * which the browser ignores, are left out: otherwise removing or rewriting the first would let the
 * second take its place.
 */
function spliceAttributes(token: StartTag, raw: string, edits: ReadonlyArray<Edit>): string {
  const location = token.sourceCodeLocation as unknown as TagLocation;
  const byName = new Map(edits.map((edit) => [edit.name, edit.value]));
  const names = token.attrs.map((attr) => (attr.prefix === undefined ? attr.name : `${attr.prefix}:${attr.name}`));
  const spanOf = (name: string) => location.attrs[name]!;
  let result = raw.slice(0, spanOf(names[0]!).startOffset - location.startOffset).trimEnd();
  for (const name of names) {
    const edited = byName.get(name);
    if (edited === null) continue;
    const span = spanOf(name);
    result += ` ${edited === undefined ? raw.slice(span.startOffset - location.startOffset, span.endOffset - location.startOffset) : `${name}="${escapeAttribute(edited)}"`}`;
  }
  return result + (token.selfClosing ? '/>' : '>');
}

/** parse5 records where each attribute is in the source when locations are on (the rewriting stream always turns them on). */
interface TagLocation {
  readonly startOffset: number;
  readonly attrs: Readonly<Record<string, { readonly startOffset: number; readonly endOffset: number }>>;
}

function escapeAttribute(value: string): string {
  if (!value.includes('&') && !value.includes('"')) return value;
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}

const SCRIPT_TYPES = /^(|module|importmap|speculationrules|(text|application)\/(x-)?(javascript|ecmascript|json|[a-z0-9.+-]*\+json)|text\/(j|live)script|text\/jscript)$/;

/** Whether a <script>'s text is JavaScript or JSON (the only text the script-host substitution touches). */
function isScriptText(token: StartTag): boolean {
  const type = attributeOf(token, 'type')?.trim().toLowerCase().split(';')[0]?.trim() ?? '';
  return SCRIPT_TYPES.test(type);
}
