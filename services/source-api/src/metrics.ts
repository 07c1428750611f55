import { Counter, type Registry } from '@tideline/service-kit';

/** The source-api's own metrics, beside service-kit's HTTP and process metrics. */
export interface SourceApiMetrics {
  itemsServed: Counter<'feed'>;
  faultsInjected: Counter<'fault'>;
}

export function createSourceApiMetrics(registry: Registry): SourceApiMetrics {
  return {
    itemsServed: new Counter({
      name: 'source_api_items_served_total',
      help: 'Items served, by feed',
      labelNames: ['feed'] as const,
      registers: [registry],
    }),
    faultsInjected: new Counter({
      name: 'source_api_faults_injected_total',
      help: 'Faults injected, by fault (items touched, or requests failed or delayed)',
      labelNames: ['fault'] as const,
      registers: [registry],
    }),
  };
}
