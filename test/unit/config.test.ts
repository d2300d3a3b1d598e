import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { hashPassword, usePasswordCost, verifyPassword } from '../../src/domain/identity/passwords';
import { StartError } from '../../src/start-error';
import { productionEnv } from '../support/production-env';

const dataDir = mkdtempSync(path.join(tmpdir(), 'aegis-config-'));
const base = { DATA_DIR: dataDir };

describe('the payment gateway configuration', () => {
  it('serves the offline sandbox when no Stripe key and no API base are set, outside production', () => {
    const config = loadConfig({ ...base, NODE_ENV: 'development' });
    expect(config.stripe.sandbox).toEqual({ port: 0 });
    expect(config.stripe.secretKey).toBe('sk_test_aegis_sandbox');
    expect(config.stripe.publishableKey).toBe('pk_test_aegis_sandbox');
    expect(loadConfig({ ...base, STRIPE_SANDBOX_PORT: '12111' }).stripe.sandbox).toEqual({ port: 12111 });
  });

  it('uses the configured gateway, with no sandbox, as soon as a key or an API base is given', () => {
    expect(loadConfig({ ...base, STRIPE_SECRET_KEY: 'sk_test_real' }).stripe).toMatchObject({
      secretKey: 'sk_test_real',
      sandbox: null,
      publishableKey: undefined,
    });
    expect(loadConfig({ ...base, STRIPE_API_BASE: 'http://127.0.0.1:12111' }).stripe.sandbox).toBeNull();
  });

  it('refuses to start the sandbox in production, naming the variable to set', () => {
    const production = {
      ...base,
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://x@127.0.0.1/x',
      JWT_SECRET: 'x'.repeat(40),
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
    };
    expect(() => loadConfig(production)).toThrow(StartError);
    expect(() => loadConfig(production)).toThrow(
      'STRIPE_SECRET_KEY is required when NODE_ENV=production (the offline payment sandbox never runs in production)',
    );
    expect(loadConfig({ ...production, STRIPE_SECRET_KEY: 'sk_live_x' }).stripe.sandbox).toBeNull();
  });

  it('refuses a production JWT_SECRET shorter than 32 bytes (`changeme` signs tokens anyone can forge)', () => {
    const production = {
      ...base,
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://x@127.0.0.1/x',
      STRIPE_SECRET_KEY: 'sk_live_x',
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
    };
    for (const short of ['changeme', 'x'.repeat(31)]) {
      expect(() => loadConfig({ ...production, JWT_SECRET: short })).toThrow(StartError);
      expect(() => loadConfig({ ...production, JWT_SECRET: short })).toThrow(
        /^JWT_SECRET must be at least 32 bytes when NODE_ENV=production/,
      );
    }
    expect(loadConfig({ ...production, JWT_SECRET: 'x'.repeat(32) }).jwtSecret).toBe('x'.repeat(32));
    // Outside production a short key is a developer's choice.
    expect(loadConfig({ ...base, NODE_ENV: 'development', JWT_SECRET: 'changeme' }).jwtSecret).toBe('changeme');
  });

  it('names a malformed number and how to fix it', () => {
    expect(() => loadConfig({ ...base, PORT: 'abc' })).toThrow('PORT must be a positive integer, got "abc": fix it in the environment.');
  });
});

describe('the password hash cost', () => {
  const production = productionEnv(dataDir);

  it("is scrypt's 2^15 by default, and never less in production", () => {
    expect(loadConfig(production).passwordHashCost).toBe(15);
    expect(loadConfig({ ...base, NODE_ENV: 'development' }).passwordHashCost).toBe(15);
    expect(loadConfig({ ...production, PASSWORD_HASH_COST: '16' }).passwordHashCost).toBe(16);
    expect(() => loadConfig({ ...production, PASSWORD_HASH_COST: '10' })).toThrow(
      'PASSWORD_HASH_COST must be 15 to 20 when NODE_ENV=production, got 10: fix it in the environment.',
    );
    expect(() => loadConfig({ ...base, PASSWORD_HASH_COST: '21' })).toThrow(StartError);
  });

  it('is 2^10 under NODE_ENV=test, where the suites hash thousands of passwords', () => {
    expect(loadConfig({ ...base, NODE_ENV: 'test' }).passwordHashCost).toBe(10);
    expect(loadConfig({ ...base, NODE_ENV: 'test', PASSWORD_HASH_COST: '15' }).passwordHashCost).toBe(15);
  });

  it('is recorded in every hash, so a hash of any cost verifies whatever the current one', async () => {
    usePasswordCost(10);
    const cheap = await hashPassword('a password of twelve');
    usePasswordCost(15);
    const dear = await hashPassword('a password of twelve');
    expect(cheap.split('$').slice(0, 4)).toEqual(['scrypt', '1024', '8', '1']);
    expect(dear.split('$').slice(0, 4)).toEqual(['scrypt', '32768', '8', '1']);
    for (const hash of [cheap, dear]) {
      expect(await verifyPassword('a password of twelve', hash)).toBe(true);
      expect(await verifyPassword('another password', hash)).toBe(false);
    }
  });
});
