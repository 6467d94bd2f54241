import type { Database } from './database';

/**
 * Hot queries are prepared once per database handle and kept for its life: a prepared statement
 * belongs to the handle that prepared it (its name is known to that handle's connections only),
 * and a handle that goes away takes its statements with it (WeakMap).
 *
 * `keyOf` tells statements of different shapes apart (a list's filters, sort and cursor); the
 * `ordinal` handed to `prepare` is unique per handle, for the statement's name.
 */
export function preparedPerHandleAndShape<Shape, Prepared>(
  prepare: (db: Database, shape: Shape, ordinal: number) => Prepared,
  keyOf: (shape: Shape) => string,
): (db: Database, shape: Shape) => Prepared {
  const byHandle = new WeakMap<Database, Map<string, Prepared>>();
  return (db, shape) => {
    let byShape = byHandle.get(db);
    if (!byShape) {
      byShape = new Map();
      byHandle.set(db, byShape);
    }
    const key = keyOf(shape);
    let prepared = byShape.get(key);
    if (!prepared) {
      prepared = prepare(db, shape, byShape.size);
      byShape.set(key, prepared);
    }
    return prepared;
  };
}

/** One statement of a single shape, prepared on a handle's first use. */
export function preparedPerHandle<Prepared>(prepare: (db: Database) => Prepared): (db: Database) => Prepared {
  const cached = preparedPerHandleAndShape<null, Prepared>(
    (db) => prepare(db),
    () => '',
  );
  return (db) => cached(db, null);
}
