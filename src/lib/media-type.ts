import { isTypeValid, parse } from 'content-type';

/**
 * The media type of a Content-Type header, lowercased, without parameters ("application/json"):
 * '' when there is no header, undefined when it is not a valid media type (RFC 9110).
 */
export function readMediaType(header: string | undefined): string | undefined {
  if (header === undefined || header === '') return '';
  try {
    const type = parse(header, { parameters: false }).type;
    return isTypeValid(type) ? type : undefined;
  } catch {
    return undefined;
  }
}
