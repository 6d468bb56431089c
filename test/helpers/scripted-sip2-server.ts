/** A loopback TCP server whose answers a test writes by hand, per received line (for exact protocol cases). */
import { createServer, type AddressInfo, type Socket } from 'node:net';

export interface ScriptedServer {
  readonly port: number;
  /** Every line received, without terminators. */
  readonly lines: string[];
  close(): Promise<void>;
}

/** `answer(line, index, socket)` writes whatever it likes (or nothing) for the index-th line on a connection. */
export async function startScriptedServer(answer: (line: string, index: number, socket: Socket) => void): Promise<ScriptedServer> {
  const lines: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = '';
    let index = 0;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\r');
      pending = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        answer(line, index++, socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    lines,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `text` + its checksum (independent of src/sip2). */
export function signed(text: string): string {
  let sum = 0;
  for (const byte of Buffer.from(text, 'latin1')) sum += byte;
  return text + ((-sum) & 0xffff).toString(16).toUpperCase().padStart(4, '0');
}
