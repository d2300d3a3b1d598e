import express, { type Router } from 'express';
import type { DomainDeps } from '../domain/deps';
import { applyPaymentEvent, type PaymentEventOutcome } from '../domain/order/commands/apply-payment-event';
import { MalformedEventError, WebhookSignatureError } from '../domain/order/ports';
import type { Orm } from '../db/orm';
import { requestLogger, type RequestLogContext } from '../logger';
import type { AegisMetrics, WebhookOutcome } from '../metrics/registry';
import { requestIdOf } from './request-id';
import { databaseUnreachable, serviceUnavailableBody } from './service-unavailable';

/** A payment declined is applied too: it moved the order to PAYMENT_FAILED. */
const COUNTED_AS: Record<PaymentEventOutcome, WebhookOutcome> = {
  confirmed: 'applied',
  failed: 'applied',
  recorded: 'applied',
  duplicate: 'duplicate',
  unmatched: 'unmatched',
  unhandled: 'unhandled',
};

/**
 * POST /webhooks/:provider (Stripe's stays /webhooks/stripe). The provider's adapter verifies the signature before
 * anything of the body is read and translates the event into the domain's words;
 * the verified, typed event then goes to the Commerce Engine, which records it and applies it in one
 * transaction. Bad signature, or a signed event without the fields read: 400, nothing written. Duplicate or
 * unhandled: 200. A fault: 500, so the gateway delivers again; the database out of reach: 503, the same. Every
 * answer is JSON. Its lines, the domain's included, carry the request id and the site the event names.
 */
export function paymentWebhookRouter(orm: Orm, deps: DomainDeps, metrics: AegisMetrics): Router {
  const router = express.Router();
  router.post('/webhooks/:provider', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const webhooks = deps.payments.webhooks(String(req.params.provider));
    if (!webhooks) {
      res.status(404).json({ error: 'no such payment provider', code: 'NOT_FOUND' });
      return;
    }
    // Counted per registered provider (a bounded set), as /webhooks/stripe was before there were several.
    res.locals.route = `/webhooks/${webhooks.provider}`;
    const context: RequestLogContext = { requestId: requestIdOf(res), actor: 'gateway', provider: webhooks.provider };
    const log = requestLogger(deps.log, context);
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let event;
    try {
      event = webhooks.verify(body, (name) => req.header(name));
    } catch (err) {
      if (err instanceof MalformedEventError) {
        log.error({ reason: err.message, ip: req.ip }, 'gateway webhook refused: a signed event without the fields Aegis reads');
        res.status(400).json({ error: 'malformed event', code: 'MALFORMED_EVENT' });
        return;
      }
      if (!(err instanceof WebhookSignatureError)) throw err;
      const fields = { reason: err.message, ip: req.ip };
      log.error(fields, 'gateway webhook signature rejected');
      deps.alerts.raise({ kind: 'webhook_signature_rejected', message: 'A gateway webhook was refused: bad or stale signature', fields });
      metrics.webhookEvent('signature_rejected');
      res.status(400).json({ error: 'invalid signature' });
      return;
    }
    if (event.kind !== 'unhandled' && event.intent.siteId) context.siteId = event.intent.siteId;
    try {
      const outcome = await applyPaymentEvent(orm.em.fork(), { ...deps, log }, event);
      metrics.webhookEvent(COUNTED_AS[outcome]);
      log.info({ eventId: event.eventId, type: event.type, outcome }, 'gateway event handled');
      res.status(200).json({ received: true, outcome });
    } catch (err) {
      metrics.webhookEvent('failed');
      const unreachable = databaseUnreachable(err);
      if (unreachable) {
        // 503: the gateway delivers it again, and the event is applied once the database is back.
        log.error({ eventId: event.eventId, type: event.type, reason: unreachable }, 'gateway event deferred: database unreachable');
        res.status(503).json(serviceUnavailableBody());
        return;
      }
      log.error({ err, eventId: event.eventId, type: event.type }, 'gateway event failed; the gateway will deliver it again');
      res.status(500).json({ error: 'event not processed' });
    }
  });
  return router;
}
