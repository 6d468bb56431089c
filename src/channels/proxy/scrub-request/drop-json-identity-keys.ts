/**
 * For a vendor that reads identity from posted fields (`identity.delivery: form`): a JSON body's
 * top-level keys named like its identity fields are the patron's own words, not the gateway's, so
 * they are removed (a vendor that also accepts JSON would otherwise take a forged `sub`). Returns
 * the rebuilt body, or undefined when nothing had to go (the body then leaves as it came). The
 * parse sees what the vendor's parser will: escaped key spellings and the last of duplicate keys.
 */
export function dropJsonIdentityKeys(body: Buffer, names: ReadonlySet<string>): Buffer | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    // An empty body has no keys; anything else unparseable was refused by the JSON scan already.
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const document = parsed as Record<string, unknown>;
  let dropped = false;
  for (const name of names) {
    if (Object.hasOwn(document, name)) {
      delete document[name];
      dropped = true;
    }
  }
  return dropped ? Buffer.from(JSON.stringify(document)) : undefined;
}
