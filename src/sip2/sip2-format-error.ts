/** A message that cannot be rendered as asked (a fixed field of the wrong length, a bad sequence). */
export class Sip2FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Sip2FormatError';
  }
}
