import type { Writable } from 'node:stream';
import { writeLoaduserCsv } from './write-loaduser-csv';
import { writeLoaduserXlsx } from './write-loaduser-xlsx';

/** The empty template: the header row only (plus the "Notice" sheet in XLSX). Ends `out`. */
export async function writeLoaduserTemplate(format: 'csv' | 'xlsx', out: Writable): Promise<void> {
  if (format === 'csv') await writeLoaduserCsv([], out);
  else await writeLoaduserXlsx([], out);
}
