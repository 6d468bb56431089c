import type { KeyObject } from 'node:crypto';

/** One assertion consumer service of an SP, from its metadata. */
export interface AssertionConsumerService {
  readonly binding: string;
  readonly location: string;
  readonly index?: number;
  readonly isDefault: boolean;
}

/** A vendor's SAML service provider, as its metadata file describes it. Frozen. */
export interface ServiceProvider {
  readonly vendorId: string;
  readonly entityId: string;
  /** AuthnRequestsSigned="true": unsigned requests are refused. */
  readonly authnRequestsSigned: boolean;
  /** Every ACS, in metadata order. */
  readonly acs: ReadonlyArray<AssertionConsumerService>;
  /** The ACS answered when a request names none: isDefault="true", else the first HTTP-POST one. */
  readonly defaultAcs: AssertionConsumerService | undefined;
  /** Public keys of the SP's signing certificates (use="signing" or no use). */
  readonly signingKeys: ReadonlyArray<KeyObject>;
  /** The same certificates as PEM (xml-crypto verifies with PEM). */
  readonly signingCertificates: ReadonlyArray<string>;
}
