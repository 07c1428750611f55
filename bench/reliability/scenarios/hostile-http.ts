// Invalid and hostile HTTP requests against the source and ingest APIs: injection attempts, huge
// parameters, bytes that are not UTF-8, wrong content types, broken requests, and API keys that are
// missing or wrong. Each must end in a 4xx with a JSON error code (or, for harmless ones, anything but
// a 5xx); none may crash the service.
import { judge, send, type HttpProbe } from '../http-probe.ts';
import { Expect, Part, type CaseResult, type Scenario } from '../scenario.ts';

const huge = (n: number) => 'A'.repeat(n);

/**
 * Probes every service answers the same way (fastify, service-kit's error handler). `getPath` is a GET
 * route of the service; `validatesQuery` whether it checks its query string against a schema.
 */
function commonProbes(getPath: string, validatesQuery: boolean, tag: string): HttpProbe[] {
  const host = 'Host: 127.0.0.1\r\n';
  return [
    { name: 'unknown route', expected: Expect.clientError, path: `/v1/${tag}/nothing-here` },
    {
      name: 'path traversal',
      expected: Expect.clientError,
      path: '/v1/instruments/..%2F..%2F..%2Fetc%2Fpasswd',
    },
    { name: 'script in the path', expected: Expect.clientError, path: '/<script>alert(1)</script>' },
    {
      name: 'invalid percent-encoding (not UTF-8)',
      expected: validatesQuery ? Expect.clientError : Expect.not5xx,
      path: `${getPath}${getPath.includes('?') ? '&' : '?'}since=%FF%FE%FD`,
    },
    {
      name: 'raw bytes that are not UTF-8 in the path',
      expected: Expect.protocolError,
      path: '',
      raw: Buffer.concat([
        Buffer.from('GET /v1/'),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
        Buffer.from(` HTTP/1.1\r\n${host}Connection: close\r\n\r\n`),
      ]),
    },
    {
      name: 'broken request line',
      expected: Expect.protocolError,
      path: '',
      raw: Buffer.from('GARBAGE\r\n\r\n'),
    },
    {
      name: 'header of 64 KB',
      expected: Expect.protocolError,
      path: '',
      raw: Buffer.from(
        `GET ${getPath} HTTP/1.1\r\n${host}X-Big: ${huge(65_536)}\r\nConnection: close\r\n\r\n`,
      ),
    },
    { name: 'query string of 100 KB', expected: Expect.protocolError, path: `${getPath}&x=${huge(100_000)}` },
    {
      name: 'missing API key',
      expected: Expect.not5xx,
      path: getPath,
    },
    {
      name: 'wrong API key (x-api-key)',
      expected: Expect.not5xx,
      path: getPath,
      headers: { 'x-api-key': "' OR '1'='1" },
    },
    {
      name: 'wrong bearer token',
      expected: Expect.not5xx,
      path: getPath,
      headers: { authorization: `Bearer ${huge(4096)}` },
    },
    {
      name: 'malformed authorization header',
      expected: Expect.not5xx,
      path: getPath,
      headers: { authorization: 'Basic %%%not-base64%%%' },
    },
  ];
}

