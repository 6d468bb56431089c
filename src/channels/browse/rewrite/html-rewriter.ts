import { decodeHTMLAttribute } from 'entities';
import type { Element, TextChunk } from 'html-rewriter-wasm';
import { rewriteCssText } from './css-rewriter.ts';
import { rewriteRefreshValue } from './refresh-value.ts';
import type { UrlKind } from './rewrite-options.ts';
import { rewriteSrcset } from './srcset.ts';
import type { TextStage } from './text-stage.ts';
import type { UrlMapper } from './url-mapper.ts';
import { createWasmHtmlRewriter } from './wasm-html-rewriter.ts';

/**
 * HTML through lol-html (wasm-html-rewriter.ts), a streaming rewriter whose tokenizer follows the
 * spec and simulates the tree builder's feedback, so script, style, textarea, title, xmp, plaintext,
 * noscript, CDATA and foreign content tokenize as a browser does. A tag no handler changes is
 * written back from its source byte for byte; in a changed tag lol-html writes the tag again, each
 * unchanged attribute from its source and each changed one as name="value". What changes:
 *
 * | where | how |
 * |---|---|
 * | href, xlink:href (navigate on a/area, load elsewhere), src, poster, object data, background, manifest, icon | the mapper (url-mapper.ts) |
 * | action, formaction, cite | the mapper, as navigations |
 * | srcset, imagesrcset | every candidate (srcset.ts) |
 * | style attributes, `<style>` text | CSS url() and @import (css-rewriter.ts) |
 * | `<base href>` | honoured for resolving what follows, then mapped |
 * | `<meta http-equiv=refresh>` | its URL (refresh-value.ts) |
 * | `<iframe srcdoc>` | rewritten as a document of its own (a second rewriter, called from the handler) |
 * | integrity | removed from an element whose URL changed (the bytes may differ) |
 * | ping | removed (a tracking beacon by design) |
 * | `<meta http-equiv=content-security-policy>`, `<meta name=referrer>` | removed (the gateway's headers govern) |
 * | `<script>` text (JavaScript, JSON, modules, import maps) | only the script-host substitution, if the contract has script hosts |
 *
 * Attribute values are read as the browser reads them (character references decoded) and written
 * back escaped. Only the first of duplicate attributes counts (as in browsers): it is the one changed
 * in place; when it is removed, its duplicates go too, so none can take its place. Comments, doctype, text and everything
 * else stream through byte for byte; URLs inside comments (conditional comments included) are not
 * rewritten. The first <base href> counts (as in browsers); URLs before it resolve against the
 * document URL.
 *
 * lol-html's limit: a tag whose content is raw text (title, textarea, style, xmp, iframe, noembed,
 * noframes, noscript, plaintext) inside <select>, where its tree-builder simulation cannot tell
 * whether the browser ignores the tag, stops the rewrite: push() throws and nothing more is
 * emitted (no unrewritten markup leaves).
 *
 * Strings go in and out: the text is encoded to UTF-8 for lol-html and its output decoded; the body's
 * own charset is handled before and after this stage (text-codec.ts).
 */
