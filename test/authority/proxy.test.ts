import { AdminLoginDocument } from '../../clients/generated/graphql';
import { startTestAegis, type TestAegis } from '../support/aegis';

/** The login rate limit counts per client: behind a trusted proxy, the client is the forwarded address. */
async function login(t: TestAegis, email: string, forwardedFor: string): Promise<string> {
  const r = await t.op(AdminLoginDocument, { email, password: 'wrong-password' }, { forwardedFor });
  return r.data!.adminLogin.userErrors[0].code;
}

/** Ten failed logins, each for another email, from one client; then one more from it and one from another client. */
async function hammer(t: TestAegis, tag: string) {
  for (let i = 0; i < 10; i++) expect(await login(t, `${tag}-${i}@aegis.test`, '198.51.100.7')).toBe('INVALID_CREDENTIALS');
  return {
    sameClient: await login(t, `${tag}-x@aegis.test`, '198.51.100.7'),
    otherClient: await login(t, `${tag}-y@aegis.test`, '198.51.100.8'),
  };
}

describe('TRUST_PROXY', () => {
  it('set: X-Forwarded-For of the trusted proxy names the client', async () => {
    const t = await startTestAegis({ env: { TRUST_PROXY: 'loopback' } });
    try {
      expect(await hammer(t, 'trusted')).toEqual({ sameClient: 'RATE_LIMITED', otherClient: 'INVALID_CREDENTIALS' });
    } finally {
      await t.close();
    }
  });

  it('unset: X-Forwarded-For is ignored, a client cannot dodge the limit by forging it', async () => {
    const t = await startTestAegis();
    try {
      expect(await hammer(t, 'direct')).toEqual({ sameClient: 'RATE_LIMITED', otherClient: 'RATE_LIMITED' });
    } finally {
      await t.close();
    }
  });
});
