import { Transform, type TransformCallback } from 'node:stream';
import { constants, createBrotliCompress, createBrotliDecompress, createGunzip, createGzip, createDeflate, createInflate } from 'node:zlib';
import { describeBodyRewrite, type BodySyntax, type SupportedCharset, type SupportedEncoding } from './body-plan.ts';
import { createCssStage } from './css-rewriter.ts';
import { createFindReplaceStages } from './find-replace.ts';
import { createHtmlStage } from './html-rewriter.ts';
import type { RewriteOptions } from './rewrite-options.ts';
import { createScriptHostStage } from './script-hosts.ts';
import { createTextCodec, sniffHtmlCharset, SNIFF_BYTES, type TextCodec } from './text-codec.ts';
import { chainTextStages, type TextStage } from './text-stage.ts';
import { TransformChain } from './transform-chain.ts';
import { createUrlMapper } from './url-mapper.ts';

/**
 * A Transform for a body of this Content-Type (the header's value, parameters included) and
 * Content-Encoding, or null when the body is not rewritten (describeBodyRewrite says why:
 * 'untouched' bodies stream as they are; for 'unsupported-encoding' and 'unsupported-charset' the
 * caller chooses to refuse or pass through).
 *
 * Compressed bodies are decoded and re-encoded with the same coding (gzip level 6, deflate level 6,
 * brotli quality 5: a streaming setting, not brotli's slow default 11). Text is decoded in the
 * body's charset and re-encoded in it. Memory is bounded: nothing holds a whole body; the
 * rewriters keep at most a tag, a CSS url() or a find length of text between chunks.
 *
 * An HTML body with no charset in Content-Type is sniffed from its first 1024 bytes (BOM, <meta>);
 * if it declares a charset we cannot re-encode, the body streams through unrewritten and
 * options.onUnrewritable('charset') says so (the headers are already gone by then).
 */
export function createBodyRewriter(contentType: string, contentEncoding: string | undefined, options: RewriteOptions): Transform | null {
  const plan = describeBodyRewrite(contentType, contentEncoding, options);
  if (plan.kind !== 'rewrite') return null;
  const text = new TextRewriteTransform(plan.syntax, plan.mediaType, plan.charset, options);
  if (plan.encoding === 'identity') return text;
  const [decode, encode] = codecStreams(plan.encoding);
  return new TransformChain([decode, text, encode]);
}

function codecStreams(encoding: Exclude<SupportedEncoding, 'identity'>): [Transform, Transform] {
  if (encoding === 'gzip') return [createGunzip(), createGzip({ level: 6 })];
  if (encoding === 'deflate') return [createInflate(), createDeflate({ level: 6 })];
  return [createBrotliDecompress(), createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })];
}

/** Builds the text stages for one body: find/replace first (on the upstream text), then the syntax's own rewriter. */
export function createBodyStage(syntax: BodySyntax, mediaType: string, options: RewriteOptions): TextStage {
  const { stages, proxiedOrigins } = createFindReplaceStages(options.replace, mediaType, options.mapUrl);
  const known = new Set([...proxiedOrigins, ...options.scriptHosts.map((h) => new URL(h.proxied).origin)]);
  const mapper = createUrlMapper(options, known);
  if (syntax === 'html') stages.push(createHtmlStage(mapper, () => createScriptHostStage(options.scriptHosts), () => createCssStage(mapper)));
  else if (syntax === 'css') stages.push(createCssStage(mapper));
  else if (syntax === 'script') {
    const hosts = createScriptHostStage(options.scriptHosts);
    if (hosts !== undefined) stages.push(hosts);
  }
  return chainTextStages(stages);
}

class TextRewriteTransform extends Transform {
  readonly #syntax: BodySyntax;
  readonly #mediaType: string;
  readonly #options: RewriteOptions;
  #codec: TextCodec | undefined;
  #stage: TextStage | undefined;
  /** Bytes held while sniffing an HTML body's charset. */
  #sniffed: Buffer[] | undefined;
  #sniffedLength = 0;
  #passThrough = false;

  constructor(syntax: BodySyntax, mediaType: string, charset: SupportedCharset | undefined, options: RewriteOptions) {
    super();
    this.#syntax = syntax;
    this.#mediaType = mediaType;
    this.#options = options;
    if (charset === undefined && syntax === 'html') this.#sniffed = [];
    else this.#start(charset ?? 'utf-8');
  }

  #start(charset: SupportedCharset): void {
    this.#codec = createTextCodec(charset, this.#syntax === 'html');
    this.#stage = createBodyStage(this.#syntax, this.#mediaType, this.#options);
  }

  #rewrite(bytes: Uint8Array, final: boolean): void {
    const text = this.#stage!.push(this.#codec!.decode(bytes, final)) + (final ? this.#stage!.end() : '');
    if (text !== '') this.push(this.#codec!.encode(text));
  }

  /** Ends sniffing: picks the charset from what was held and rewrites it (or lets it all through). */
  #decide(): void {
    const held = Buffer.concat(this.#sniffed!);
    this.#sniffed = undefined;
    const charset = sniffHtmlCharset(held);
    if (charset === 'other') {
      this.#passThrough = true;
      this.#options.onUnrewritable?.('charset');
      if (held.length > 0) this.push(held);
      return;
    }
    this.#start(charset);
    this.#rewrite(held, false);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      if (this.#passThrough) {
        callback(null, chunk);
        return;
      }
      if (this.#sniffed !== undefined) {
        this.#sniffed.push(chunk);
        this.#sniffedLength += chunk.length;
        if (this.#sniffedLength >= SNIFF_BYTES) this.#decide();
        callback();
        return;
      }
      this.#rewrite(chunk, false);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      if (this.#sniffed !== undefined) this.#decide();
      if (!this.#passThrough) this.#rewrite(new Uint8Array(0), true);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }
}
