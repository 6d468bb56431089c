import type { Logger } from '../log/create-logger.ts';
import type { NoticeGate } from '../proxy/gate/gate-stage.ts';
import { clientWantsHtml } from '../http/client-wants-html.ts';
import { resolveSafeNext } from '../sessions/safe-next.ts';
import type { AcknowledgementStore } from './acknowledgements.ts';

/**
 * The notice gate: a patron reaches a vendor only after accepting its current notice version.
 * Browsers are redirected to the notice (and come back afterwards); other clients get 428 with the
 * notice's URL. The consents chosen there are what the proxy releases.
 */
export function createNoticeGate(deps: { store: AcknowledgementStore; publicUrl: string; logger?: Logger }): NoticeGate {
  const origin = new URL(deps.publicUrl).origin;
  return {
    async acknowledged(context) {
      const { patron, contract } = context;
      if (!patron || !contract) return undefined;
      const ack = (await deps.store.read(context.req, patron.patronId))[contract.id];
      return ack && ack.version === contract.noticeVersion ? ack.consents : undefined;
    },
    require(context) {
      const vendor = context.contract?.id ?? '';
      const res = context.res;
      res.setHeader('Cache-Control', 'no-store');
      if (clientWantsHtml(context.req) && (context.req.method === 'GET' || context.req.method === 'HEAD')) {
        const referer = context.req.headers.referer;
        const back = referer && referer.startsWith(`${origin}/`) ? resolveSafeNext(referer.slice(origin.length), origin) : '/';
        res.statusCode = 303;
        res.setHeader('Location', `/notices/${vendor}?next=${encodeURIComponent(context.req.url ?? '/')}&back=${encodeURIComponent(back)}`);
        res.end();
        return;
      }
      const body = JSON.stringify({ error: 'notice_required', message: 'Please read and accept the notice for this service first.', notice: `${origin}/notices/${vendor}` });
      res.statusCode = 428;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Content-Length', Buffer.byteLength(body));
      res.end(body);
    },
  };
}
