import { startGateway, testContract, type Harness } from './gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from './recording-upstream.ts';

/** A gateway with one signed-in patron (notices accepted) and one vendor that records everything it receives. */
export interface OneVendor {
  readonly gateway: Harness;
  readonly upstream: RecordingUpstream;
  /** The patron's Cookie header. */
  readonly cookie: string;
  close(): Promise<void>;
}

/** Starts it: `contract` is the contract body after id, name, dates and upstream (see testContract). */
export async function startOneVendor(options: { patron: { barcode: string } & Record<string, unknown>; vendor: string; contract: string }): Promise<OneVendor> {
  const upstream = await startRecordingUpstream();
  const gateway = await startGateway({ patrons: [{ record: options.patron, pin: '1111' }], contracts: { [options.vendor]: testContract(options.vendor, upstream.url, options.contract) } });
  const cookie = await gateway.login(options.patron.barcode, '1111');
  return {
    gateway,
    upstream,
    cookie,
    async close() {
      await gateway.close();
      await upstream.close();
    },
  };
}
