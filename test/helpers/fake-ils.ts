/**
 * A fake library ILS speaking SIP2 on loopback, for tests: TCP or TLS, seeded with the two patrons
 * of the reference's recorded transcripts (section 8.3) and answering the way Evergreen's SIPServer
 * did there, byte for byte. It counts every message it receives and can be told to misbehave.
 *
 * Written independently of src/sip2 (its own tiny parser, renderer and checksum), so that a bug in
 * the gateway's codec cannot hide behind the same bug here.
 */
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

export interface FakePatron {
  readonly barcode: string;
  /** Undefined: the ILS accepts any PIN... never; undefined means the patron has no PIN and CQ is always N. */
  readonly pin?: string;
  readonly name: string;
  /** 14 characters. */
  readonly status?: string;
  /** Extra fields of the 64, in order, after BF (e.g. AQ, then after BL/CQ: PA PB PC PI, XI...). */
  readonly before?: ReadonlyArray<readonly [string, string]>;
  readonly after?: ReadonlyArray<readonly [string, string]>;
  readonly address?: string;
  readonly email?: string;
  readonly phone?: string;
  readonly fineItems?: ReadonlyArray<string>;
  readonly language?: string;
}

/** The two patrons of Evergreen's sample ILS, as recorded. */
export const TRANSCRIPT_PATRONS: ReadonlyArray<FakePatron> = [
  {
    barcode: 'djfiander',
    pin: '6789',
    name: 'David J. Fiander',
    status: '  Y           ',
    address: '2 Meadowvale Dr. St Thomas, ON',
    email: 'djfiander@hotmail.com',
    phone: '(519) 555 1234',
    before: [['AQ', 'Beacock']],
    after: [['PA', '20501231'], ['PB', '19640925'], ['PC', 'A'], ['PI', 'Y']],
    fineItems: ['Computer Time'],
  },
  {
    barcode: 'miker',
    name: 'Mike Rylander',
    status: '  Y           ',
    address: 'Somewhere in Atlanta',
    email: 'mrylander@gmail.com',
    phone: '(404) 555 1235',
    after: [['PA', '20501120'], ['PB', '19640925'], ['PC', 'A'], ['PI', 'N']],
  },
];

/** How the fake misbehaves, from the next message on. */
export type IlsFault =
  | 'none'
  /** Never answers. */
  | 'hang'
  /** Answers after `slowMs`. */
  | 'slow'
  /** Answers patron requests with bytes that are not SIP2. */
  | 'garbage'
  /** Leaves BL out of 24 and 64. */
  | 'no-bl'
  /** Leaves CQ out of 24 and 64 even when AD was sent. */
  | 'no-cq'
  /** Writes half of its answer to a patron request, then closes the connection. */
  | 'close-mid-message'
  /** Closes the connection when a patron request arrives, without a byte. */
  | 'close'
  /** Sends a wrong checksum on every answer. */
  | 'wrong-checksum'
  /** Answers with the wrong sequence number. */
  | 'wrong-sequence'
  /** Refuses every login (940). */
  | 'refuse-login'
  /** Answers a patron request with an answer to another message (a 36). */
  | 'wrong-message';

export interface FakeIlsOptions {
  readonly patrons?: ReadonlyArray<FakePatron>;
  /** The SIP login the ILS accepts (default scclient / clientpwd, as recorded). */
  readonly login?: { readonly user: string; readonly password: string };
  readonly institution?: string;
  /** The server's clock, stamped in answers (default the recording's). */
  readonly date?: string;
  /** TLS: the ILS listens with this certificate (PEM). */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** Quirks of 8.5 on the way out. */
  readonly terminator?: '\r' | '\r\n';
  readonly lowercaseChecksum?: boolean;
  /** Write every answer in three pieces (SirsiDynix "split messages"). */
  readonly splitWrites?: boolean;
  /** Koha's order: AE before AA in 24 and 64. */
  readonly nameFirst?: boolean;
  readonly slowMs?: number;
  /**
   * A real ILS's time per patron request (23, 63): a database lookup. Answered after this many ms
   * by a timer (no CPU spent waiting), each connection one request at a time. Default 0: at once.
   */
  readonly serviceMs?: number;
  /**
   * How many patron requests the ILS serves at once, over all its connections (its SIP server's
   * workers, or its database connections); the others wait their turn in arrival order. Default:
   * no bound (every connection at once). Only with serviceMs.
   */
  readonly workers?: number;
  /** Closes a connection that sent nothing for this long (an ILS's or a firewall's idle timeout). */
  readonly idleTimeoutMs?: number;
}

