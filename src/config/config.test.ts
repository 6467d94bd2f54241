import { tmpdir } from 'node:os';
import { SHEET_LIMIT_SETTINGS } from './sheet-limits';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('applies defaults and runs on embedded PGlite without DATABASE_URL', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3000);
    expect(config.database).toEqual({ kind: 'pglite', dataDir: './data' });
    expect(config.logLevel).toBe('info');
  });

  it('holds job leases for 30 s, renewed every 10 s, unless told otherwise', () => {
    expect(loadConfig({}).jobs).toMatchObject({ leaseSeconds: 30, heartbeatSeconds: 10 });
    expect(loadConfig({ BALISE_JOBS_LEASE_SECONDS: '60', BALISE_JOBS_HEARTBEAT_SECONDS: '20' }).jobs).toMatchObject({
      leaseSeconds: 60,
      heartbeatSeconds: 20,
    });
  });

  it('uses PostgreSQL when DATABASE_URL is set and converts numbers', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@h/db',
      PORT: '8080',
      DATABASE_POOL_SIZE: '4',
      DATABASE_CONNECT_TIMEOUT_SECONDS: '7',
      DATABASE_IDLE_TIMEOUT_SECONDS: '0',
    });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@h/db',
      poolSize: 4,
      connectTimeoutSeconds: 7,
      idleTimeoutSeconds: 0,
    });
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).database).toMatchObject({ idleTimeoutSeconds: 300 });
    expect(config.http.port).toBe(8080);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://nope'],
    ['LOG_LEVEL', 'loud'],
    ['BALISE_BOOTSTRAP_API_KEY', 'short'],
    ['BALISE_HEAP_GROWING_PERCENT', '400'],
    ['BALISE_REQUEST_TIMEOUT_SECONDS', '59'],
    ['BALISE_IDEMPOTENCY_RETENTION_HOURS', '0'],
    ['BALISE_IMPORT_MAX_COLUMNS', '33'],
    ['BALISE_IMPORT_READER_MEMORY_MB', '16'],
    ['BALISE_IMPORT_READER_IDLE_SECONDS', '0'],
    ['DATABASE_CONNECT_TIMEOUT_SECONDS', '0'],
    ['DATABASE_IDLE_TIMEOUT_SECONDS', '-1'],
    ['BALISE_JOBS_LEASE_SECONDS', '1'],
    ['BALISE_JOBS_HEARTBEAT_SECONDS', '30'],
  ])('names the bad variable %s', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(variable));
  });

  it('bounds heap growth at 50 % by default (0: V8 decides) and spools uploads to the temporary folder unless told', () => {
    expect(loadConfig({}).heapGrowingPercent).toBe(50);
    expect(loadConfig({ BALISE_HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent).toBe(0);
    expect(loadConfig({}).uploads.spoolDirectory).toBe(tmpdir());
    expect(loadConfig({ BALISE_UPLOAD_SPOOL_DIR: '/var/spool/balise' }).uploads.spoolDirectory).toBe(
      '/var/spool/balise',
    );
    expect(loadConfig({}).http.requestTimeoutSeconds).toBe(1800);
  });

  it('reads the sheet limits of imports, each from its own variable', () => {
    expect(loadConfig({}).imports.sheetLimits).toEqual({
      maxRows: 200_000,
      maxColumns: 256,
      maxCellCharacters: 32_767,
      maxUnpackedBytes: 512 * 1024 * 1024,
      maxSharedStrings: 2_000_000,
      maxSharedStringCharacters: 100_000_000,
      readerMemoryMb: 512,
      readerIdleSeconds: 120,
    });
    const chosen = {
      maxRows: 10,
      maxColumns: 40,
      maxCellCharacters: 1000,
      maxUnpackedBytes: 2 ** 20,
      maxSharedStrings: 20,
      maxSharedStringCharacters: 30,
      readerMemoryMb: 64,
      readerIdleSeconds: 5,
    };
    const environment = Object.fromEntries(
      Object.entries(SHEET_LIMIT_SETTINGS).map(([limit, name]) => [name, String(chosen[limit as keyof typeof chosen])]),
    );
    expect(loadConfig(environment).imports.sheetLimits).toEqual(chosen);
  });

  it("reads the lifecycle periods, with the deck's defaults", () => {
    expect(loadConfig({}).lifecycle).toEqual({
      scheduleEnabled: true,
      sweepIntervalMinutes: 1440,
      inactivityDays: 365,
      warningDays: [30, 7],
      retentionMonths: 6,
      importFileRetentionHours: 24,
      auditRetentionMonths: 12,
    });
    expect(loadConfig({ BALISE_AUDIT_RETENTION_MONTHS: '6' }).lifecycle.auditRetentionMonths).toBe(6);
    expect(loadConfig({ BALISE_LIFECYCLE_WARNING_DAYS: ' 7, 60 ,30' }).lifecycle.warningDays).toEqual([60, 30, 7]);
    expect(loadConfig({ BALISE_IMPORT_FILE_RETENTION_HOURS: '0' }).lifecycle.importFileRetentionHours).toBe(0);
  });

  it('refuses an audit retention under six months, saying so', () => {
    expect(() => loadConfig({ BALISE_AUDIT_RETENTION_MONTHS: '5' })).toThrow(
      'Invalid environment variable BALISE_AUDIT_RETENTION_MONTHS: must be at least 6 (months)',
    );
    expect(() => loadConfig({ BALISE_AUDIT_RETENTION_MONTHS: '0' })).toThrow(ConfigError);
  });

  it.each([
    ['BALISE_LIFECYCLE_WARNING_DAYS', 'thirty'],
    ['BALISE_LIFECYCLE_WARNING_DAYS', '400'],
    ['BALISE_LIFECYCLE_WARNING_DAYS', '0'],
    ['BALISE_LIFECYCLE_INACTIVITY_DAYS', '0'],
    ['BALISE_LIFECYCLE_SWEEP_INTERVAL_MINUTES', '0'],
    ['BALISE_IMPORT_FILE_RETENTION_HOURS', '-1'],
  ])('names the bad lifecycle variable %s=%s', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(variable));
  });

  it('is read-only', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config.http)).toBe(true);
  });
});
