/**
 * The bench's AI provider: an OpenAI-compatible chat completions endpoint on loopback that counts the calls it
 * gets, so the advisory-disabled phase can show that a disabled site costs the provider nothing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingProvider {
  /** The base URL for OPENAI_BASE_URL (ends in /v1). */
  url: string;
  readonly calls: number;
  close(): Promise<void>;
}

export async function startCountingProvider(): Promise<CountingProvider> {
  let calls = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) return void res.writeHead(404).end();
      calls++;
      const body = {
        id: `chatcmpl-bench-${calls}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: 'bench-model',
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'A suggested body.' } }],
      };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    get calls() {
      return calls;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
