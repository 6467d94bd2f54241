import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../db/database';
import type { Clock } from '../shared/clock';
import { auditActorOf, type AuditActor } from './audit/audit';
import { callerOf } from './auth/authentication.plugin';
import type { Caller } from './auth/caller';

/** What every service needs from the app: the database and the clock. */
export interface ServiceDependencies {
  readonly db: Database;
  readonly clock: Clock;
}

/** What a service needs to know about the request it serves. */
export interface RequestContext {
  readonly caller: Caller;
  readonly actor: AuditActor;
  readonly log: FastifyBaseLogger;
}

export const dependenciesOf = (app: FastifyInstance): ServiceDependencies => ({ db: app.db, clock: app.clock });

export function contextOf(request: FastifyRequest): RequestContext {
  return { caller: callerOf(request), actor: auditActorOf(request), log: request.log };
}
