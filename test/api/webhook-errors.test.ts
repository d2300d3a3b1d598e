import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { signedWebhook } from '../../src/integrations/stripe/sandbox';
import { WEBHOOK_SECRET } from '../support/aegis';
import { spawnOnFreshDatabase } from '../support/server-process';
import { ownerSql } from '../support/sql';

/**
 * What the gateway webhook answers to bodies it cannot use, from the built server in development (where Express's
 * own error page shows stack traces and absolute paths): always a JSON 4xx, one JSON log line, nothing on stderr.
 */
const ROOT = path.resolve(__dirname, '..', '..');
let env: Awaited<ReturnType<typeof spawnOnFreshDatabase>>;
let url: string;
const out = () => env.server.output();

beforeAll(async () => {
  env = await spawnOnFreshDatabase({ NODE_ENV: 'development', EXPIRY_JOB_CRON: 'off' });
  url = env.server.url;
}, 60_000);
afterAll(() => env?.close());

const inboxCount = async () => (await ownerSql(env.dbUrl, `select count(*)::int as n from webhook_events`))[0].n as number;
const signed = (payload: string) => ({ 'content-type': 'application/json', 'stripe-signature': signedWebhook(payload, WEBHOOK_SECRET) });

/** Posts raw bytes, as curl --data-binary would. */
async function post(requestId: string, body: Buffer | string, headers: Record<string, string>) {
  // What the server prints from here on is this request's (the start-up banner before it is text for a terminal).
  const printedFrom = out().length;
  const res = await fetch(`${url}/webhooks/stripe`, { method: 'POST', headers: { ...headers, 'x-request-id': requestId }, body });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text(), printedFrom };
}

/** A JSON 4xx without HTML, stack or path; and the request logged as one JSON line. */
async function expectJsonRefusal(requestId: string, r: Awaited<ReturnType<typeof post>>, status: number) {
  expect([requestId, r.status]).toEqual([requestId, status]);
  expect(r.type).toMatch(/^application\/json/);
  expect(() => JSON.parse(r.text)).not.toThrow();
  expect(JSON.parse(r.text)).toEqual({ error: expect.any(String), code: expect.stringMatching(/^[A-Z_]+$/) });
  expect(r.text).not.toMatch(/<[a-z!]/i);
  expect(r.text).not.toContain(ROOT);
  expect(r.text).not.toMatch(/\bat \S+ \(/);
  await new Promise((res) => setTimeout(res, 100));
  const lines = out().slice(r.printedFrom).split('\n').filter(Boolean);
  for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  expect(lines.map((l) => JSON.parse(l)).filter((l) => l.requestId === requestId && l.level >= 40)).toEqual([expect.objectContaining({ requestId })]);
}

describe('POST /webhooks/stripe answers what it cannot use as JSON', () => {
  it('a body over 1 MB: 413', async () => {
    const before = await inboxCount();
    const big = JSON.stringify({ id: 'evt_big', padding: 'x'.repeat(1024 * 1024 + 10) });
    await expectJsonRefusal('too-large', await post('too-large', big, signed(big)), 413);
    expect(await inboxCount()).toBe(before);
  });

  it('an unknown Content-Encoding: 415', async () => {
    await expectJsonRefusal('br-unknown', await post('br-unknown', '{}', { 'content-type': 'application/json', 'content-encoding': 'br-unknown', 'stripe-signature': 't=1,v1=x' }), 415);
  });

  it('a body that claims gzip and is not: 400', async () => {
    await expectJsonRefusal('bad-gzip', await post('bad-gzip', 'this is not gzip at all', { 'content-type': 'application/json', 'content-encoding': 'gzip', 'stripe-signature': 't=1,v1=x' }), 400);
    const truncated = gzipSync(Buffer.from('{"id":"evt_1"}')).subarray(0, 12);
    await expectJsonRefusal('cut-gzip', await post('cut-gzip', truncated, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'stripe-signature': 't=1,v1=x' }), 400);
  });

  it.each([
    ['without data', { id: 'evt_nodata', object: 'event', type: 'payment_intent.succeeded' }],
    ['with data null', { id: 'evt_null', object: 'event', type: 'payment_intent.succeeded', data: null }],
    ['with an empty intent', { id: 'evt_empty', object: 'event', type: 'payment_intent.succeeded', data: { object: {} } }],
    ['with an intent lacking amount and currency', { id: 'evt_noamount', object: 'event', type: 'payment_intent.succeeded', data: { object: { id: 'pi_1', metadata: {} } } }],
    ['with an intent whose amount is text', { id: 'evt_textamount', object: 'event', type: 'payment_intent.succeeded', data: { object: { id: 'pi_1', amount: '100', currency: 'eur' } } }],
    ['with a string for the intent', { id: 'evt_str', object: 'event', type: 'payment_intent.payment_failed', data: { object: 'pi_1' } }],
    ['a decline without data', { id: 'evt_fail', object: 'event', type: 'payment_intent.payment_failed' }],
    ['without an event id', { object: 'event', type: 'payment_intent.succeeded', data: { object: { id: 'pi_1', amount: 1, currency: 'eur' } } }],
    ['without a type', { id: 'evt_notype', object: 'event' }],
    ['that is not an object', ['evt_array']],
    ['that is null', null],
  ])('a signed payload %s: 400, nothing recorded', async (what, event) => {
    const before = await inboxCount();
    const payload = JSON.stringify(event);
    await expectJsonRefusal(`signed-${what.replace(/\W+/g, '-')}`, await post(`signed-${what.replace(/\W+/g, '-')}`, payload, signed(payload)), 400);
    expect(await inboxCount()).toBe(before);
  });

  it('wrote nothing to stderr: every line the server printed is JSON on stdout', () => {
    expect(env.server.errors()).toBe('');
  });
});
