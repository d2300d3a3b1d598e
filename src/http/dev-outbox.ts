import express from 'express';
import type { DevOutbox } from '../integrations/mail';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * GET /dev/outbox?to=<email>: the mails the development outbox kept (no SMTP_URL, never in production), newest
 * first, so a developer can follow a password reset in the storefront by hand. Reset codes are in them: only a
 * client on this machine is answered, whatever HOST the server listens on.
 */
export function devOutboxRouter(outbox: DevOutbox): express.Router {
  const router = express.Router();
  router.get('/dev/outbox', (req, res) => {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
      res.status(403).json({ error: 'the development outbox answers only clients on this machine', code: 'FORBIDDEN' });
      return;
    }
    const to = typeof req.query.to === 'string' ? req.query.to.trim().toLowerCase() : null;
    const messages = (to ? outbox.to(to) : outbox.messages).slice(-50).reverse();
    res
      .set('cache-control', 'no-store')
      .json({ messages: messages.map((m) => ({ to: m.to, subject: m.subject, text: m.text, kind: m.kind })) });
  });
  return router;
}
