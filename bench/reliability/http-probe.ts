// Sends one HTTP request, including ones fetch refuses to send (raw bytes that are not UTF-8, broken
// request lines, oversized headers), and classifies the answer against what the case expects.
import { connect } from 'node:net';
import { Expect, type CaseResult } from './scenario.ts';

export interface HttpProbe {
  name: string;
  expected: Expect;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Sent as-is over a socket instead of through fetch: the whole request, head and body. */
  raw?: Buffer;
}

export interface HttpAnswer {
  status: number;
  /** `error.code` of a JSON error body, when there is one. */
  code: string | undefined;
}

export async function send(baseUrl: string, probe: HttpProbe): Promise<HttpAnswer> {
  if (probe.raw) return sendRaw(new URL(baseUrl), probe.raw);
  const response = await fetch(`${baseUrl}${probe.path}`, {
    method: probe.method ?? 'GET',
    headers: probe.headers,
    body: probe.body,
  });
  const text = await response.text();
  return { status: response.status, code: errorCode(text) };
}

/** Whether an answer is what the probe expects; 4xx must carry a JSON error code. */
export function judge(probe: HttpProbe, answer: HttpAnswer, deadLetters = 0): CaseResult {
  const { status, code } = answer;
  const clientError = status >= 400 && status < 500;
  let ok: boolean;
  switch (probe.expected) {
    case Expect.clientError:
      ok = clientError && code !== undefined;
      break;
    case Expect.clientErrorOrDeadLetter:
      ok = (clientError && code !== undefined) || (status >= 200 && status < 300 && deadLetters > 0);
      break;
    case Expect.not5xx:
      ok = status > 0 && status < 500;
      break;
    case Expect.protocolError:
      ok = status === 0 || (status >= 400 && status < 500);
      break;
    case Expect.deadLetter:
      ok = deadLetters > 0;
      break;
    case Expect.recomputation:
      ok = false; // not an HTTP expectation
      break;
  }
  const got = `${status === 0 ? 'no answer, connection closed' : status}${code ? ` ${code}` : ''}${deadLetters > 0 ? `, ${deadLetters} dead letter(s)` : ''}`;
  return { name: probe.name, expected: probe.expected, got, ok, status, deadLetters };
}

function errorCode(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown } };
    return typeof body.error?.code === 'string' ? body.error.code : undefined;
  } catch {
    return undefined;
  }
}

function sendRaw(url: URL, request: Buffer): Promise<HttpAnswer> {
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    const finish = () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      const body = text.slice(text.indexOf('\r\n\r\n') + 4);
      resolve({ status, code: errorCode(body) });
    };
    // A request the server keeps waiting on (a body shorter than announced) is given up after 3 s.
    socket.setTimeout(3000, () => socket.destroy());
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      // One answer is all we wait for; a kept-alive socket would otherwise stay open.
      if (Buffer.concat(chunks).includes('\r\n\r\n')) socket.end();
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.write(request);
  });
}
