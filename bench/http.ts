import http from 'node:http';

export interface Reply {
  status: number;
  body: any;
}

/** Per-request bound: a request that takes longer is an error, never a hang. */
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * A keep-alive HTTP/1.1 client on node:http. Lighter on CPU than fetch (undici), which matters: the load
 * generator shares the machine's two cores with the server and PostgreSQL.
 */
export class HttpClient {
  private readonly agent: http.Agent;
  private readonly url: URL;

  constructor(base: string, maxSockets: number) {
    this.url = new URL(base);
    if (this.url.hostname !== '127.0.0.1' && this.url.hostname !== 'localhost') throw new Error(`loopback only, got ${base}`);
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  post(path: string, body: string, headers: Record<string, string> = {}): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: this.url.hostname,
          port: this.url.port,
          path,
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // Non-JSON bodies are kept as text and reported as errors by the caller.
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`timeout after ${REQUEST_TIMEOUT_MS} ms: POST ${path}`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  gql(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Reply> {
    return this.post('/graphql', JSON.stringify({ query, variables }), headers);
  }

  close(): void {
    this.agent.destroy();
  }
}

export async function getJson(url: string): Promise<Reply> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return { status: res.status, body: await res.json() };
}
