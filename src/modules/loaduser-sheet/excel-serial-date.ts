const MILLISECONDS_PER_DAY = 24 * 60 * 60 * 1000;
/** Day 0 of Excel's 1900 system, shifted by its fictitious 29 February 1900. */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);
/** 31 December 9999, the last day a spreadsheet can show. */
const LAST_SERIAL = 2958465;

/**
 * Converts an Excel serial day number to a Date at UTC, the way spreadsheets store dates
 * (no time zone: the day is the day). Returns undefined for numbers no spreadsheet date has.
 */
export function excelSerialToDate(serial: number, isDate1904 = false): Date | undefined {
  if (!Number.isFinite(serial) || serial < 1 || serial > LAST_SERIAL) return undefined;
  const epoch = isDate1904 ? EPOCH_1904 : EPOCH_1900;
  return new Date(epoch + Math.round(serial * MILLISECONDS_PER_DAY));
}
