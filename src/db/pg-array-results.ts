import { createRequire } from 'node:module';

type Parser = (value: unknown) => unknown;
interface TypeParsers {
  getTypeParser(oid: number, format: string): Parser;
}
interface FieldDescription {
  name: string;
  dataTypeID: number;
  format?: string;
}
/** The part of node-postgres's internal `Result` this module relies on (pg 8). */
interface PgResult {
  rowAsArray: boolean;
  fields: FieldDescription[];
  _parsers: Parser[] | undefined;
  _types: TypeParsers | undefined;
}
interface PgResultClass {
  prototype: PgResult & { addFields: (this: PgResult, fields: FieldDescription[]) => void };
}

const PATCHED = Symbol.for('balise.pg.arrayResultsWithoutRowTemplate');

/**
 * node-postgres prepares, for every result, an empty row object to copy for each row it reads
 * as an object, by spreading an object keyed by column (`Result.addFields`). On Node.js 20
 * (V8 11) spreading an object of fifty columns takes the slow path: tens of microseconds, an
 * eighth of the busy time of a `GET /v1/mailboxes/{id}` (node-postgres issues #3042, #3379).
 * drizzle reads every select as arrays (`rowMode: 'array'`), which never use that template, so
 * for them this builds only the column parsers. Objects mode keeps pg's own code. Node.js 22
 * does not pay the cost, and the patch changes nothing there but the saved work.
 *
 * Returns whether the patch is in place: a future pg whose internals differ is left alone.
 */
export function skipRowTemplateForArrayResults(): boolean {
  const requireFromPg = createRequire(require.resolve('pg'));
  const Result = requireFromPg('./result') as PgResultClass;
  const defaultTypes = requireFromPg('pg-types') as TypeParsers;
  const prototype = Result.prototype as PgResultClass['prototype'] & { [PATCHED]?: true };
  if (prototype[PATCHED]) return true;
  const original = prototype.addFields;
  if (typeof original !== 'function' || original.length !== 1) return false;
  prototype.addFields = function addFields(this: PgResult, fields: FieldDescription[]) {
    if (!this.rowAsArray) return original.call(this, fields);
    const types = this._types ?? defaultTypes;
    this.fields = fields;
    this._parsers = fields.map((field) => types.getTypeParser(field.dataTypeID, field.format || 'text'));
  };
  prototype[PATCHED] = true;
  return true;
}
