import * as lolHtml from 'html-rewriter-wasm';
import type { HTMLRewriter } from 'html-rewriter-wasm';

/**
 * One lol-html rewriter (Cloudflare's streaming HTML rewriter, in html-rewriter-wasm's WebAssembly
 * build) driven synchronously: write() and end() return once lol-html has called the sink with all
 * it can emit, and throw at once when lol-html refuses the input (its parsing-ambiguity error) or a
 * handler failed. html-rewriter-wasm's own write() and end() are async (asyncify, for async
 * handlers) and report errors only through a rejected promise, a tick later; with synchronous
 * handlers its wasm call runs to completion inside write(), so this calls the same exports the
 * package's write() calls (html-rewriter-wasm 0.4.1, pinned exactly), without the promise.
 *
 * After an error the rewriter is never called again (lol-html does not recover: a second call traps
 * in the one WebAssembly instance every rewriter shares); free() is then the only call. free() is
 * idempotent and must be called on end, on error and when the body is abandoned: the WebAssembly
 * memory never shrinks, and a rewriter left live keeps its buffered input in it.
 */
export interface WasmHtmlRewriter {
  write(bytes: Uint8Array): void;
  end(): void;
  free(): void;
}

/** The exports of html-rewriter-wasm's one WebAssembly instance that its write() and end() call. */
interface WasmExports {
  readonly memory: WebAssembly.Memory;
  __wbindgen_malloc(size: number): number;
  htmlrewriter_write(rewriter: number, pointer: number, length: number): void;
  htmlrewriter_end(rewriter: number): void;
  asyncify_get_state(): number;
}

const wasm = (lolHtml as unknown as { __wasm: WasmExports }).__wasm;

/** The module's WebAssembly memory (shared by every rewriter in the process): what tests watch for leaks. */
export function readWasmMemoryBytes(): number {
  return wasm.memory.buffer.byteLength;
}

/** A rewriter writing its output to sink; setup registers the (synchronous) handlers. */
export function createWasmHtmlRewriter(sink: (bytes: Uint8Array) => void, setup: (rewriter: HTMLRewriter) => void): WasmHtmlRewriter {
  const rewriter = new lolHtml.HTMLRewriter(sink);
  let live = true;
  let failed = false;
  const handle = (rewriter as unknown as { ptr: number }).ptr;
  function free(): void {
    if (!live) return;
    live = false;
    rewriter.free();
  }
  function call(run: () => void): void {
    if (!live || failed) throw new Error('the HTML rewriter was already ended or failed');
    try {
      run();
      // Only a handler returning a promise makes lol-html unwind (asyncify); ours never do.
      if (wasm.asyncify_get_state() !== 0) throw new Error('an HTML rewriter handler was asynchronous');
    } catch (error) {
      failed = true;
      try {
        free();
      } catch {
        // Freeing after a trap may trap too; the error that matters is the first.
      }
      throw error;
    }
  }
  try {
    setup(rewriter);
  } catch (error) {
    free();
    throw error;
  }
  return {
    write(bytes) {
      if (bytes.length === 0) return;
      call(() => {
        const pointer = wasm.__wbindgen_malloc(bytes.length);
        new Uint8Array(wasm.memory.buffer, pointer, bytes.length).set(bytes);
        wasm.htmlrewriter_write(handle, pointer, bytes.length);
      });
    },
    end() {
      call(() => wasm.htmlrewriter_end(handle));
      free();
    },
    free,
  };
}
