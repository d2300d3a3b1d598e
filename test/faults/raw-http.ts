import net from 'node:net';

/**
 * One HTTP/1.1 request written by hand on its own connection, in two steps: the head with
 * `Expect: 100-continue`, then the body. The server's `100 Continue` says it has accepted the request and is
 * handling it (Node answers it once it parsed the head), which is what "accepted before the signal" means.
 */
export interface RawRequest {
  /** Resolves on the server's 100 Continue. */
  accepted: Promise<void>;
  sendBody(): void;
  /** Everything the server sent, once the connection closed. */
  closed: Promise<string>;
}

export async function rawRequest(port: number, path: string, body: string, headers: Record<string, string> = {}): Promise<RawRequest> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = '';
  let onContinue: () => void = () => undefined;
  const accepted = new Promise<void>((resolve) => (onContinue = resolve));
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    received += chunk;
    if (received.startsWith('HTTP/1.1 100')) onContinue();
  });
  // A reset is an outcome the test looks at, not a crash of the test.
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  const head = Object.entries({ 'Content-Type': 'application/json', ...headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${head}Content-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\n\r\n`,
  );
  return { accepted, sendBody: () => void socket.write(body), closed };
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The final answers in `raw` (interim 1xx skipped), each with its body read by Content-Length; throws on a cut one. */
export function finalAnswers(raw: string): RawAnswer[] {
  const out: RawAnswer[] = [];
  let rest = raw;
  while (rest.length) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) throw new Error(`incomplete answer: ${rest.slice(0, 200)}`);
    const [statusLine, ...headerLines] = rest.slice(0, end).split('\r\n');
    const status = Number(statusLine.split(' ')[1]);
    const headers = Object.fromEntries(
      headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
    );
    if (status >= 100 && status < 200) {
      rest = rest.slice(end + 4);
      continue;
    }
    const length = Number(headers['content-length']);
    if (!Number.isInteger(length)) throw new Error(`answer without Content-Length: ${statusLine}`);
    const bytes = Buffer.from(rest.slice(end + 4));
    if (bytes.length < length) throw new Error(`truncated body (${bytes.length} of ${length} bytes): ${statusLine}`);
    const body = bytes.subarray(0, length).toString('utf8');
    out.push({ status, headers, body });
    rest = bytes.subarray(length).toString('utf8');
  }
  return out;
}
