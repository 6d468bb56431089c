/** Where the gateway sends a patron whom a vendor points outside its own space. */
export const LEAVING_PATH = '/leaving';

/** Longest destination carried to the leaving page; a longer one is not shown at all. */
export const MAX_DESTINATION_LENGTH = 2048;

/** The gateway path of the "you are leaving the library's protection" page for `destination`. */
export function buildLeavingPath(destination: string): string {
  return destination.length > MAX_DESTINATION_LENGTH ? LEAVING_PATH : `${LEAVING_PATH}?to=${encodeURIComponent(destination)}`;
}
