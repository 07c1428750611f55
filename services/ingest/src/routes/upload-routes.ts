import { ServiceError, CommonErrorCodes } from '@tideline/service-kit';
import type { FastifyInstance } from 'fastify';
import { IngestReason } from '../errors.ts';
import { readLegacyEnvelope } from '../formats/legacy-envelope.ts';
import type { Normalized } from '../formats/normalized.ts';
import { readSensorBatch } from '../formats/sensor-batch.ts';
import { readTradesCsv } from '../formats/trades-csv.ts';
import type { RawPublisher } from '../publish/raw-publisher.ts';

export interface UploadRoutesOptions {
  publisher: RawPublisher;
  isConnected: () => boolean;
}

/** A whole payload that could not be read: the client gets a 400, the payload a dead letter. */
const WHOLE_PAYLOAD_REASONS: ReadonlySet<string> = new Set([
  IngestReason.malformedJson,
  IngestReason.badEnvelope,
]);

const uploadResponse = {
  202: {
    type: 'object',
    properties: { produced: { type: 'integer' }, deadLettered: { type: 'integer' } },
    required: ['produced', 'deadLettered'],
  },
} as const;

/**
 * Accepts the original projects' payloads as they are: the geotechnical envelope (JSON, or the
 * json.dumps string the original producer sent), trade CSV lines, and sensor minibatches (JSON array,
 * or the same encoded twice). Bodies are read as text so that even an unparseable one is kept, in
 * `dlq.ingest`, rather than lost to a parser error.
 */
export function registerUploadRoutes(app: FastifyInstance, options: UploadRoutesOptions): void {
  app.addContentTypeParser(
    ['application/json', 'text/plain', 'text/csv'],
    { parseAs: 'string' },
    (_req, body, done) => {
      done(null, body);
    },
  );

  const upload = async (read: () => Normalized, source: string) => {
    if (!options.isConnected()) {
      throw new ServiceError(CommonErrorCodes.unavailable, 'not connected to Kafka yet; retry shortly', {
        statusCode: 503,
        canRetry: true,
      });
    }
    const normalized = read();
    const result = await options.publisher.publish(normalized, source);
    const whole =
      normalized.drafts.length === 0 && normalized.rejected.length === 1 ? normalized.rejected[0] : undefined;
    if (whole && WHOLE_PAYLOAD_REASONS.has(whole.reasonCode)) {
      throw new ServiceError(whole.reasonCode, `${whole.reason} (the payload was dead-lettered)`, {
        statusCode: 400,
      });
    }
    return { produced: result.produced, deadLettered: result.deadLettered };
  };

  app.post(
    '/v1/ingest/geotech/envelope',
    { schema: { response: uploadResponse } },
    async (request, reply) => {
      const body = bodyText(request.body);
      return reply
        .code(202)
        .send(
          await upload(() => readLegacyEnvelope(body, 'upload:geotech-envelope'), 'upload:geotech-envelope'),
        );
    },
  );
  app.post(
    '/v1/ingest/market/trades-csv',
    { schema: { response: uploadResponse } },
    async (request, reply) => {
      const body = bodyText(request.body);
      return reply
        .code(202)
        .send(await upload(() => readTradesCsv(body, 'upload:trades-csv'), 'upload:trades-csv'));
    },
  );
  app.post('/v1/ingest/sensors/batch', { schema: { response: uploadResponse } }, async (request, reply) => {
    const body = bodyText(request.body);
    return reply
      .code(202)
      .send(await upload(() => readSensorBatch(body, 'upload:sensor-batch'), 'upload:sensor-batch'));
  });
}

function bodyText(body: unknown): string {
  if (typeof body !== 'string' || body.length === 0) {
    throw new ServiceError(CommonErrorCodes.validation, 'a non-empty body is required', { statusCode: 400 });
  }
  return body;
}
