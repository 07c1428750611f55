// Imports saved-objects.ndjson into Kibana through its saved-objects import API, retrying until Kibana
// answers: the body of the one-shot setup service (docker-compose) and the k8s Job (see README.md).

export interface ImportOptions {
  kibanaUrl: string;
  ndjson: string;
  /** Rewrites the data views' `tideline-` index prefix when the sink uses another (SINK_ES_INDEX_PREFIX). */
  indexPrefix?: string;
  /** Tries before giving up; Kibana takes a minute or two to start. */
  attempts?: number;
  delayMs?: number;
  /** Basic auth or API key header, when Kibana asks for one. */
  authorization?: string;
  log?: (message: string) => void;
}

export interface ImportResult {
  successCount: number;
  errors: unknown[];
}

/** Waits until Kibana is available, then imports with overwrite (idempotent: ids are fixed). */
export async function importSavedObjects(options: ImportOptions): Promise<ImportResult> {
  const base = options.kibanaUrl.replace(/\/+$/, '');
  const attempts = options.attempts ?? 60;
  const delayMs = options.delayMs ?? 5000;
  const log = options.log ?? (() => undefined);
  const headers: Record<string, string> = { 'kbn-xsrf': 'tideline-setup' };
  if (options.authorization) headers.authorization = options.authorization;
  const ndjson =
    options.indexPrefix && options.indexPrefix !== 'tideline'
      ? options.ndjson
          .replaceAll('"title":"tideline-', `"title":"${options.indexPrefix}-`)
          .replaceAll(',tideline-', `,${options.indexPrefix}-`)
      : options.ndjson;
  let lastError = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const status = await fetch(`${base}/api/status`, { headers });
      const level = status.ok
        ? ((await status.json()) as { status?: { overall?: { level?: string } } }).status?.overall?.level
        : undefined;
      if (level === 'available') {
        const form = new FormData();
        form.append('file', new Blob([ndjson], { type: 'application/ndjson' }), 'saved-objects.ndjson');
        const response = await fetch(`${base}/api/saved_objects/_import?overwrite=true`, {
          method: 'POST',
          headers,
          body: form,
        });
        const body = (await response.json()) as {
          success?: boolean;
          successCount?: number;
          errors?: unknown[];
        };
        if (response.ok && body.success) return { successCount: body.successCount ?? 0, errors: [] };
        // Kibana answered but refused objects: retrying will not help.
        if (response.status < 500 && response.status !== 429) {
          return { successCount: body.successCount ?? 0, errors: body.errors ?? [body] };
        }
        lastError = `import answered ${response.status}`;
      } else {
        lastError = `status ${status.status}, level ${level ?? 'unknown'}`;
      }
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    log(`Kibana not ready (${lastError}); attempt ${attempt} of ${attempts}`);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  throw new Error(`Kibana did not accept the import after ${attempts} attempts: ${lastError}`);
}
