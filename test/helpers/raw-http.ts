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
