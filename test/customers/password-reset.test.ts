import { mkdtempSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CurrentCustomerDocument,
  RequestPasswordResetDocument,
  ResetPasswordDocument,
  SetCustomerDisabledDocument,
} from '../../clients/generated/graphql';
import { loadConfig } from '../../src/config';
import { createMailer } from '../../src/integrations/mail';
import { logger } from '../../src/logger';
import { StartError } from '../../src/start-error';
import { startTestAegis, type TestAegis } from '../support/aegis';
import { TestClock } from '../support/clock';
import { createSite } from '../support/flows';
import { ownerSql } from '../support/sql';
import { productionEnv } from '../support/production-env';
import { auditOf, code, customerAccount, loginCustomer, newEmail, WINDOW_MS } from './accounts-support';

const NEW_PASSWORD = 'a-brand-new-password';
const requestReset = (t: TestAegis, siteId: string, email: string) => t.op(RequestPasswordResetDocument, { siteId, email });
const reset = (t: TestAegis, siteId: string, token: string, password = NEW_PASSWORD) =>
  t.op(ResetPasswordDocument, { siteId, token, password });

/** The reset code of the last reset mail to `email` in the development outbox. */
function mailedCode(t: TestAegis, email: string): string {
  const mail = t.aegis
    .outbox!.to(email)
    .filter((m) => m.kind === 'customer.passwordReset')
    .at(-1);
  if (!mail) throw new Error(`no reset mail to ${email}`);
  return mail.text.match(/^([A-Za-z0-9_-]{43})$/m)![1];
}

describe('password reset through the development outbox', () => {
  const clock = new TestClock();
  let t: TestAegis;
  let siteId: string;
  beforeAll(async () => {
    t = await startTestAegis({ clock });
    siteId = await createSite(t, 'Reset shop');
  });
  afterAll(() => t.close());
  beforeEach(() => clock.advance(WINDOW_MS + 1));

  it('answers alike whatever the email, and mails a code only to a customer of the site', async () => {
    const { email } = await customerAccount(t, siteId);
    const known = await requestReset(t, siteId, email);
    const unknown = await requestReset(t, siteId, newEmail('nobody'));
    expect(unknown.data).toEqual(known.data);
    expect(known.data?.requestPasswordReset).toEqual({ accepted: true, userErrors: [] });
    expect(t.aegis.outbox!.to(email).filter((m) => m.kind === 'customer.passwordReset')).toHaveLength(1);
    expect(t.aegis.outbox!.messages.filter((m) => m.kind === 'customer.passwordReset' && m.to !== email)).toEqual([]);
    // Only the code's digest is stored.
    const rows = await ownerSql(t.dbUrl, `select token_hash from password_resets where site_id = $1`, [siteId]);
    expect(rows.map((r) => r.token_hash)).not.toContain(mailedCode(t, email));
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('sets the new password once, revokes every earlier token, and is audited', async () => {
    const { email, token, customerId } = await customerAccount(t, siteId);
    await requestReset(t, siteId, email);
    const resetCode = mailedCode(t, email);
    expect((await reset(t, siteId, resetCode)).data?.resetPassword).toEqual({ accepted: true, userErrors: [] });
    expect(code(await t.op(CurrentCustomerDocument, { siteId }, { token }))).toBe('UNAUTHENTICATED');
    expect((await loginCustomer(t, siteId, email)).data?.customerLogin.token).toBeNull();
    const login = await loginCustomer(t, siteId, email, NEW_PASSWORD);
    expect(login.data?.customerLogin.customer?.id).toBe(customerId);
    // Single use: the same code again changes nothing.
    const twice = await reset(t, siteId, resetCode, 'yet-another-password');
    expect(twice.data?.resetPassword).toMatchObject({ accepted: false, userErrors: [{ code: 'INVALID_CREDENTIALS', field: ['token'] }] });
    expect((await loginCustomer(t, siteId, email, NEW_PASSWORD)).data?.customerLogin.token).toEqual(expect.any(String));
    const entries = (await auditOf(t, siteId)).filter((e) => e.entityId === customerId && e.action.startsWith('customer.password'));
    expect(entries.map((e) => [e.action, e.actor])).toEqual([
      ['customer.passwordResetRequested', 'system:storefront'],
      ['customer.passwordReset', `customer:${customerId}`],
    ]);
  });

  it('expires after 30 minutes', async () => {
    const { email } = await customerAccount(t, siteId);
    await requestReset(t, siteId, email);
    const early = mailedCode(t, email);
    clock.advance(29 * 60 * 1000);
    await requestReset(t, siteId, email);
    const late = mailedCode(t, email);
    clock.advance(60 * 1000 + 1);
    // The first code is 30 minutes old: refused. The second, one minute old, still spends.
    expect((await reset(t, siteId, early)).data?.resetPassword.userErrors.map((e) => e.code)).toEqual(['INVALID_CREDENTIALS']);
    expect((await reset(t, siteId, late)).data?.resetPassword.accepted).toBe(true);
  });

  it('spends the other unspent codes with the first, and refuses codes of another site or of a disabled customer', async () => {
    const { email } = await customerAccount(t, siteId);
    await requestReset(t, siteId, email);
    const first = mailedCode(t, email);
    await requestReset(t, siteId, email);
    const second = mailedCode(t, email);
    expect(second).not.toBe(first);
    const otherSite = await createSite(t, 'Other reset shop');
    expect((await reset(t, otherSite, second)).data?.resetPassword.accepted).toBe(false);
    expect((await reset(t, siteId, second)).data?.resetPassword.accepted).toBe(true);
    expect((await reset(t, siteId, first)).data?.resetPassword.accepted).toBe(false);
    expect((await reset(t, siteId, 'x'.repeat(5000))).data?.resetPassword.userErrors.map((e) => e.code)).toEqual(['INVALID_CREDENTIALS']);
    const disabled = await customerAccount(t, siteId);
    await requestReset(t, siteId, disabled.email);
    const disabledCode = mailedCode(t, disabled.email);
    await t.op(SetCustomerDisabledDocument, { siteId, customerId: disabled.customerId, disabled: true }, { token: await t.superToken() });
    expect((await reset(t, siteId, disabledCode)).data?.resetPassword.accepted).toBe(false);
    const short = await reset(t, siteId, first, 'short');
    expect(short.data?.resetPassword.userErrors.map((e) => [e.code, e.field])).toEqual([['VALIDATION', ['password']]]);
  });

  it('limits reset requests per client', async () => {
    const { email } = await customerAccount(t, siteId);
    for (let i = 0; i < 5; i++) expect((await requestReset(t, siteId, email)).data?.requestPasswordReset.accepted).toBe(true);
    expect((await requestReset(t, siteId, email)).data?.requestPasswordReset.userErrors.map((e) => e.code)).toEqual(['RATE_LIMITED']);
  });
});

/** A minimal SMTP server on loopback: enough of RFC 5321 for one plain-text message per connection. */
function fakeSmtp(): Promise<{ port: number; messages: string[]; close(): Promise<void> }> {
  const messages: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let data: string | null = null;
    let buffer = '';
    socket.write('220 fake ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data !== null) {
          if (line === '.') {
            messages.push(data);
            data = null;
            socket.write('250 queued\r\n');
          } else data += `${line}\n`;
        } else if (/^(EHLO|HELO)/i.test(line)) socket.write('250 fake\r\n');
        else if (/^DATA/i.test(line)) {
          data = '';
          socket.write('354 go on\r\n');
        } else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as { port: number }).port,
        messages,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    ),
  );
}

