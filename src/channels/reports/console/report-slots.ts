/** A bounded number of report runs at once (`reports.maxConcurrent`). */
export interface ReportSlots {
  /** Takes a slot: the function that gives it back (once; later calls do nothing), or undefined when every slot is taken. */
  tryAcquire(): (() => void) | undefined;
  /** How many slots are taken now. */
  readonly running: number;
  /** How many runs may go on at once. */
  readonly max: number;
}

/**
 * Counts the console's report runs, so at most `max` worker threads produce reports at once: each
 * holds a CPU and up to `reports.maxMemoryMb` of heap, and the proxy shares the machine. A run
 * past the bound is refused (503), never queued: staff can try again, the gateway keeps serving.
 */
export function createReportSlots(max: number): ReportSlots {
  let running = 0;
  return {
    tryAcquire() {
      if (running >= max) return undefined;
      running += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        running -= 1;
      };
    },
    get running() {
      return running;
    },
    max,
  };
}
