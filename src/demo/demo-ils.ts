/**
 * The embedded demo's ILS: a small SIP2 server on loopback that answers from the demo patron file
 * (PINs checked against its hashes through the file source), so a newcomer can switch
 * `patrons.source: sip2` and see a SIP2 sign-in end to end. It answers 93 (any login: loopback
 * demo only), 99, 23, 63 (never an item list), 35 and 97; anything else closes the connection.
 * Its 64 carries what a real Evergreen would (AE, BD, BE, BF, AQ, PB, PC, XI), so that the
 * mediator and the dialect have something to minimize. Never started when NODE_ENV=production.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Patron } from '../policy/patron.ts';
import type { PatronSource } from '../patrons/patron-source.ts';
import { computeChecksum } from '../sip2/checksum.ts';
import { createSip2Framer } from '../sip2/framer.ts';
import { parseSip2Message } from '../sip2/parse-message.ts';
import { CLEAR_PATRON_STATUS, type PatronStatus } from '../sip2/patron-status.ts';
import { renderSip2Message } from '../sip2/render-message.ts';
import type { Sip2Sequence } from '../sip2/sequence.ts';
import { formatSip2Date } from '../sip2/sip2-date.ts';
import type { Sip2Message } from '../sip2/sip2-message.ts';

export interface DemoIlsOptions {
  /** The demo patrons (the file source): lookups and PIN checks. */
  readonly patrons: PatronSource;
  readonly institution: string;
  readonly now: () => number;
}

/** The status of an unknown card, as real servers send it. */
const UNKNOWN_STATUS: PatronStatus = { ...CLEAR_PATRON_STATUS, chargePrivilegesDenied: true, renewalPrivilegesDenied: true, recallPrivilegesDenied: true, holdPrivilegesDenied: true };

