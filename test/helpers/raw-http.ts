import { connect } from 'node:net';

/** Sends bytes as they are (no client normalizing them) and returns the raw response text. */
export function sendRaw(url: string, raw: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(raw));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      // One response is enough: stop once headers and a body (or an empty one) have arrived.
      // Interim (1xx) responses come before the real one: skip them.
      const text = Buffer.concat(chunks).toString('utf8').replace(/^(HTTP\/1\.1 1\d\d[^\r]*\r\n(?:[^\r]+\r\n)*\r\n)+/, '');
      const end = text.indexOf('\r\n\r\n');
      if (end !== -1) {
        const length = /content-length: (\d+)/i.exec(text.slice(0, end))?.[1];
        if (length !== undefined && text.length >= end + 4 + Number(length)) socket.end();
      }
    });
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy());
  });
}

/**
 * Writes `parts` one after another on one connection (each after `gapMs`), then collects what the
 * gateway answers until `responses` complete final answers (default 1) have arrived, the gateway
 * closes the connection, or it stays silent for `idleMs`. With `abort`, the socket is destroyed
 * right after the last part (a patron going away mid-body).
 */
export function exchangeRaw(
  url: string,
  parts: ReadonlyArray<string | Buffer>,
  options: { gapMs?: number; idleMs?: number; abort?: boolean; responses?: number } = {},
): Promise<{ text: string; statuses: number[] }> {
  const { hostname, port } = new URL(url);
  const idleMs = options.idleMs ?? 1000;
  const wanted = options.responses ?? 1;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let idle: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(idle);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('utf8');
      const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3}) [A-Z]/g)].map((m) => Number(m[1])).filter((s) => s >= 200);
      resolve({ text, statuses });
    };
    const armIdle = (): void => {
      clearTimeout(idle);
      idle = setTimeout(finish, idleMs);
    };
    const socket = connect(Number(port), hostname, async () => {
      for (const part of parts) {
        socket.write(part);
        await new Promise((r) => setTimeout(r, options.gapMs ?? 0));
      }
      if (options.abort) {
        socket.destroy();
        setTimeout(finish, idleMs);
        return;
      }
      armIdle();
    });
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      if (!options.abort && countCompleteResponses(Buffer.concat(chunks).toString('latin1')) >= wanted) finish();
      else armIdle();
    });
    socket.on('close', () => (options.abort ? undefined : finish()));
    socket.on('error', (error) => (options.abort ? undefined : reject(error)));
  });
}

/** Final (non-1xx) responses in `text` whose body has fully arrived (framed by Content-Length). */
function countCompleteResponses(text: string): number {
  let count = 0;
  let offset = 0;
  for (;;) {
    const end = text.indexOf('\r\n\r\n', offset);
    if (end === -1) return count;
    const head = text.slice(offset, end);
    if (/^HTTP\/1\.1 1\d\d/.test(head)) {
      offset = end + 4;
      continue;
    }
    const length = /content-length: *(\d+)/i.exec(head)?.[1];
    if (length === undefined || text.length < end + 4 + Number(length)) return count;
    count += 1;
    offset = end + 4 + Number(length);
  }
}
