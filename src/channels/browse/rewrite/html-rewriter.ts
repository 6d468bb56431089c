import { rewriteCssText } from './css-rewriter.ts';
import { createHtmlTokenizer, type StartTag } from './html-tokenizer.ts';
import { rewriteRefreshValue } from './refresh-value.ts';
import type { UrlKind } from './rewrite-options.ts';
import { rewriteSrcset } from './srcset.ts';
import type { TextStage } from './text-stage.ts';
import type { UrlMapper } from './url-mapper.ts';

/**
 * HTML through our spec-following streaming tokenizer (html-tokenizer.ts, with the tree builder's
 * feedback as parse5 simulates it, so script, style, textarea, CDATA and foreign content tokenize as
 * a browser does; checked token for token against parse5's SAXParser). Every token that is not changed is
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
 * Comments, doctype, text and everything else stream through byte for byte (so do `</>` and a tag
 * cut off by the end of the body, which the browser drops as the tokenizer does); URLs inside comments
 * (conditional comments included) are not rewritten. The first <base href> counts (as in browsers);
 * URLs before it resolve against the document URL.
 */
export function createHtmlStage(mapper: UrlMapper, createScriptStage: () => TextStage | undefined, createCssStage: () => TextStage): TextStage {
  const out: string[] = [];
  let rawText: { tag: string; stage: TextStage | undefined } | undefined;
  const tokenizer = createHtmlTokenizer({
    startTag(tag, raw) {
      if (tag.attrs.length > 0) raw = rewriteTag(tag, raw, mapper, createScriptStage, createCssStage);
      if (raw === '') return;
      out.push(raw);
      if (tag.selfClosing) return;
      if (tag.name === 'style') rawText = { tag: 'style', stage: createCssStage() };
      else if (tag.name === 'script') rawText = { tag: 'script', stage: isScriptText(tag) ? createScriptStage() : undefined };
    },
    endTag(name, raw) {
      if (rawText !== undefined && name === rawText.tag) {
        if (rawText.stage !== undefined) out.push(rawText.stage.end());
        rawText = undefined;
      }
      out.push(raw);
    },
    text(raw) {
      out.push(rawText?.stage === undefined ? raw : rawText.stage.push(raw));
    },
    comment(raw) {
      out.push(raw);
    },
    doctype(raw) {
      out.push(raw);
    },
    dropped(raw) {
      out.push(raw);
    },
  });

  function drain(): string {
    const text = out.join('');
    out.length = 0;
    return text;
  }
  return {
    push(text) {
      tokenizer.write(text);
      return drain();
    },
    end() {
      tokenizer.end();
      if (rawText?.stage !== undefined) out.push(rawText.stage.end());
      rawText = undefined;
      return drain();
    },
  };
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
  const tag = token.name;
  const edits: Edit[] = [];
  let urlChanged = false;
  for (const attr of token.attrs) {
    const name = attr.name;
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
  const byName = new Map(edits.map((edit) => [edit.name, edit.value]));
  let result = raw.slice(0, token.attrs[0]!.start).trimEnd();
  for (const attr of token.attrs) {
    const edited = byName.get(attr.name);
    if (edited === null) continue;
    result += ` ${edited === undefined ? raw.slice(attr.start, attr.end) : `${attr.name}="${escapeAttribute(edited)}"`}`;
  }
  return result + (token.selfClosing ? '/>' : '>');
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
