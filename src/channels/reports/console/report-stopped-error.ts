/** Why a console report was stopped before it finished. */
export type ReportStopReason = 'time' | 'memory' | 'crash' | 'aborted';

const MESSAGES: Record<ReportStopReason, string> = {
  time: 'The report was stopped: it took longer than the time limit for reports (reports.timeoutSeconds). Nothing was published. Try a shorter period or a smaller file, or ask IT to raise the limit.',
  memory: 'The report was stopped: it needed more memory than reports are allowed (reports.maxMemoryMb). Nothing was published. Try a shorter period or a smaller file, or ask IT to raise the limit.',
  crash: 'The report failed unexpectedly and was stopped. Nothing was published. Try again; if it fails again, tell IT.',
  aborted: 'The report was cancelled before it finished. Nothing was published.',
};

/**
 * A console report whose worker thread ended without a report: over its time or memory limit,
 * crashed, or cancelled (the upload was refused or the page closed). The message is for staff and
 * names no value from the file.
 */
export class ReportStoppedError extends Error {
  readonly reason: ReportStopReason;
  constructor(reason: ReportStopReason) {
    super(MESSAGES[reason]);
    this.name = 'ReportStoppedError';
    this.reason = reason;
  }
}