describe('with SMTP_URL, nodemailer sends', () => {
  it('hands the reset mail to the SMTP server, from MAIL_FROM, and keeps no outbox', async () => {
    const smtp = await fakeSmtp();
    const t = await startTestAegis({ env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: 'Shop <shop@example.com>' } });
    try {
      expect(t.aegis.outbox).toBeNull();
      const siteId = await createSite(t, 'SMTP shop');
      const { email } = await customerAccount(t, siteId);
      expect((await requestReset(t, siteId, email)).data?.requestPasswordReset.accepted).toBe(true);
      // The answer does not wait for the mail: wait for the server to have it.
      for (let i = 0; i < 100 && !smtp.messages.some((m) => /Reset your password/.test(m)); i++)
        await new Promise((r) => setTimeout(r, 50));
      const resetMail = smtp.messages.find((m) => /Reset your password/.test(m));
      expect(resetMail).toMatch(/^From: Shop <shop@example\.com>$/m);
      expect(resetMail).toContain(`To: ${email}`);
      expect(smtp.messages.some((m) => /Welcome to SMTP shop/.test(m))).toBe(true);
    } finally {
      await t.close();
      await smtp.close();
    }
  });
});

describe('production without SMTP_URL', () => {
  it('does not offer resets (NOT_AVAILABLE), alike for every email', async () => {
    const t = await startTestAegis({ env: { NODE_ENV: 'production', HOST: '127.0.0.1' } });
    try {
      const siteId = await createSite(t, 'No mail shop');
      const { email } = await customerAccount(t, siteId);
      const known = await requestReset(t, siteId, email);
      expect(known.data?.requestPasswordReset).toEqual({
        accepted: false,
        userErrors: [{ code: 'NOT_AVAILABLE', message: expect.stringContaining('SMTP_URL'), field: null }],
      });
      expect((await requestReset(t, siteId, newEmail())).data).toEqual(known.data);
      expect(await ownerSql(t.dbUrl, `select id from password_resets`)).toEqual([]);
      expect(t.aegis.outbox).toBeNull();
    } finally {
      await t.close();
    }
  });

  it('config: SMTP_URL must be smtp(s), MAIL_FROM goes with it in production, and no mailer delivers without it', () => {
    const base = { DATA_DIR: mkdtempSync(path.join(tmpdir(), 'aegis-mail-')) };
    const production = productionEnv(base.DATA_DIR);
    expect(loadConfig(production).mail).toEqual({ smtpUrl: undefined, from: 'Aegis <no-reply@aegis.local>' });
    expect(createMailer(loadConfig(production).mail, { production: true, test: false }, logger).mailer.delivers).toBe(false);
    expect(() => loadConfig({ ...production, SMTP_URL: 'smtp://mail.example.com:587' })).toThrow(
      'MAIL_FROM is required when NODE_ENV=production',
    );
    const sending = loadConfig({ ...production, SMTP_URL: 'smtps://u:p@mail.example.com:465', MAIL_FROM: 'Shop <s@example.com>' });
    expect(createMailer(sending.mail, { production: true, test: false }, logger)).toMatchObject({
      mailer: { delivers: true },
      outbox: null,
    });
    expect(() => loadConfig({ ...base, SMTP_URL: 'http://mail.example.com' })).toThrow(StartError);
    expect(() => loadConfig({ ...base, SMTP_URL: 'not a url' })).toThrow('SMTP_URL must be an smtp:// or smtps:// URL');
    expect(createMailer(loadConfig(base).mail, { production: false, test: false }, logger).outbox).not.toBeNull();
  });
});