export interface ReceivedMessage {
  readonly code: string;
  /** The whole message as received, without its terminator. */
  readonly text: string;
  readonly connection: number;
}

export interface FakeIls {
  readonly host: string;
  readonly port: number;
  /** Every message received, in order (93 included: the test owns these credentials). */
  readonly received: ReceivedMessage[];
  /** How many of `code` were received. */
  count(code: string): number;
  /** Connections accepted so far. */
  readonly connections: () => number;
  /** Connections open now. */
  readonly openConnections: () => number;
  setFault(fault: IlsFault): void;
  /** Stops listening and drops every connection ("down"); `start()` listens again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Drops every open connection but keeps listening (an ILS restart, an idle timeout). */
  dropConnections(): void;
  /**
   * The connections open now never answer again and are never closed from this side (a firewall
   * that forgot them silently); new connections are served as usual.
   */
  silenceConnections(): void;
  close(): Promise<void>;
}

/** The checksum of the text up to and including AZ (reference section 2), written independently. */
export function fakeChecksum(text: string): string {
  let sum = 0;
  for (const byte of Buffer.from(text, 'utf8')) sum += byte;
  return ((-sum) & 0xffff).toString(16).toUpperCase().padStart(4, '0');
}

function fieldsOf(variable: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const segment of variable.split('|')) if (segment.length >= 2 && !fields.has(segment.slice(0, 2))) fields.set(segment.slice(0, 2), segment.slice(2));
  return fields;
}

