/**
 * A report that cannot be produced. Messages name lines, columns and what is wrong, never a value
 * from the file (which holds patron data).
 */
export class ReportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportInputError';
  }
}
