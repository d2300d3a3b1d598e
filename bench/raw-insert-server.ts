/**
 * Baseline: the least an HTTP request that writes one row can cost on this machine and database. One
 * transaction per request (BEGIN; INSERT; COMMIT) through a `pg` Pool of the server's size, as the server's
 * request role. Run as its own process, like the server, so it does not share the load generator's event loop.
 */
import { createServer } from 'node:http';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.PG_URL, max: Number(process.env.POOL_MAX ?? 20) });
const port = Number(process.env.PORT);

async function insertOne(payload: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('INSERT INTO bench_raw_insert (id, at, payload) VALUES (gen_random_uuid(), now(), $1)', [payload]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => (body += c));
  req.on('end', () => {
    insertOne(body).then(
      () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
      (err: Error) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: err.message })),
    );
  });
});
server.listen(port, '127.0.0.1');

process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pool.end().then(() => process.exit(0));
});
