import { removeMigratedPglite } from './migrated-pglite';

export default removeMigratedPglite;
