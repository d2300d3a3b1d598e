import { startTestAegis, type TestAegis } from '../support/aegis';
import { ownerSql } from '../support/sql';

let t: TestAegis;
beforeAll(async () => {
  t = await startTestAegis();
});
afterAll(() => t.close());

const get = async (path: string) => {
  const res = await fetch(`${t.aegis.url}${path}`);
  return { status: res.status, body: await res.json() };
};

describe('health', () => {
  it('healthz answers while the process is up; readyz once the database answers with every migration applied', async () => {
    expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get('/readyz')).toEqual({ status: 200, body: { status: 'ready' } });
  });

  it('readyz answers 503 and names what is pending when the schema is older than the build', async () => {
    const [last] = await ownerSql(t.dbUrl, `delete from mikro_orm_migrations where id = (select max(id) from mikro_orm_migrations) returning name, executed_at`);
    try {
      expect(await get('/readyz')).toEqual({ status: 503, body: { status: 'migrations pending', pending: [last.name] } });
    } finally {
      await ownerSql(t.dbUrl, `insert into mikro_orm_migrations (name, executed_at) values ($1, $2)`, [last.name, last.executed_at]);
    }
    expect((await get('/readyz')).status).toBe(200);
  });
});

describe('GET /graphql from a browser', () => {
  it("answers Apollo's small JSON 400, not its landing page (which loads a sandbox from Apollo's CDN)", async () => {
    const res = await fetch(`${t.aegis.url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const text = await res.text();
    expect(text).not.toMatch(/<html|apollographql\.com|cdn/i);
    // A browser's GET has no content-type: Apollo's CSRF guard refuses it before anything runs.
    expect(JSON.parse(text).errors).toEqual([expect.objectContaining({ message: expect.stringContaining('Cross-Site Request Forgery'), extensions: expect.objectContaining({ code: 'BAD_REQUEST' }) })]);
  });
});

describe('an unknown route', () => {
  it('answers a JSON 404, not an HTML page', async () => {
    const res = await fetch(`${t.aegis.url}/no/such/page`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({ error: 'not found', code: 'NOT_FOUND' });
  });
});
