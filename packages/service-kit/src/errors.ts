import type { FastifyError, FastifyInstance } from 'fastify';

/**
 * An error a service can answer with: a stable code (documented per service), an HTTP status,
 * and whether retrying the same request can help.
 */
export class ServiceError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly canRetry: boolean;
  readonly details: unknown;

  constructor(
    code: string,
    message: string,
    options: { statusCode?: number; canRetry?: boolean; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ServiceError';
    this.code = code;
    this.statusCode = options.statusCode ?? 500;
    this.canRetry = options.canRetry ?? false;
    this.details = options.details;
  }
}

/** The codes every service shares. Service-specific codes live beside each service. */
export const CommonErrorCodes = {
  validation: 'TL_ERR_VALIDATION',
  notFound: 'TL_ERR_NOT_FOUND',
  unavailable: 'TL_ERR_UNAVAILABLE',
  internal: 'TL_ERR_INTERNAL',
} as const;

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId: string };
}

/**
 * Answers every error as JSON `{ error: { code, message, details?, requestId } }` and never leaks a
 * stack: 4xx carry their message, 5xx a generic one (the real error is logged with the request id).
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
    let details: unknown;
    if ('validation' in error && error.validation) {
      code = CommonErrorCodes.validation;
      details = error.validation.map((v) => ({
        field: `${error.validationContext ?? ''}${v.instancePath}`,
        message: v.message,
        params: v.params,
      }));
    } else if (error instanceof ServiceError) {
      details = error.details;
    } else if (statusCode < 500 && !error.code) {
      code = CommonErrorCodes.validation;
    }
    if (statusCode >= 500) {
      request.log.error({ err: error }, 'request failed');
      if (!(error instanceof ServiceError)) code = CommonErrorCodes.internal;
    }
    const message = statusCode >= 500 && !(error instanceof ServiceError) ? 'internal error' : error.message;
    const body: ErrorBody = { error: { code, message, requestId: request.id } };
    if (details !== undefined) body.error.details = details;
    void reply.code(statusCode).send(body);
  });
}