export function createHtmlStage(mapper: UrlMapper, createScriptStage: () => TextStage | undefined, createCssStage: () => TextStage): TextStage {
  /** What lol-html emitted (it calls the sink once per token or less, with a copy): decoded at once per push. */
  const out: Uint8Array[] = [];
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  /** A handler's error: lol-html carries on, and push() throws it once lol-html returns. */
  let failure: { error: unknown } | undefined;
  let styleStage: TextStage | undefined;
  let scriptStage: TextStage | undefined;
  /** A high surrogate at the end of a piece waits for its low half. */
  let heldSurrogate = '';
  const rewritesScripts = createScriptStage() !== undefined;

  function guard<T>(handler: (item: T) => void): (item: T) => void {
    return (item) => {
      if (failure !== undefined) return;
      try {
        handler(item);
      } catch (error) {
        failure = { error };
      }
    };
  }
  /**
   * Set when an element with integrity starts; a URL change on it then removes its integrity (a
   * change on a later element finds none, and clears the flag: only the element at hand can have set it).
   */
  let integrityPending = false;
  function afterUrl(element: Element, changed: boolean): void {
    if (!changed || !integrityPending) return;
    integrityPending = false;
    removeAll(element, 'integrity');
  }
  function replaceText(chunk: TextChunk, stage: TextStage): void {
    const text = chunk.text;
    const rewritten = stage.push(text) + (chunk.lastInTextNode ? stage.end() : '');
    if (rewritten !== text) chunk.replace(rewritten, { html: true });
  }

  const rewriter = createWasmHtmlRewriter(
    (bytes) => out.push(bytes),
    (lol) => {
      // lol-html calls an element's handlers in the order they were registered: this one comes first.
      lol.on('[integrity]', {
        element: () => {
          integrityPending = true;
        },
      });
      for (const [selector, name, kind] of URL_SELECTORS) lol.on(selector, { element: guard((element: Element) => afterUrl(element, rewriteUrl(element, name, kind, mapper))) });
      for (const name of ['srcset', 'imagesrcset']) lol.on(`[${name}]`, { element: guard((element: Element) => afterUrl(element, rewriteSrcsetAttribute(element, name, mapper))) });
      lol.on('[style]', { element: guard((element: Element) => rewriteStyleAttribute(element, mapper)) });
      lol.on('[ping]', { element: guard((element: Element) => removeAll(element, 'ping')) });
      lol.on('iframe[srcdoc]', { element: guard((element: Element) => rewriteSrcdoc(element, () => createHtmlStage(mapper, createScriptStage, createCssStage))) });
      lol.on('meta', { element: guard((element: Element) => rewriteMeta(element, mapper)) });
      lol.on('style', {
        text: guard((chunk: TextChunk) => {
          styleStage ??= createCssStage();
          replaceText(chunk, styleStage);
          if (chunk.lastInTextNode) styleStage = undefined;
        }),
      });
      if (rewritesScripts) {
        lol.on('script', {
          element: guard((element: Element) => {
            scriptStage = isScriptText(element) ? createScriptStage() : undefined;
          }),
          text: guard((chunk: TextChunk) => {
            if (scriptStage === undefined) return;
            replaceText(chunk, scriptStage);
            if (chunk.lastInTextNode) scriptStage = undefined;
          }),
        });
      }
    },
  );

  function run(step: () => void, last: boolean): string {
    step();
    if (failure !== undefined) {
      rewriter.free();
      throw failure.error;
    }
    const text = decoder.decode(out.length === 1 ? out[0] : Buffer.concat(out), { stream: !last });
    out.length = 0;
    return text;
  }
  return {
    push(text) {
      let piece = heldSurrogate + text;
      heldSurrogate = '';
      const last = piece.charCodeAt(piece.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        heldSurrogate = piece.slice(-1);
        piece = piece.slice(0, -1);
      }
      return run(() => rewriter.write(encoder.encode(piece)), false);
    },
    end() {
      return run(() => {
        rewriter.write(encoder.encode(heldSurrogate));
        heldSurrogate = '';
        rewriter.end();
      }, true);
    },
    destroy() {
      rewriter.free();
    },
  };
}

/**
 * lol-html selector -> the URL attribute it finds and how the URL is used (a/area links navigate;
 * <base href> is honoured, then mapped). One handler per attribute: each reads only its own value.
 */
const URL_SELECTORS: ReadonlyArray<readonly [selector: string, name: string, kind: UrlKind | 'base']> = [
  ['a[href],area[href]', 'href', 'navigate'],
  ['base[href]', 'href', 'base'],
  ['[href]:not(a):not(area):not(base)', 'href', 'load'],
  ['a[xlink\\:href]', 'xlink:href', 'navigate'],
  ['[xlink\\:href]:not(a)', 'xlink:href', 'load'],
  ['object[data]', 'data', 'load'],
  ...['src', 'poster', 'background', 'manifest', 'icon'].map((name) => [`[${name}]`, name, 'load'] as const),
  ...['action', 'formaction', 'cite'].map((name) => [`[${name}]`, name, 'navigate'] as const),
];

