import type { IncomingMessage } from 'node:http';
import { CommonErrorCodes, ServiceError } from '@tideline/service-kit';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { IngestReason } from '../errors.ts';
import { readLegacyEnvelope } from '../formats/legacy-envelope.ts';
import { PayloadError, type RecordSink } from '../formats/record-sink.ts';
import { readSensorBatch } from '../formats/sensor-batch.ts';
import { readTradesCsv } from '../formats/trades-csv.ts';
import type { IngestMetrics } from '../metrics.ts';
import type { RawPublisher } from '../publish/raw-publisher.ts';
import { BodyReader } from '../upload/body-reader.ts';
import { BodyError, UploadErrorCode, uploadFailure, type UploadProgress } from '../upload/upload-errors.ts';
import type { UploadGate } from '../upload/upload-gate.ts';

type Reader = (chunks: AsyncIterable<Buffer>, source: string, sink: RecordSink) => Promise<void>;

export interface UploadRoutesOptions {
  publisher: RawPublisher;
  isConnected: () => boolean;
  gate: UploadGate;
  maxBodyBytes: number;
  metrics: IngestMetrics;
  /** Seconds a refused client should wait before retrying. */
  retryAfterS?: number;
}

/** A conservative rate at which ingest reads upload bodies (about 60k CSV rows/s), for Retry-After. */
const DRAIN_BYTES_PER_S = 4 * 1024 * 1024;

/** A dead letter of a whole unreadable payload keeps its first bytes (up to this many). */
const CAPTURE_BYTES = 64 * 1024;

const uploadResponse = {
  202: {
    type: 'object',
    properties: { produced: { type: 'integer' }, deadLettered: { type: 'integer' } },
    required: ['produced', 'deadLettered'],
  },
} as const;

const routes: readonly { url: string; source: string; read: Reader }[] = [
  { url: '/v1/ingest/geotech/envelope', source: 'upload:geotech-envelope', read: readLegacyEnvelope },
  { url: '/v1/ingest/market/trades-csv', source: 'upload:trades-csv', read: readTradesCsv },
  { url: '/v1/ingest/sensors/batch', source: 'upload:sensor-batch', read: readSensorBatch },
];

/**
 * Accepts the original projects' payloads as they are: the geotechnical envelope (JSON, or the
 * json.dumps string the original producer sent), trade CSV lines, and sensor minibatches (JSON array,
 * or the same encoded twice). Bodies are streamed: records are validated and produced in batches that
 * fit the broker's limits while the body is still arriving, and the socket is read only as fast as
 * Kafka acknowledges. A payload that cannot be read is dead-lettered (its first 64 KiB) and answered
 * with 400, so nothing sent is lost.
 */
