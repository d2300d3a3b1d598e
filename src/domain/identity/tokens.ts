import { jwtVerify, SignJWT } from 'jose';

const ISSUER = 'aegis';
/** No token lives longer than this, whatever TOKEN_TTL_SECONDS says. */
const MAX_LIFETIME_SECONDS = 24 * 3600;
/** How far ahead of our clock an issuing clock may be. */
const CLOCK_SKEW_SECONDS = 60;

/** What a valid token says: the admin, and the token version it was issued at (see Admin.tokenVersion). */
export interface TokenClaims {
  adminId: string;
  version: number;
}

/** Signed (HS256), expiring admin tokens; the admin's grants and token version are still read from the database on every request. */
export class TokenService {
  private readonly key: Uint8Array;
  private readonly lifetimeSeconds: number;

  constructor(secret: string, ttlSeconds: number) {
    this.key = new TextEncoder().encode(secret);
    this.lifetimeSeconds = Math.min(ttlSeconds, MAX_LIFETIME_SECONDS);
  }

  issue(adminId: string, version: number, now: Date): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    return new SignJWT({ ver: version })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(adminId)
      .setIssuer(ISSUER)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.lifetimeSeconds)
      .sign(this.key);
  }

  /**
   * The claims of a valid token, or null for a missing, malformed, tampered or expired one, and for a signed one
   * we would never issue: without exp, iat or ver, living longer than the TTL, or issued ahead of our clock (beyond
   * the skew). However a token came to be signed, it dies within the TTL.
   */
  async verify(token: string, now: Date): Promise<TokenClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        algorithms: ['HS256'],
        currentDate: now,
        requiredClaims: ['sub', 'iat', 'exp', 'ver'],
      });
      const { sub, iat, exp, ver } = payload as { sub: unknown; iat: number; exp: number; ver: unknown };
      if (typeof sub !== 'string' || !Number.isSafeInteger(ver) || (ver as number) < 0) return null;
      if (iat > Math.floor(now.getTime() / 1000) + CLOCK_SKEW_SECONDS || exp - iat > this.lifetimeSeconds) return null;
      return { adminId: sub, version: ver as number };
    } catch {
      return null;
    }
  }
}
