/**
 * A fake of the one OpenAI endpoint the advisory code uses: POST /v1/chat/completions. It speaks real HTTP so
 * the official `openai` SDK runs end to end (request building, timeouts, error mapping).
 *
 *   const fake = await startFakeOpenAI();
 *   const client = new OpenAI({ apiKey: 'x', baseURL: fake.url, maxRetries: 0 });
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  authorization?: string;
}

/** `ok` answers a completion, `error` a 500, `hang` never answers (until the server closes). */
export type FakeOpenAIMode = 'ok' | 'error' | 'hang';

export interface FakeOpenAI {
  /** The base URL to give the SDK (ends in /v1). */
  url: string;
  /** Chat completion requests received, in order, whatever the mode. */
  requests: ChatRequest[];
  readonly calls: number;
  mode: FakeOpenAIMode;
  /** The assistant's answer (awaited before replying); by default a body naming the call number. Any JSON value: a broken provider's too. */
  content: (req: ChatRequest, call: number) => unknown;
  /** The model the answer reports (any JSON value); undefined echoes the requested one. */
  model?: unknown;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_${randomBytes(6).toString('hex')}` });
  res.end(JSON.stringify(body));
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      return send(res, 404, {
        error: { message: `Unknown request URL: ${req.method} ${path}`, type: 'invalid_request_error', param: null, code: 'unknown_url' },
      });
    }
    const parsed = JSON.parse(await readBody(req)) as ChatRequest;
    const chat: ChatRequest = { model: parsed.model, messages: parsed.messages, authorization: req.headers.authorization };
    fake.requests.push(chat);
    if (fake.mode === 'hang') return;
    if (fake.mode === 'error') {
      return send(res, 500, {
        error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null },
      });
    }
    const content = await fake.content(chat, fake.requests.length);
    send(res, 200, {
      id: `chatcmpl-${randomBytes(12).toString('hex')}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: fake.model === undefined ? chat.model : fake.model,
      choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: String(content).length, total_tokens: 10 + String(content).length },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const fake: FakeOpenAI = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests: [],
    get calls() {
      return this.requests.length;
    },
    mode: 'ok',
    content: (_req, call) => `Suggested body number ${call}.`,
    async close() {
      // Drops hanging requests too.
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
  return fake;
}