/** The extension fields of the demo's 64, Evergreen-style (reference section 6). */
function describePatron(patron: Patron): { name: string; address?: string | undefined; extensions: Array<[string, string]> } {
  const name = [patron.firstName, patron.lastName].filter((part) => part !== undefined).join(' ');
  const address = patron.address === undefined ? undefined : [patron.address.street, patron.address.city, [patron.address.state, patron.address.postalCode].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  const extensions: Array<[string, string]> = [];
  if (patron.homeBranch !== undefined) extensions.push(['AQ', patron.homeBranch]);
  if (patron.birthDate !== undefined) extensions.push(['PB', patron.birthDate.replaceAll('-', '')]);
  if (patron.patronType !== undefined) extensions.push(['PC', patron.patronType]);
  extensions.push(['XI', patron.patronId]);
  return { name, address, extensions };
}

export function createDemoIlsServer(options: DemoIlsOptions): Server {
  const answerPatron = async (request: Extract<Sip2Message, { code: '23' | '63' }>): Promise<Sip2Message> => {
    const pin = request.patronPassword;
    const known = await options.patrons.findByBarcode(request.patronIdentifier);
    const pinOk = known !== undefined && pin !== undefined && pin !== '' && (await options.patrons.authenticate(request.patronIdentifier, pin)) !== undefined;
    const base = {
      language: '000',
      transactionDate: formatSip2Date(options.now()),
      institutionId: options.institution,
      patronIdentifier: request.patronIdentifier,
      screenMessages: [],
      printLines: [],
      validPatron: known !== undefined,
    };
    const cq = known === undefined || (request.code === '63' && pin === undefined) ? {} : { validPatronPassword: pinOk };
    if (request.code === '23') return { code: '24', patronStatus: known ? CLEAR_PATRON_STATUS : UNKNOWN_STATUS, personalName: known ? describePatron(known).name : '', ...base, ...cq };
    const lists = { holdItems: [], overdueItems: [], chargedItems: [], fineItems: [], recallItems: [], unavailableHoldItems: [] };
    const counts = { holdItemsCount: 0, overdueItemsCount: 0, chargedItemsCount: 0, fineItemsCount: 0, recallItemsCount: 0, unavailableHoldsCount: 0 };
    if (known === undefined) return { code: '64', patronStatus: UNKNOWN_STATUS, personalName: '', ...counts, ...lists, ...base };
    const described = describePatron(known);
    return {
      code: '64',
      patronStatus: CLEAR_PATRON_STATUS,
      personalName: described.name,
      ...counts,
      ...lists,
      ...base,
      ...cq,
      ...(described.address ? { homeAddress: described.address } : {}),
      ...(known.email ? { emailAddress: known.email } : {}),
      ...(known.phone ? { homePhoneNumber: known.phone } : {}),
    };
  };

  const answer = async (message: Sip2Message): Promise<Sip2Message | undefined> => {
    switch (message.code) {
      case '93':
        return { code: '94', ok: true };
      case '99':
        return {
          code: '98', onlineStatus: true, checkinOk: false, checkoutOk: false, acsRenewalPolicy: false, statusUpdateOk: false, offlineOk: false,
          timeoutPeriod: '600', retriesAllowed: '003', dateTimeSync: formatSip2Date(options.now()), protocolVersion: '2.00',
          institutionId: options.institution, libraryName: 'Demo Library', supportedMessages: 'YNNNYYYYYNNNNNNN', screenMessages: [], printLines: [],
        };
      case '23':
      case '63':
        return answerPatron(message);
      case '35':
        return { code: '36', endSession: true, transactionDate: formatSip2Date(options.now()), institutionId: options.institution, patronIdentifier: message.patronIdentifier, screenMessages: [], printLines: [] };
      default:
        return undefined;
    }
  };

  return createServer((socket: Socket) => {
    const framer = createSip2Framer();
    let last: { message: Sip2Message; extensions: string } | undefined;
    let queue = Promise.resolve();
    const write = (message: Sip2Message, extensions: string, sequence: Sip2Sequence | undefined, protectedMessage: boolean): void => {
      // Extension fields are appended by hand before the trailer: the codec never renders unknown fields.
      const text = Buffer.from(renderSip2Message(message)).toString('utf8').slice(0, -1) + extensions;
      socket.write(protectedMessage ? renderWithTrailer(text, sequence) : Buffer.from(`${text}\r`, 'utf8'));
    };
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      const framed = framer.push(chunk);
      if (framed.overflow) {
        socket.destroy();
        return;
      }
      for (const bytes of framed.messages) {
        queue = queue.then(async () => {
          if (socket.destroyed) return;
          const parsed = parseSip2Message(bytes);
          if (!parsed.ok) {
            if (parsed.reason === 'bad_checksum') socket.write(renderSip2Message({ code: '96' }, { errorDetection: true }));
            else socket.destroy();
            return;
          }
          const protectedMessage = parsed.checksum !== 'absent';
          if (parsed.message.code === '97') {
            if (last === undefined) socket.write(renderSip2Message({ code: '96' }, { errorDetection: protectedMessage }));
            else write(last.message, last.extensions, 0, protectedMessage);
            return;
          }
          const response = await answer(parsed.message);
          if (response === undefined) {
            socket.destroy();
            return;
          }
          let extensions = '';
          if (response.code === '64' && response.validPatron === true) {
            const known = await options.patrons.findByBarcode(response.patronIdentifier);
            if (known !== undefined) extensions = describePatron(known).extensions.map(([id, value]) => `${id}${value.replaceAll('|', ' ')}|`).join('');
          }
          last = { message: response, extensions };
          write(response, extensions, parsed.sequence, protectedMessage);
        });
      }
    });
  });
}

/** `text` (no terminator) with AY, AZ and its checksum, then CR. */
function renderWithTrailer(text: string, sequence: Sip2Sequence | undefined): Buffer {
  const throughAz = Buffer.from(`${text}AY${sequence ?? 0}AZ`, 'utf8');
  return Buffer.concat([throughAz, Buffer.from(`${computeChecksum(throughAz)}\r`, 'ascii')]);
}