/** An attribute's value as the browser reads it (lol-html gives it as written). */
function decodeValue(raw: string): string {
  return raw.includes('&') ? decodeHTMLAttribute(raw) : raw;
}

function readAttribute(element: Element, name: string): string | undefined {
  const raw = element.getAttribute(name);
  return raw === null ? undefined : decodeValue(raw);
}

/** Whether the URL changed. */
function rewriteUrl(element: Element, name: string, kind: UrlKind | 'base', mapper: UrlMapper): boolean {
  const value = readAttribute(element, name)!;
  const mapped = kind === 'base' ? mapper.setBase(value) : mapper.map(value, kind);
  if (mapped === undefined) return false;
  writeAttribute(element, name, mapped);
  return true;
}

/** Whether a candidate changed. */
function rewriteSrcsetAttribute(element: Element, name: string, mapper: UrlMapper): boolean {
  const rewritten = rewriteSrcset(readAttribute(element, name)!, mapper);
  if (rewritten === undefined) return false;
  writeAttribute(element, name, rewritten);
  return true;
}

function rewriteStyleAttribute(element: Element, mapper: UrlMapper): void {
  const value = readAttribute(element, 'style')!;
  const rewritten = rewriteCssText(value, mapper);
  if (rewritten !== value) writeAttribute(element, 'style', rewritten);
}

function rewriteSrcdoc(element: Element, createStage: () => TextStage): void {
  const value = readAttribute(element, 'srcdoc')!;
  const inner = createStage();
  const rewritten = inner.push(value) + inner.end();
  if (rewritten !== value) writeAttribute(element, 'srcdoc', rewritten);
}

function rewriteMeta(element: Element, mapper: UrlMapper): void {
  const httpEquiv = readAttribute(element, 'http-equiv')?.trim().toLowerCase();
  if (httpEquiv === 'content-security-policy' || httpEquiv === 'content-security-policy-report-only' || readAttribute(element, 'name')?.trim().toLowerCase() === 'referrer') {
    element.remove();
    return;
  }
  const content = readAttribute(element, 'content');
  if (httpEquiv !== 'refresh' || content === undefined) return;
  const rewritten = rewriteRefreshValue(content, mapper);
  if (rewritten !== undefined) writeAttribute(element, 'content', rewritten);
}

/**
 * Sets the first attribute of that name, the one every HTML parser reads, in place; or, for null,
 * removes it and its duplicates, so none can take its place. A duplicate of a set attribute stays as
 * written: parsers drop it (finding it would need every attribute of the tag read out of lol-html,
 * a tenth of the rewriting time).
 */
function writeAttribute(element: Element, name: string, value: string | null): void {
  if (value === null) removeAll(element, name);
  else element.setAttribute(name, escapeAttribute(value));
}

/** lol-html's removeAttribute removes the first of duplicates only. */
function removeAll(element: Element, name: string): void {
  while (element.hasAttribute(name)) element.removeAttribute(name);
}

function escapeAttribute(value: string): string {
  if (!value.includes('&') && !value.includes('"')) return value;
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}

const SCRIPT_TYPES = /^(|module|importmap|speculationrules|(text|application)\/(x-)?(javascript|ecmascript|json|[a-z0-9.+-]*\+json)|text\/(j|live)script|text\/jscript)$/;

/** Whether a <script>'s text is JavaScript or JSON (the only text the script-host substitution touches). */
function isScriptText(element: Element): boolean {
  const type = readAttribute(element, 'type')?.trim().toLowerCase().split(';')[0]?.trim() ?? '';
  return SCRIPT_TYPES.test(type);
}
