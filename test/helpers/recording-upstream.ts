import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the vendor received it: every byte the gateway sent. */
export interface RecordedRequest {
  method: string;
  url: string;
  rawHeaders: string[];
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** Everything above, as one string, for leak searches. */
  all: string;
}

export interface RecordingUpstream {
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Replaces how the upstream answers. */
  respond(handler: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void): void;
  close(): Promise<void>;
}

/** A loopback vendor that keeps every byte of every request and answers 200 JSON unless told otherwise. */
export async function startRecordingUpstream(): Promise<RecordingUpstream> {
  const requests: RecordedRequest[] = [];
  let handler = (_req: IncomingMessage, res: ServerResponse, _body: Buffer): void => {
    res.setHeader('Content-Type', 'application/json');
    res.end('{"ok":true}');
  };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    } catch {
      // The gateway cut the request mid-body (a patron who went away): nothing complete to record.
      return;
    }
    const body = Buffer.concat(chunks);
    const record: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      rawHeaders: req.rawHeaders,
      headers: req.headers,
      body,
      all: `${req.method} ${req.url}\n${req.rawHeaders.join('\n')}\n\n${body.toString('utf8')}`,
    };
    requests.push(record);
    handler(req, res, body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    respond(next) {
      handler = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
