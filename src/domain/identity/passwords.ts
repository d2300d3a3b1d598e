import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ErrorCode } from '../errors';
import type { Validator } from '../validation';

// scrypt is memory-hard: N=2^15, r=8 takes 32 MiB per hash. The process's cost is set once at start
// (usePasswordCost, from PASSWORD_HASH_COST); every hash records its own parameters, so any stored hash verifies.
let PARAMS = { N: 1 << 15, r: 8, p: 1 };
let decoy: Promise<string> | null = null;

/** Sets the cost of new hashes (log2 N), and of the decoy, which must cost what a real hash costs. */
export function usePasswordCost(log2N: number): void {
  if (PARAMS.N !== 1 << log2N) {
    PARAMS = { ...PARAMS, N: 1 << log2N };
    decoy = null;
  }
  // Made now, so the first login with an unknown email does not pay for it.
  void decoyHash();
}
const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, KEY_LENGTH, { ...opts, maxmem: 128 * opts.N! * opts.r! * 2 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt') return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of a random password at the current cost, compared against when the email is unknown so both answers take as long. */
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}

/** The bounds of every password, an admin's or a customer's. */
export const PASSWORD_LENGTH = { min: 12, max: 200 } as const;

export function checkPassword(v: Validator, field: string[], password: string): void {
  if (password.length < PASSWORD_LENGTH.min || password.length > PASSWORD_LENGTH.max)
    v.errors.push({
      code: ErrorCode.VALIDATION,
      message: `password must be ${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max} characters`,
      field,
    });
}
