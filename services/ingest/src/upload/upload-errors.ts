import { ServiceError } from '@tideline/service-kit';

/** The HTTP error codes ingest's upload routes answer with (besides the common TL_ERR_* ones). */
export const UploadErrorCode = {
  invalidUtf8: 'INGEST_ERR_INVALID_UTF8',
  bodyTooLarge: 'TL_ERR_BODY_TOO_LARGE',
  busy: 'TL_ERR_OVERLOADED',
  interrupted: 'INGEST_ERR_UPLOAD_INTERRUPTED',
} as const;

/** How far an upload got: records acknowledged by Kafka, and the body bytes read. */
export interface UploadProgress {
  produced: number;
  deadLettered: number;
  bytesRead: number;
}

/** A body that stops being readable part-way (bad bytes, too long): the reader throws this. */
export class BodyError extends Error {
  readonly code: string;
  readonly statusCode: number;

  constructor(code: string, statusCode: number, message: string) {
    super(message);
    this.name = 'BodyError';
    this.code = code;
    this.statusCode = statusCode;
  }
}

export function uploadFailure(
  code: string,
  statusCode: number,
  message: string,
  progress: UploadProgress,
  options: { canRetry?: boolean; cause?: unknown; headers?: Record<string, string> } = {},
): ServiceError {
  return new ServiceError(code, message, { statusCode, details: progress, ...options });
}
