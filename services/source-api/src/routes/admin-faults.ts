import type { FastifyInstance } from 'fastify';
import {
  FaultSettingsSchema,
  FaultUpdateSchema,
  type FaultSettings,
  type FaultUpdate,
} from '../faults/fault-settings.ts';
import type { RouteContext } from './context.ts';
import { errorResponses } from './schemas.ts';

/** Read and replace the fault settings at run time (tests and chaos drills). */
export function registerAdminFaultRoutes(app: FastifyInstance, { sim }: RouteContext): void {
  app.get(
    '/v1/admin/faults',
    {
      schema: {
        tags: ['admin'],
        summary: 'The fault settings in force',
        response: { 200: FaultSettingsSchema },
      },
    },
    async (): Promise<FaultSettings> => sim.faults.settings,
  );
  app.put<{ Body: FaultUpdate }>(
    '/v1/admin/faults',
    {
      schema: {
        tags: ['admin'],
        summary: 'Replace the fault settings (missing keys are off); outageForMs starts an outage now',
        body: FaultUpdateSchema,
        response: { 200: FaultSettingsSchema, ...errorResponses },
      },
    },
    async (request): Promise<FaultSettings> => {
      const settings = sim.faults.update(request.body, sim.clock());
      request.log.warn({ faults: settings }, 'fault settings changed');
      return settings;
    },
  );
}
