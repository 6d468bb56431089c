import { DOMParser } from '@xmldom/xmldom';

/** The largest SAML document read (an AuthnRequest or SP metadata), in characters. */
export const MAX_SAML_XML_CHARS = 64 * 1024;

/** Why a document was refused before or while parsing. */
export type XmlRefusal = 'too-large' | 'dtd' | 'malformed';

/**
 * Parses SAML XML strictly: no DOCTYPE or entity declaration at all (no external entities, no
 * entity expansion: refused outright, before parsing), at most MAX_SAML_XML_CHARS, and any parser
 * warning or error refuses the document (xmldom otherwise repairs broken XML silently).
 */
export function parseSamlXml(text: string, maxChars = MAX_SAML_XML_CHARS): { document: Document } | { refused: XmlRefusal } {
  if (text.length > maxChars) return { refused: 'too-large' };
  if (/<!(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i.test(text)) return { refused: 'dtd' };
  let failed = false;
  const fail = (): void => {
    failed = true;
  };
  let document: Document | undefined;
  try {
    document = new DOMParser({ errorHandler: { warning: fail, error: fail, fatalError: fail } }).parseFromString(text, 'text/xml') as unknown as Document;
  } catch {
    failed = true;
  }
  if (failed || document === undefined || document.documentElement === null) return { refused: 'malformed' };
  return { document };
}

/** The element children of a node (no text, comments or processing instructions). */
export function listChildElements(node: Node): Element[] {
  const out: Element[] = [];
  for (let child = node.firstChild; child !== null; child = child.nextSibling) if (child.nodeType === 1) out.push(child as Element);
  return out;
}

/** The children of `node` named {namespace}localName. */
export function listChildren(node: Node, namespace: string, localName: string): Element[] {
  return listChildElements(node).filter((element) => element.namespaceURI === namespace && element.localName === localName);
}

/** Every element in the document with this local name, in any namespace (for counting what must be unique). */
export function countElements(document: Document, localName: string): number {
  let count = 0;
  const walk = (node: Node): void => {
    for (const element of listChildElements(node)) {
      if (element.localName === localName) count++;
      walk(element);
    }
  };
  walk(document);
  return count;
}

/** The text of an element, trimmed. */
export function readText(element: Element): string {
  return (element.textContent ?? '').trim();
}

/** An attribute's value, or undefined when the element does not have it (xmldom's getAttribute gives "" for both). */
export function readAttribute(element: Element, name: string): string | undefined {
  return element.hasAttribute(name) ? (element.getAttribute(name) ?? '') : undefined;
}
