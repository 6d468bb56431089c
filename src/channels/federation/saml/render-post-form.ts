import { createHash } from 'node:crypto';
import { escapeHtml } from '../../../lib/html.ts';

const SUBMIT_SCRIPT = 'document.forms[0].submit();';
/** The CSP hash of the one inline script (the auto-submit). */
const SCRIPT_HASH = `'sha256-${createHash('sha256').update(SUBMIT_SCRIPT).digest('base64')}'`;

/**
 * The HTTP-POST binding's page: a form posting SAMLResponse (and RelayState) to the SP's ACS,
 * submitted by one inline script (allowed by its hash alone) or by the button without scripts.
 * Its Content-Security-Policy lets the form go to the ACS's origin only.
 */
export function renderPostForm(acs: string, samlResponse: string, relayState: string | undefined, title: string, button: string): { html: string; csp: string } {
  const html =
    `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>` +
    `<body><form method="post" action="${escapeHtml(acs)}">` +
    `<input type="hidden" name="SAMLResponse" value="${escapeHtml(samlResponse)}">` +
    (relayState !== undefined ? `<input type="hidden" name="RelayState" value="${escapeHtml(relayState)}">` : '') +
    `<p>${escapeHtml(title)}</p><button type="submit">${escapeHtml(button)}</button></form>` +
    `<script>${SUBMIT_SCRIPT}</script></body></html>`;
  const csp = `default-src 'none'; script-src ${SCRIPT_HASH}; style-src 'unsafe-inline'; form-action ${new URL(acs).origin}; frame-ancestors 'none'; base-uri 'none'`;
  return { html, csp };
}
