import type { AdministratorStore } from '../../platform/auth/administrator-store';
import { findAdministratorAccess } from './administrators.repository';

/** The people authentication looks up (the interface is platform/auth's; app.ts wires it). */
export const administratorStore: AdministratorStore = { findByIdentity: findAdministratorAccess };
