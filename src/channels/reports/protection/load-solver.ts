import type { Highs } from 'highs';
import * as highsModule from 'highs';

type Loader = () => Promise<Highs>;

/**
 * Loads the HiGHS WebAssembly runtime (one per caller; pass it on to reuse it). The package's
 * ESM build exports the loader as its default; its types describe the CommonJS shape, so both
 * are accepted.
 */
export async function loadSolver(): Promise<Highs> {
  const candidate = (highsModule as unknown as { default: Loader | { default: Loader } }).default;
  const load = typeof candidate === 'function' ? candidate : candidate.default;
  return load();
}
