import { describe, expect, it } from 'vitest';
import { createWasmHtmlRewriter, readWasmMemoryBytes } from '../../../../../src/channels/browse/rewrite/wasm-html-rewriter.ts';

const encode = (text: string) => new TextEncoder().encode(text);

/** A rewriter that sets data-seen on every <a>, collecting its output as text. */
function rewriterOnAnchors(onAnchor: () => void = () => {}) {
  const out: string[] = [];
  const decoder = new TextDecoder();
  const rewriter = createWasmHtmlRewriter(
    (bytes) => out.push(decoder.decode(bytes, { stream: true })),
    (lol) =>
      lol.on('a', {
        element(element) {
          onAnchor();
          element.setAttribute('data-seen', '1');
        },
      }),
  );
  return { rewriter, text: () => out.join('') };
}

/** A page cut in the middle of a 64 KB attribute value: lol-html must hold the whole tag so far. */
const HALF_A_PAGE = encode(`<p>start</p><a href="/${'x'.repeat(64 * 1024)}`);

describe('lol-html driven synchronously', () => {
  it('write() returns after the sink got what it could emit (no promise to wait for)', () => {
    const { rewriter, text } = rewriterOnAnchors();
    rewriter.write(encode('<p>x</p><a href=/y>y</a><b>'));
    expect(text()).toContain('<a href=/y data-seen="1">y</a>');
    rewriter.end();
    expect(text()).toBe('<p>x</p><a href=/y data-seen="1">y</a><b>');
  });

  it("lol-html's refusal (a <title> inside <select>, where it cannot tell how a browser parses it) throws from write() at once", () => {
    const { rewriter } = rewriterOnAnchors();
    expect(() => rewriter.write(encode('<select><title>t</title></select>'))).toThrow(/ambiguous/);
    expect(() => rewriter.write(encode('<p>'))).toThrow('the HTML rewriter was already ended or failed');
    expect(() => rewriter.free()).not.toThrow();
  });

  it("a handler's error throws from write() at once, and the rewriter is not called again", () => {
    const { rewriter } = rewriterOnAnchors(() => {
      throw new Error('handler failed');
    });
    expect(() => rewriter.write(encode('<a>'))).toThrow('handler failed');
    expect(() => rewriter.end()).toThrow('the HTML rewriter was already ended or failed');
  });

  it('after end(), the rewriter is finished: write and end throw, free does nothing', () => {
    const { rewriter } = rewriterOnAnchors();
    rewriter.end();
    expect(() => rewriter.write(encode('<a>'))).toThrow('the HTML rewriter was already ended or failed');
    expect(() => rewriter.end()).toThrow('the HTML rewriter was already ended or failed');
    rewriter.free();
    rewriter.free();
  });

  it('an empty write does nothing (not even after the end)', () => {
    const { rewriter, text } = rewriterOnAnchors();
    rewriter.end();
    rewriter.write(new Uint8Array(0));
    expect(text()).toBe('');
  });
});

describe('lol-html memory: every way a rewriter finishes frees it', () => {
  /** The WebAssembly memory never shrinks: a rewriter left live keeps its buffered tag in it for good. */
  function growthOver(pages: number, finish: (rewriter: ReturnType<typeof rewriterOnAnchors>['rewriter']) => void): number {
    const before = readWasmMemoryBytes();
    for (let i = 0; i < pages; i++) {
      const { rewriter } = rewriterOnAnchors();
      rewriter.write(HALF_A_PAGE);
      finish(rewriter);
    }
    return readWasmMemoryBytes() - before;
  }

  it('the observable works: 200 rewriters left live mid-tag grow the memory by at least their buffered 64 KB each', () => {
    expect(growthOver(200, () => {})).toBeGreaterThanOrEqual(200 * 64 * 1024);
  });

  it.each([
    ['freed mid-body (the client went away)', (rewriter: ReturnType<typeof rewriterOnAnchors>['rewriter']) => rewriter.free()],
    ['ended', (rewriter: ReturnType<typeof rewriterOnAnchors>['rewriter']) => rewriter.end()],
    [
      'failed (lol-html refused the rest)',
      (rewriter: ReturnType<typeof rewriterOnAnchors>['rewriter']) => {
        expect(() => rewriter.write(encode('"><select><xmp>'))).toThrow(/ambiguous/);
      },
    ],
  ])('1,000 rewriters %s leave the memory where it was (within one page)', (_name, finish) => {
    growthOver(20, finish); // the allocator settles
    expect(growthOver(1000, finish)).toBeLessThanOrEqual(HALF_A_PAGE.length * 4);
  });
});