export async function startFakeIls(options: FakeIlsOptions = {}): Promise<FakeIls> {
  const patrons = new Map((options.patrons ?? TRANSCRIPT_PATRONS).map((patron) => [patron.barcode, patron]));
  const login = options.login ?? { user: 'scclient', password: 'clientpwd' };
  const institution = options.institution ?? 'UWOLS';
  const date = options.date ?? '20261129    061540';
  const terminator = options.terminator ?? '\r';
  const received: ReceivedMessage[] = [];
  const sockets = new Set<Socket>();
  const silenced = new WeakSet<Socket>();
  let fault: IlsFault = 'none';
  let connectionCount = 0;
  let port = 0;

  const answerPatron = (code: '24' | '64', request: Map<string, string>, summary: string): string => {
    const barcode = request.get('AA') ?? '';
    const patron = patrons.get(barcode);
    const hasPin = request.has('AD');
    const noBl = fault === 'no-bl';
    const noCq = fault === 'no-cq';
    const bl = noBl ? '' : `BL${patron ? 'Y' : 'N'}|`;
    if (!patron) {
      const counts = code === '64' ? '0'.repeat(24) : '';
      return `${code}YYYY          001${date}${counts}AO${institution}|AA${barcode}|AE|${bl}`;
    }
    const pinOk = patron.pin !== undefined && request.get('AD') === patron.pin;
    // As recorded: the 24 always carries CQ for a known patron; the 64 only when AD was sent.
    const cq = noCq || (code === '64' && !hasPin) ? '' : `CQ${pinOk ? 'Y' : 'N'}|`;
    const status = patron.status ?? ' '.repeat(14);
    const language = patron.language ?? (code === '24' ? '001' : '000');
    const names = options.nameFirst ? `AE${patron.name}|AA${patron.barcode}|` : `AA${patron.barcode}|AE${patron.name}|`;
    if (code === '24') return `24${status}${language}${date}AO${institution}|${names}${bl}${cq}`;
    const fines = patron.fineItems ?? [];
    const counts = `000000000000${String(fines.length).padStart(4, '0')}00000000`; // hold, overdue, charged, fine, recall, unavailable
    let lists = '';
    const wanted = summary.indexOf('Y');
    if (wanted === 3) lists = [...fines, ...Array(Math.max(0, 5 - fines.length)).fill('')].map((item) => `AV${item}|`).join('');
    const extra = (list: ReadonlyArray<readonly [string, string]> | undefined): string => (list ?? []).map(([id, value]) => `${id}${value}|`).join('');
    return (
      `64${status}${language}${date}${counts}AO${institution}|${names}` +
      (patron.address !== undefined ? `BD${patron.address}|` : '') +
      (patron.email !== undefined ? `BE${patron.email}|` : '') +
      (patron.phone !== undefined ? `BF${patron.phone}|` : '') +
      extra(patron.before) +
      lists +
      bl +
      cq +
      extra(patron.after)
    );
  };

  const handle = (socket: Socket, state: { last: string | undefined; loggedIn: boolean }, text: string): void => {
    const code = text.slice(0, 2);
    received.push({ code, text, connection: (socket as Socket & { id?: number }).id ?? 0 });
    if (silenced.has(socket)) return;
    const trailer = /AY(\d)AZ([0-9A-Fa-f]{4})$/.exec(text);
    const resendOnly = /^9[67]AZ([0-9A-Fa-f]{4})$/.exec(text);
    let body = text;
    let sequence: string | undefined;
    if (trailer) {
      const throughAz = text.slice(0, -4);
      if (fakeChecksum(throughAz) !== (trailer[2] as string).toUpperCase()) {
        send(socket, '96AZFEF6', undefined, false);
        return;
      }
      body = text.slice(0, trailer.index);
      sequence = trailer[1];
    }
    const protectedMessage = trailer !== null || resendOnly !== null;
    const patronRequest = code === '23' || code === '63';
    if (patronRequest) {
      if (fault === 'hang') return;
      if (fault === 'close') {
        socket.destroy();
        return;
      }
      if (fault === 'garbage') {
        socket.write('\u0000\u0001HTTP/1.1 400 Bad Request\r\n\r\n');
        return;
      }
    }
    let answer: string | undefined;
    if (code === '93') {
      const fields = fieldsOf(body.slice(4));
      state.loggedIn = fault !== 'refuse-login' && fields.get('CN') === login.user && fields.get('CO') === login.password;
      answer = state.loggedIn ? '941' : '940';
    } else if (code === '99') {
      answer = `98YNNYNN600003${date}2.00AO${institution}|BXYYYYYYYYYNYNYYYY|`;
    } else if (code === '97') {
      if (state.last === undefined) answer = '96';
      else {
        // SIPServer's quirk: the old body re-stamped with the 97's sequence number, 0.
        const old = state.last.replace(/AY\dAZ[0-9A-F]{4}$/, '');
        send(socket, old, '0', true);
        return;
      }
    } else if (code === '23') {
      answer = answerPatron('24', fieldsOf(body.slice(23)), ' '.repeat(10));
    } else if (code === '63') {
      answer = answerPatron('64', fieldsOf(body.slice(33)), body.slice(23, 33));
    } else if (code === '35') {
      const fields = fieldsOf(body.slice(20));
      answer = `36Y${date}AO${institution}|AA${fields.get('AA') ?? ''}|AFThank you for using Evergreen!|`;
    } else if (code === '01') {
      const fields = fieldsOf(body.slice(21));
      const patron = patrons.get(fields.get('AA') ?? '');
      if (patron) patrons.set(patron.barcode, { ...patron, status: 'YYYY' + (patron.status ?? ' '.repeat(14)).slice(4) });
      answer = `24YYYY          000${date}AO${institution}|AA${fields.get('AA') ?? ''}|AE${patron?.name ?? ''}|BLY|CQN|AF${fields.get('AL') ?? ''}|`;
    } else {
      answer = undefined; // unsupported: silence, like a server that does not implement it
    }
    if (answer === undefined) return;
    if (patronRequest && fault === 'wrong-message') answer = `36Y${date}AO${institution}|AAx|`;
    const delay = fault === 'slow' && patronRequest ? options.slowMs ?? 1000 : patronRequest ? options.serviceMs ?? 0 : 0;
    const reply = (): void => {
      if (patronRequest && fault === 'close-mid-message') {
        socket.end(answer.slice(0, Math.floor(answer.length / 2)));
        return;
      }
      const stampedSequence = fault === 'wrong-sequence' && sequence !== undefined ? String((Number(sequence) + 5) % 10) : sequence;
      state.last = send(socket, answer, stampedSequence, protectedMessage);
    };
    if (delay > 0 && fault !== 'slow' && options.workers !== undefined) inTurn(() => setTimeout(() => {
      reply();
      nextInTurn();
    }, delay).unref());
    else if (delay > 0) setTimeout(reply, delay).unref();
    else reply();
  };

  // options.workers: at most that many lookups in service; the rest queue in arrival order.
  let serving = 0;
  const queue: Array<() => void> = [];
  const inTurn = (start: () => void): void => {
    if (serving < (options.workers ?? Number.POSITIVE_INFINITY)) {
      serving++;
      start();
    } else queue.push(start);
  };
  const nextInTurn = (): void => {
    const start = queue.shift();
    if (start === undefined) serving--;
    else start();
  };

  /** Writes an answer with the request's AY and a checksum when the request had them; returns the wire text. */
  const send = (socket: Socket, body: string, sequence: string | undefined, checksummed: boolean): string => {
    let text = body;
    if (checksummed) {
      text += sequence !== undefined ? `AY${sequence}AZ` : 'AZ';
      let checksum = fakeChecksum(text);
      if (fault === 'wrong-checksum' && !body.startsWith('96')) checksum = ((Number.parseInt(checksum, 16) + 1) & 0xffff).toString(16).toUpperCase().padStart(4, '0');
      text += options.lowercaseChecksum ? checksum.toLowerCase() : checksum;
    }
    const wire = text + terminator;
    if (options.splitWrites) {
      const third = Math.max(1, Math.floor(wire.length / 3));
      socket.write(wire.slice(0, third));
      setTimeout(() => socket.write(wire.slice(third, 2 * third)), 2).unref();
      setTimeout(() => socket.write(wire.slice(2 * third)), 4).unref();
    } else socket.write(wire);
    return text;
  };

  const onConnection = (socket: Socket): void => {
    connectionCount++;
    (socket as Socket & { id?: number }).id = connectionCount;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const state = { last: undefined as string | undefined, loggedIn: false };
    let pending = '';
    socket.setEncoding('utf8');
    if (options.idleTimeoutMs !== undefined) {
      socket.setTimeout(options.idleTimeoutMs, () => {
        if (!silenced.has(socket)) socket.destroy();
      });
    }
    socket.on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split(/\r\n|\r|\n/);
      pending = parts.pop() ?? '';
      for (const part of parts) if (part !== '' && !socket.destroyed) handle(socket, state, part);
    });
  };

  let server: Server = makeServer();
  function makeServer(): Server {
    return options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, onConnection) : createTcpServer(onConnection);
  }
  const listen = async (): Promise<void> => {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    port = (server.address() as AddressInfo).port;
  };
  const dropConnections = (): void => {
    for (const socket of sockets) socket.destroy();
  };
  const stop = async (): Promise<void> => {
    dropConnections();
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  await listen();

  return {
    host: '127.0.0.1',
    get port() {
      return port;
    },
    received,
    count: (code) => received.filter((message) => message.code === code).length,
    connections: () => connectionCount,
    openConnections: () => sockets.size,
    setFault(next) {
      fault = next;
    },
    stop,
    async start() {
      server = makeServer();
      await listen();
    },
    dropConnections,
    silenceConnections() {
      for (const socket of sockets) silenced.add(socket);
    },
    close: stop,
  };
}
