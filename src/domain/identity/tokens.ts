import { jwtVerify, SignJWT } from 'jose';

const ISSUER = 'aegis';
/** No token lives longer than this, whatever TOKEN_TTL_SECONDS says. */
const MAX_LIFETIME_SECONDS = 24 * 3600;
/** How far ahead of our clock an issuing clock may be. */
const CLOCK_SKEW_SECONDS = 60;

/**
 * Whom a token is for. Admins and customers share the key, so the audience is what keeps them apart: an admin token
 * is never read as a customer's, nor a customer token as an admin's (tokens without one, issued before, are refused).
 */
export const AUDIENCE = { admin: 'aegis:admin', customer: 'aegis:customer' } as const;

/** What a valid admin token says: the admin, and the token version it was issued at (see Admin.tokenVersion). */
export interface TokenClaims {
  adminId: string;
  version: number;
}

/** What a valid customer token says: the customer, its site, and the token version (see Customer.tokenVersion). */
export interface CustomerTokenClaims {
  customerId: string;
  siteId: string;
  version: number;
}

/** A valid token of either audience. */
export type VerifiedToken = { audience: 'admin'; claims: TokenClaims } | { audience: 'customer'; claims: CustomerTokenClaims };

/**
 * Signed (HS256), expiring tokens for admins and customers; who they name (grants, disabled flag, token version) is
 * still read from the database on every request.
 */
export class TokenService {
  private readonly key: Uint8Array;
  private readonly lifetimeSeconds: number;

  constructor(secret: string, ttlSeconds: number) {
    this.key = new TextEncoder().encode(secret);
    this.lifetimeSeconds = Math.min(ttlSeconds, MAX_LIFETIME_SECONDS);
  }

  issue(adminId: string, version: number, now: Date): Promise<string> {
    return this.sign({ ver: version }, adminId, AUDIENCE.admin, now);
  }

  issueCustomer(customer: { customerId: string; siteId: string }, version: number, now: Date): Promise<string> {
    return this.sign({ ver: version, site: customer.siteId }, customer.customerId, AUDIENCE.customer, now);
  }

  private sign(claims: Record<string, unknown>, subject: string, audience: string, now: Date): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(subject)
      .setIssuer(ISSUER)
      .setAudience(audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.lifetimeSeconds)
      .sign(this.key);
  }

  /**
   * The audience and claims of a valid token, or null for a missing, malformed, tampered or expired one, and for a
   * signed one we would never issue: without exp, iat, ver or an audience of ours (a customer's without its site),
   * with both audiences, living longer than the TTL, or issued ahead of our clock (beyond the skew). However a token
   * came to be signed, it dies within the TTL.
   */
  async verify(token: string, now: Date): Promise<VerifiedToken | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: [AUDIENCE.admin, AUDIENCE.customer],
        algorithms: ['HS256'],
        currentDate: now,
        requiredClaims: ['sub', 'iat', 'exp', 'ver', 'aud'],
      });
      const { sub, iat, exp, ver, aud, site } = payload as {
        sub: unknown;
        iat: number;
        exp: number;
        ver: unknown;
        aud: unknown;
        site: unknown;
      };
      if (typeof sub !== 'string' || !Number.isSafeInteger(ver) || (ver as number) < 0) return null;
      if (iat > Math.floor(now.getTime() / 1000) + CLOCK_SKEW_SECONDS || exp - iat > this.lifetimeSeconds) return null;
      // One audience, as a string or a one-element array: a token for both is neither.
      const audience = Array.isArray(aud) ? (aud.length === 1 ? aud[0] : null) : aud;
      const version = ver as number;
      if (audience === AUDIENCE.admin) return { audience: 'admin', claims: { adminId: sub, version } };
      if (audience === AUDIENCE.customer && typeof site === 'string')
        return { audience: 'customer', claims: { customerId: sub, siteId: site, version } };
      return null;
    } catch {
      return null;
    }
  }
}
