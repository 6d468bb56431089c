/** One released value and the SIP2 field that carries it. */
export interface Sip2Carrier {
  /** The name of the value in the vendor view. */
  readonly view: string;
  /** The SIP2 field id, such as XI or BE. */
  readonly fieldId: string;
  /** date: a YYYY-MM-DD value is written YYYYMMDD (PB and the like). */
  readonly format: 'text' | 'date';
}

/** `identity.sip2` after validation: everything the mediator needs per answer, worked out once. */
export interface CompiledSip2Delivery {
  /** Positions (0-13) of the status flags the vendor may see. */
  readonly statusPositions: ReadonlyArray<number>;
  readonly cannotBorrow: boolean;
  readonly expiry: 'withhold' | 'cannot-borrow' | 'date';
  readonly fines: 'withhold' | 'cannot-borrow' | 'amount';
  readonly fineLimit?: number;
  /** AE when no name is released. */
  readonly personalName: string;
  readonly counts: 'blank' | 'zeros';
  readonly pin: 'optional' | 'required';
  /** AO in answers; undefined: echo the vendor's. */
  readonly institution?: string;
  /** View names that fill AE, first name before last name. */
  readonly nameViews: ReadonlyArray<string>;
  /** Released values other than names and the AA pseudonym, in the order they are written. */
  readonly carriers: ReadonlyArray<Sip2Carrier>;
  /** The view name of a pseudonym that replaces the echoed AA, when the contract puts it there. */
  readonly pseudonymInAA?: string;
}
