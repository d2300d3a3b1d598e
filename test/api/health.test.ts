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