export function registerUploadRoutes(app: FastifyInstance, options: UploadRoutesOptions): void {
  // Hand the raw request stream to the route: no body is buffered (nor decoded) by Fastify.
  app.addContentTypeParser(['application/json', 'text/plain', 'text/csv'], (_request, payload, done) => {
    done(null, payload);
  });
  for (const route of routes) {
    app.post(route.url, { schema: { response: uploadResponse } }, async (request, reply) =>
      upload(request.raw, reply, route.read, route.source, request.headers['content-length']),
    );
  }

  async function upload(
    body: IncomingMessage,
    reply: FastifyReply,
    read: Reader,
    source: string,
    contentLength: string | undefined,
  ) {
    const progress: UploadProgress = { produced: 0, deadLettered: 0, bytesRead: 0 };
    const announced = contentLength === undefined ? undefined : Number(contentLength);
    if (announced !== undefined && announced > options.maxBodyBytes) {
      void reply.header('connection', 'close');
      throw uploadFailure(
        UploadErrorCode.bodyTooLarge,
        413,
        `the body (${announced} bytes) is larger than the ${options.maxBodyBytes}-byte limit`,
        progress,
      );
    }
    // A refused body is not read, only discarded by Node once the answer is sent (so that the client,
    // still sending, gets to read the 503 instead of a broken pipe); nothing of it is kept.
    if (!options.isConnected()) {
      throw new ServiceError(CommonErrorCodes.unavailable, 'not connected to Kafka yet; retry shortly', {
        statusCode: 503,
        canRetry: true,
        headers: { 'retry-after': String(options.retryAfterS ?? 1) },
      });
    }
    const release = options.gate.tryReserve(announced ?? options.maxBodyBytes);
    if (!release) {
      options.metrics.uploadsRefused.inc();
      // Come back about when the bytes in flight will have been read: a refused body is still sent
      // (and discarded), so retrying every second would mostly move bytes for nothing.
      const retryAfterS = Math.min(
        30,
        Math.max(1, Math.ceil(options.gate.inFlightBytes / DRAIN_BYTES_PER_S)),
      );
      throw new ServiceError(
        UploadErrorCode.busy,
        'too many upload bytes in flight; retry after the Retry-After delay (nothing of this request was accepted)',
        { statusCode: 503, canRetry: true, headers: { 'retry-after': String(retryAfterS) } },
      );
    }
    const reader = new BodyReader(body, { maxBytes: options.maxBodyBytes, captureBytes: CAPTURE_BYTES });
    const session = options.publisher.openSession(source);
    const done = () => {
      progress.produced = session.acked.produced;
      progress.deadLettered = session.acked.deadLettered;
      progress.bytesRead = reader.bytesRead;
      return progress;
    };
    let failure: ServiceError | undefined;
    try {
      try {
        await read(reader.chunks(), source, session);
      } catch (error) {
        failure = payloadFailure(error, reader, session);
      }
      if (!failure && reader.bytesRead === 0) {
        failure = new ServiceError(CommonErrorCodes.validation, 'a non-empty body is required', {
          statusCode: 400,
        });
      }
      await session.finish();
    } catch (error) {
      // Kafka failed part-way: what was acknowledged stays produced, and a retry of the same body
      // duplicates nothing downstream (event ids are deterministic).
      throw uploadFailure(
        UploadErrorCode.interrupted,
        503,
        'producing to Kafka failed part-way; retry the upload (records already produced carry the same ids)',
        done(),
        { canRetry: true, cause: error, headers: { 'retry-after': String(options.retryAfterS ?? 1) } },
      );
    } finally {
      release();
    }
    if (failure) {
      throw new ServiceError(failure.code, failure.message, {
        statusCode: failure.statusCode,
        details: done(),
        headers: { ...failure.headers },
      });
    }
    const { produced, deadLettered } = done();
    return reply.code(202).send({ produced, deadLettered });
  }
}

/**
 * Turns a reader's failure into the HTTP error, dead-lettering the unreadable payload (its first
 * bytes) first. Kafka errors are rethrown: they are not the payload's fault.
 */
function payloadFailure(error: unknown, reader: BodyReader, sink: RecordSink): ServiceError {
  const captured = reader.captured();
  const note = captured.truncated
    ? ` [rawPayload holds the first ${captured.bytes.length} of ${reader.bytesRead}+ bytes]`
    : '';
  if (error instanceof PayloadError) {
    sink.reject({
      reasonCode: error.reasonCode,
      reason: `${error.message}${note}`,
      rawPayload: captured.text,
    });
    return new ServiceError(error.reasonCode, `${error.message} (the payload was dead-lettered)`, {
      statusCode: 400,
    });
  }
  if (error instanceof BodyError) {
    if (error.code === UploadErrorCode.invalidUtf8) {
      // The bytes are not text: the dead letter keeps them as base64, so they can be looked at as sent.
      sink.reject({
        reasonCode: IngestReason.invalidUtf8,
        reason: `${error.message}; rawPayload is the base64 of the body's first bytes${note}`,
        rawPayload: captured.bytes.toString('base64'),
      });
      return new ServiceError(error.code, `${error.message} (the payload was dead-lettered)`, {
        statusCode: 400,
      });
    }
    // Too large: close rather than let Node discard an unbounded rest of the body.
    return new ServiceError(error.code, error.message, {
      statusCode: error.statusCode,
      headers: { connection: 'close' },
    });
  }
  throw error;
}
