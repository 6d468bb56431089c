import type { Harness } from './gateway-harness.ts';

/** A staff member's upload to /staff/reports over real HTTP: the form's CSRF token first, then the multipart POST. */
export async function uploadReport(gateway: Harness, cookie: string, fields: Record<string, string>, file: string | Uint8Array | undefined): Promise<Response> {
  const page = await (await fetch(`${gateway.url}/staff/reports`, { headers: { cookie } })).text();
  const form = new FormData();
  form.set('csrf', /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '');
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (file !== undefined) form.set('file', new Blob([typeof file === 'string' ? file : new Uint8Array(file)], { type: 'text/csv' }), 'participation.csv');
  return fetch(`${gateway.url}/staff/reports`, { method: 'POST', headers: { cookie }, body: form });
}

/** Reads a streamed body chunk by chunk as it arrives: the text of each read, in order. */
export async function readChunks(response: Response): Promise<string[]> {
  const chunks: string[] = [];
  const reader = response.body?.getReader();
  if (!reader) return chunks;
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(decoder.decode(value, { stream: true }));
  }
  return chunks;
}

/**
 * Three dimensions (12 x 12 x 4: 576 cells and their margins) with many small cells: protecting it
 * (a linear program per sensitive figure) takes seconds, long enough to watch a report run.
 */
export const BIG_GRANT = `id: big-grant
name: Big Grant
kind: grant
purpose: Testing reports
contract: { reference: G-7, effective: 2026-01-01, expires: 2027-12-31 }
upstream: { url: "http://127.0.0.1:9", hosts: [127.0.0.1] }
identity: { delivery: none }
report: { dimensions: [{ name: branch, from: branch, generalize: none }, { name: program, from: program, generalize: none }, { name: month, from: date, generalize: month }], measures: [participants, attendances], minCellSize: 5 }
`;

/** A participation file for BIG_GRANT (ids are canaries: `CANARY-...`); `repeat` copies every attendance on more days. */
export function bigParticipation(repeat = 1): { text: string; rows: number } {
  const lines = ['patronId,branch,program,date'];
  let seed = 7;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let b = 0; b < 12; b++) for (let p = 0; p < 12; p++) for (let m = 1; m <= 4; m++) {
    const n = Math.floor(next() * 16);
    for (let i = 0; i < n; i++) for (let r = 0; r < repeat; r++) lines.push(`CANARY-${b}-${p}-${m}-${i},branch${b},program${p},2026-0${m}-${String(1 + ((i + r * 7) % 28)).padStart(2, '0')}`);
  }
  return { text: lines.join('\n'), rows: lines.length - 1 };
}
