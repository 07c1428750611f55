import type { FastifyError, FastifyInstance } from 'fastify';

/**
 * An error a service can answer with: a stable code (documented per service), an HTTP status,
 * whether retrying the same request can help, and headers to send with it (e.g. Retry-After).
 */
export class ServiceError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly canRetry: boolean;
  readonly details: unknown;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: string,
    message: string,
    options: {
      statusCode?: number;
      canRetry?: boolean;
      details?: unknown;
      cause?: unknown;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ServiceError';
    this.code = code;
    this.statusCode = options.statusCode ?? 500;
    this.canRetry = options.canRetry ?? false;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

/** The codes every service shares. Service-specific codes live beside each service. */
export const CommonErrorCodes = {
  validation: 'TL_ERR_VALIDATION',
  notFound: 'TL_ERR_NOT_FOUND',
  unavailable: 'TL_ERR_UNAVAILABLE',
  internal: 'TL_ERR_INTERNAL',
  malformedJson: 'TL_ERR_MALFORMED_JSON',
  bodyTooLarge: 'TL_ERR_BODY_TOO_LARGE',
  unsupportedMediaType: 'TL_ERR_UNSUPPORTED_MEDIA_TYPE',
  badBody: 'TL_ERR_BAD_BODY',
  overloaded: 'TL_ERR_OVERLOADED',
} as const;

/**
 * Fastify's own errors, answered with the project's stable codes so that clients never see
 * framework internals (FST_ERR_*), which change between Fastify versions.
 */
export const FastifyErrorCodes: Readonly<Record<string, { code: string; message?: string }>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: CommonErrorCodes.malformedJson },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: CommonErrorCodes.validation },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: CommonErrorCodes.bodyTooLarge },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: CommonErrorCodes.unsupportedMediaType },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: CommonErrorCodes.badBody,
    // Fastify decodes the body as UTF-8 before comparing lengths, so invalid UTF-8 lands here too.
    message: 'the body does not match its Content-Length, or is not valid UTF-8',
  },
  FST_ERR_CTP_EMPTY_TYPE: { code: CommonErrorCodes.unsupportedMediaType },
  FST_ERR_CTP_INVALID_TYPE: { code: CommonErrorCodes.unsupportedMediaType },
  FST_ERR_VALIDATION: { code: CommonErrorCodes.validation },
  FST_ERR_BAD_URL: { code: CommonErrorCodes.validation },
  FST_ERR_ASYNC_CONSTRAINT: { code: CommonErrorCodes.validation },
};

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId: string };
}

/**
 * Answers every error as JSON `{ error: { code, message, details?, requestId } }` and never leaks a
 * stack: 4xx carry their message, 5xx a generic one (the real error is logged with the request id).
 * Fastify's own errors get the project's codes (FastifyErrorCodes).
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = {
      error: {
        code: CommonErrorCodes.notFound,
        message: `no route ${request.method} ${request.url.split('?')[0]}`,
        requestId: request.id,
      },
    };
    void reply.code(404).send(body);
  });
  app.setErrorHandler((error: FastifyError | ServiceError, request, reply) => {
    const statusCode = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    let code: string = error.code ?? CommonErrorCodes.internal;
    let message = error.message;
    let details: unknown;
    const mapped = error instanceof ServiceError ? undefined : FastifyErrorCodes[code];
    if ('validation' in error && error.validation) {
      code = CommonErrorCodes.validation;
      details = error.validation.map((v) => ({
        field: `${error.validationContext ?? ''}${v.instancePath}`,
        message: v.message,
        params: v.params,
      }));
    } else if (error instanceof ServiceError) {
      details = error.details;
      for (const [name, value] of Object.entries(error.headers)) void reply.header(name, value);
    } else if (mapped) {
      code = mapped.code;
      message = mapped.message ?? message;
    } else if (statusCode < 500 && !error.code) {
      code = CommonErrorCodes.validation;
    }
    if (statusCode >= 500) {
      request.log.error({ err: error }, 'request failed');
      if (!(error instanceof ServiceError)) code = CommonErrorCodes.internal;
    }
    if (statusCode >= 500 && !(error instanceof ServiceError)) message = 'internal error';
    const body: ErrorBody = { error: { code, message, requestId: request.id } };
    if (details !== undefined) body.error.details = details;
    void reply.code(statusCode).send(body);
  });
}