const sourceProbes = (tag: string): HttpProbe[] => [
  ...commonProbes('/v1/market/trades?limit=1', true, tag),
  {
    name: 'SQL injection in a filter',
    expected: Expect.clientError,
    path: `/v1/market/trades?symbols=${encodeURIComponent("BHP' OR 1=1--")}`,
  },
  {
    name: 'operator injection in a parameter name',
    expected: Expect.clientError,
    path: '/v1/geotech/readings?limit[$gt]=0',
  },
  {
    name: 'cursor with a $where',
    expected: Expect.clientError,
    path: `/v1/market/trades?since=${encodeURIComponent('{"$where":"sleep(1000)"}')}`,
  },
  { name: 'limit beyond the maximum', expected: Expect.clientError, path: '/v1/market/trades?limit=1e309' },
  {
    name: 'limit of 30 digits',
    expected: Expect.clientError,
    path: `/v1/market/trades?limit=${'9'.repeat(30)}`,
  },
  { name: 'negative limit', expected: Expect.clientError, path: '/v1/sensors/temperature?limit=-1' },
  {
    name: 'cursor of 10 KB',
    expected: Expect.clientError,
    path: `/v1/geotech/readings?since=${huge(10_000)}`,
  },
  {
    // About 70 KB of URL: over Node's 16 KB header limit, so the HTTP parser answers 431.
    name: 'ten thousand symbols',
    expected: Expect.protocolError,
    path: `/v1/market/trades?symbols=${Array.from({ length: 10_000 }, (_, i) => `Z${i}`).join(',')}`,
  },
  {
    name: 'instrument id of 5 KB',
    expected: Expect.clientError,
    path: `/v1/instruments/${huge(5000)}`,
  },
  {
    name: 'fault settings as text/plain',
    expected: Expect.clientError,
    method: 'PUT',
    path: '/v1/admin/faults',
    headers: { 'content-type': 'text/plain' },
    body: 'errorRate=1',
  },
  {
    name: 'fault settings as XML',
    expected: Expect.clientError,
    method: 'PUT',
    path: '/v1/admin/faults',
    headers: { 'content-type': 'application/xml' },
    body: '<faults><errorRate>1</errorRate></faults>',
  },
  {
    name: 'fault settings out of range',
    expected: Expect.clientError,
    method: 'PUT',
    path: '/v1/admin/faults',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ errorRate: 5 }),
  },
  {
    name: 'fault settings with a prototype-pollution key',
    expected: Expect.clientError,
    method: 'PUT',
    path: '/v1/admin/faults',
    headers: { 'content-type': 'application/json' },
    body: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}',
  },
  {
    name: 'fault settings that are not JSON',
    expected: Expect.clientError,
    method: 'PUT',
    path: '/v1/admin/faults',
    headers: { 'content-type': 'application/json' },
    body: '{"errorRate": 0.5',
  },
  {
    name: 'fault settings with invalid UTF-8',
    expected: Expect.clientError,
    method: 'PUT',
    path: '/v1/admin/faults',
    headers: { 'content-type': 'application/json' },
    body: Buffer.concat([Buffer.from('{"errorRate": "'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
  },
  { name: 'DELETE on a feed', expected: Expect.clientError, method: 'DELETE', path: '/v1/market/trades' },
];

const UPLOAD = '/v1/ingest/market/trades-csv';

const ingestProbes = (tag: string): HttpProbe[] => [
  ...commonProbes('/metrics?x=1', false, tag),
  {
    name: 'upload as XML',
    expected: Expect.clientError,
    method: 'POST',
    path: UPLOAD,
    headers: { 'content-type': 'application/xml' },
    body: `<trade>${tag}</trade>`,
  },
  {
    name: 'upload as multipart',
    expected: Expect.clientError,
    method: 'POST',
    path: UPLOAD,
    headers: { 'content-type': 'multipart/form-data; boundary=x' },
    body: `--x\r\nContent-Disposition: form-data; name="f"\r\n\r\n${tag}\r\n--x--\r\n`,
  },
  {
    name: 'upload without a content type',
    expected: Expect.clientError,
    method: 'POST',
    path: UPLOAD,
    body: Buffer.from(`${tag},BUY,1,1,1700000000000,x`),
  },
  {
    name: 'empty upload',
    expected: Expect.clientError,
    method: 'POST',
    path: UPLOAD,
    headers: { 'content-type': 'text/csv' },
    body: '',
  },
  {
    name: 'upload over the body limit (2 MB)',
    expected: Expect.clientError,
    method: 'POST',
    path: UPLOAD,
    headers: { 'content-type': 'text/csv' },
    body: `${tag},BUY,1,1,1700000000000,${huge(2 * 1024 * 1024)}`,
  },
  {
    name: 'envelope shorter than its content-length',
    expected: Expect.protocolError,
    path: '',
    raw: Buffer.from(
      `POST /v1/ingest/geotech/envelope HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Content-Length: 100000\r\nConnection: close\r\n\r\n{"items":[]}`,
    ),
  },
  { name: 'GET on an upload route', expected: Expect.clientError, path: UPLOAD },
];

export const hostileHttp: Scenario = {
  name: 'hostile HTTP',
  description:
    'injection, huge parameters, invalid UTF-8, wrong content types, broken requests, missing and wrong API keys: 4xx (or not 5xx), no crash',
  requires: [Part.sourceApi, Part.ingest],
  timeoutMs: 120_000,
  async run({ services, tag, brokers }) {
    const source = await services.start('source-api', (port) => ({
      SOURCE_API_PORT: String(port),
      SOURCE_API_LOG_LEVEL: 'error',
    }));
    const ingest = await services.start('ingest', (port) => ({
      INGEST_PORT: String(port),
      INGEST_LOG_LEVEL: 'error',
      INGEST_FEEDS: '',
      INGEST_KAFKA_BROKERS: brokers.join(','),
      INGEST_SOURCE_URL: source.url,
      INGEST_MAX_BODY_BYTES: String(1024 * 1024),
      INGEST_CURSOR_KEY: `reliability:${tag}:cursors`,
    }));
    const cases: CaseResult[] = [];
    for (const [service, probes] of [
      [source, sourceProbes(tag)],
      [ingest, ingestProbes(tag)],
    ] as const) {
      for (const probe of probes) {
        const answer = await send(service.url, probe).catch(() => ({ status: 0, code: undefined }));
        cases.push({ ...judge(probe, answer), name: `${service.name}: ${probe.name}` });
      }
    }
    const crashes = [];
    for (const service of [source, ingest]) if (await service.crashed()) crashes.push(service.name);
    await ingest.stop();
    await source.stop();
    return { cases, crashes };
  },
};
