/** What happened to one directive line: carried into the draft (at a dotted path) or not, with the reason. */
export interface LineOutcome {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  /** The draft's dotted path the directive went into, such as browse.domains; undefined when not carried over. */
  readonly carriedInto: string | undefined;
  /** Why it was not carried over (plain words); undefined when carried. */
  readonly reason: string | undefined;
}

/** A directive that pushes patron identity to the vendor, widens exposure, or holds a placeholder to fill in. */
export interface Finding {
  readonly kind: 'identity' | 'exposure' | 'placeholder';
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly explanation: string;
}
