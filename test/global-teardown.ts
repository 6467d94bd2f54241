import { removeRunDatabases } from './migrated-database';

export default removeRunDatabases;
