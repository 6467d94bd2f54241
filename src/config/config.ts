import { tmpdir } from 'node:os';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { DEFAULT_SHEET_LIMITS, type SheetLimits } from './sheet-limits';
import { parseOidcProviders, type OidcProviderConfig } from './oidc-providers';

/**
 * Every setting the service reads from its environment, validated once at start-up.
 * Nothing else in src/ reads process.env: the Config object is passed in.
 */
const EnvironmentSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATABASE_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  DATABASE_CONNECT_TIMEOUT_SECONDS: Type.Integer({ minimum: 1, maximum: 300, default: 5 }),
  DATABASE_IDLE_TIMEOUT_SECONDS: Type.Integer({ minimum: 0, maximum: 86_400, default: 300 }),
  BALISE_DATA_DIR: Type.String({ minLength: 1, default: './data' }),
  BALISE_BOOTSTRAP_API_KEY: Type.Optional(Type.String({ minLength: 24 })),
  BALISE_API_KEY_CACHE_SECONDS: Type.Integer({ minimum: 0, maximum: 300, default: 10 }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info' },
  ),
  BALISE_JOBS_ENABLED: Type.Boolean({ default: true }),
  BALISE_JOBS_POLL_MS: Type.Integer({ minimum: 50, default: 1000 }),
  BALISE_JOBS_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 32, default: 2 }),
  BALISE_JOBS_LEASE_SECONDS: Type.Integer({ minimum: 2, maximum: 3600, default: 30 }),
  BALISE_JOBS_HEARTBEAT_SECONDS: Type.Integer({ minimum: 1, maximum: 1800, default: 10 }),
  BALISE_JOBS_RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 7 }),
  BALISE_UPLOAD_MAX_BYTES: Type.Integer({ minimum: 1024, default: 50 * 1024 * 1024 }),
  BALISE_UPLOAD_SPOOL_DIR: Type.Optional(Type.String({ minLength: 1 })),
  // At least Node.js's 60 s for the headers: below it, Node.js swaps the two limits.
  BALISE_REQUEST_TIMEOUT_SECONDS: Type.Integer({ minimum: 60, maximum: 86_400, default: 1800 }),
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  SMTP_FROM: Type.String({ default: 'Balise <no-reply@balise.invalid>' }),
  // 1,000: the apply pass drafts the next batch while PostgreSQL writes one, and fewer, larger
  // batches made a 100,000-row import 8 % faster than 500 at the same peak memory (bench/RESULTS.md).
  BALISE_IMPORT_BATCH_SIZE: Type.Integer({ minimum: 1, maximum: 5000, default: 1000 }),
  // Bounds of reading an uploaded sheet; defaults and their reasons in config/sheet-limits.ts.
  BALISE_IMPORT_MAX_ROWS: Type.Integer({ minimum: 1, default: DEFAULT_SHEET_LIMITS.maxRows }),
  BALISE_IMPORT_MAX_COLUMNS: Type.Integer({ minimum: 34, maximum: 16_384, default: DEFAULT_SHEET_LIMITS.maxColumns }),
  BALISE_IMPORT_MAX_CELL_CHARACTERS: Type.Integer({ minimum: 256, default: DEFAULT_SHEET_LIMITS.maxCellCharacters }),
  BALISE_IMPORT_MAX_UNPACKED_BYTES: Type.Integer({
    minimum: 1024 * 1024,
    default: DEFAULT_SHEET_LIMITS.maxUnpackedBytes,
  }),
  BALISE_IMPORT_MAX_SHARED_STRINGS: Type.Integer({ minimum: 1, default: DEFAULT_SHEET_LIMITS.maxSharedStrings }),
  BALISE_IMPORT_MAX_SHARED_STRING_CHARACTERS: Type.Integer({
    minimum: 1,
    default: DEFAULT_SHEET_LIMITS.maxSharedStringCharacters,
  }),
  BALISE_IMPORT_READER_MEMORY_MB: Type.Integer({
    minimum: 32,
    maximum: 16_384,
    default: DEFAULT_SHEET_LIMITS.readerMemoryMb,
  }),
  BALISE_IMPORT_READER_IDLE_SECONDS: Type.Integer({ minimum: 1, default: DEFAULT_SHEET_LIMITS.readerIdleSeconds }),
  BALISE_LIFECYCLE_SCHEDULE_ENABLED: Type.Boolean({ default: true }),
  BALISE_LIFECYCLE_SWEEP_INTERVAL_MINUTES: Type.Integer({ minimum: 1, maximum: 10_080, default: 1440 }),
  BALISE_LIFECYCLE_INACTIVITY_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 365 }),
  BALISE_LIFECYCLE_WARNING_DAYS: Type.String({ pattern: '^\\s*\\d+\\s*(,\\s*\\d+\\s*)*$', default: '30,7' }),
  BALISE_LIFECYCLE_RETENTION_MONTHS: Type.Integer({ minimum: 1, maximum: 120, default: 6 }),
  // No schema minimum: lifecycleConfigOf refuses less than AUDIT_RETENTION_MIN_MONTHS with a message saying why.
  BALISE_AUDIT_RETENTION_MONTHS: Type.Integer({ minimum: 1, maximum: 1200, default: 12 }),
  BALISE_IMPORT_FILE_RETENTION_HOURS: Type.Integer({ minimum: 0, maximum: 8760, default: 24 }),
  BALISE_REFERENCE_UPLOAD_MAX_BYTES: Type.Integer({ minimum: 1024, default: 512 * 1024 * 1024 }),
  BALISE_DIRECTORY_MAX_AGE_SECONDS: Type.Integer({ minimum: 0, maximum: 86_400, default: 60 }),
  BALISE_DIRECTORY_REFRESH_MINUTES: Type.Integer({ minimum: 0, maximum: 1440, default: 5 }),
  BALISE_REQUIRE_IF_MATCH: Type.Boolean({ default: false }),
  BALISE_TRUST_PROXY: Type.Optional(Type.String({ pattern: '^(true|[0-9a-fA-F.:/]+(\\s*,\\s*[0-9a-fA-F.:/]+)*)$' })),
  BALISE_PUBLIC_RATE_LIMIT: Type.Integer({ minimum: 1, default: 30 }),
  BALISE_PUBLIC_RATE_WINDOW_SECONDS: Type.Integer({ minimum: 1, maximum: 86_400, default: 600 }),
  BALISE_IDEMPOTENCY_RETENTION_HOURS: Type.Integer({ minimum: 1, default: 24 }),
  BALISE_EVENTS_RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 30 }),
  // OpenID Connect providers whose access tokens people sign in with (config/oidc-providers.ts).
  BALISE_OIDC_PROVIDERS: Type.Optional(Type.String()),
  // RFC 8725 leaves the skew to the resource server; the issue caps it at a minute.
  BALISE_OIDC_CLOCK_TOLERANCE_SECONDS: Type.Integer({ minimum: 0, maximum: 60, default: 30 }),
  BALISE_OIDC_JWKS_COOLDOWN_SECONDS: Type.Integer({ minimum: 0, maximum: 3600, default: 30 }),
  BALISE_OIDC_INTROSPECTION_CACHE_SECONDS: Type.Integer({ minimum: 0, maximum: 3600, default: 60 }),
  // Browser front-ends allowed to call the API (comma-separated origins); none by default.
  BALISE_CORS_ORIGINS: Type.Optional(
    Type.String({ pattern: '^\\s*https?://[^,\\s]+(\\s*,\\s*https?://[^,\\s]+)*\\s*$' }),
  ),
  BALISE_WEBHOOKS_ALLOW_HTTP: Type.Boolean({ default: false }),
  BALISE_WEBHOOKS_ALLOW_PRIVATE: Type.Boolean({ default: false }),
  // 32 random bytes in base64 (`openssl rand -base64 32`): encrypts the webhook signing secrets at rest.
  BALISE_SECRETS_KEY: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$' })),
  NODE_ENV: Type.Optional(Type.String()),
  BALISE_HEAP_GROWING_PERCENT: Type.Integer({ minimum: 0, maximum: 300, default: 50 }),
});
type Environment = Static<typeof EnvironmentSchema>;

export type DatabaseConfig =
  /**
   * `connectTimeoutSeconds`: longest wait for a pooled connection (a new one, or a free one); 503 after it.
   * `idleTimeoutSeconds`: how long a pooled connection may stay unused before it is closed (0: never).
   */
  | { kind: 'postgres'; url: string; poolSize: number; connectTimeoutSeconds: number; idleTimeoutSeconds: number }
  | { kind: 'pglite'; dataDir: string /* a folder, or 'memory://' for a throwaway database */ };

export interface Config {
  /**
   * `trustProxy`: which proxies' `X-Forwarded-For` names the client (rate limits count per
   * client address): every one (`true`), or those at these addresses and CIDR ranges.
   */
  readonly http: {
    readonly port: number;
    readonly host: string;
    readonly trustProxy: boolean | readonly string[];
    /** How long a client may take to send a whole request (an upload's body included); 408 after. */
    readonly requestTimeoutSeconds: number;
    /** Whether PATCH and DELETE of a versioned resource need `If-Match` (428 without it). */
    readonly requireIfMatch: boolean;
  };
  readonly database: Readonly<DatabaseConfig>;
  readonly logLevel: Environment['LOG_LEVEL'];
  readonly bootstrapApiKey: string | undefined;
  readonly auth: { readonly apiKeyCacheSeconds: number; readonly oidc: OidcConfig };
  /** Origins of the browser front-ends allowed to call the API (CORS); empty: none. */
  readonly corsOrigins: readonly string[];
  readonly jobs: JobsConfig;
  /** How long a POST's answer stays replayable under its `Idempotency-Key` (it may hold personal data). */
  readonly idempotency: { readonly retentionHours: number };
  /** How long the event feed keeps an event: a consumer away longer must resynchronise from the resources. */
  readonly events: { readonly retentionDays: number };
  /**
   * Webhook delivery's guard against server-side request forgery: plain `http` URLs, and
   * addresses in loopback, private, link-local or metadata space, are refused unless allowed.
   */
  readonly webhooks: { readonly allowHttp: boolean; readonly allowPrivate: boolean };
  /** The AES-256 key (base64) that encrypts secrets Balise must read back (webhook signing secrets). */
  readonly secretsKey: string;
  /** `spoolDirectory`: where loaduser uploads wait, on disk, until they are stored in the database. */
  readonly uploads: { readonly maxBytes: number; readonly spoolDirectory: string };
  /** How far V8 lets the heap grow past what survived the last full collection; 0 leaves V8's own choice. */
  readonly heapGrowingPercent: number;
  readonly smtp: { readonly url: string | undefined; readonly from: string };
  /** Loaduser imports: rows validated and applied per transaction; how much of a file a read may take in. */
  readonly imports: { readonly batchSize: number; readonly sheetLimits: SheetLimits };
  readonly lifecycle: LifecycleConfig;
  /** The ANS extraction is far larger than a loaduser file (about 120 MB for 535,000 lines). */
  readonly reference: { readonly maxUploadBytes: number };
  /**
   * The directory feed is refreshed by a read whose last refresh is older than `maxAgeSeconds`
   * (0: on every first page), and by a periodic job every `refreshMinutes` (0: never).
   */
  readonly directory: { readonly maxAgeSeconds: number; readonly refreshMinutes: number };
  /** Requests each client address may make to a public route (sign-up) per window. */
  readonly publicRateLimit: { readonly max: number; readonly windowSeconds: number };
}

/**
 * People signing in with OpenID Connect: the providers, the clock skew allowed on `exp`/`nbf`, how
 * soon an unknown `kid` may refetch a provider's keys, and the longest an introspection answer is
 * reused (never past the token's own expiry).
 */
export interface OidcConfig {
  readonly providers: readonly OidcProviderConfig[];
  readonly clockToleranceSeconds: number;
  readonly jwksCooldownSeconds: number;
  readonly introspectionCacheSeconds: number;
}

export interface JobsConfig {
  readonly enabled: boolean;
  readonly pollIntervalMs: number;
  readonly concurrency: number;
  /**
   * A claimed job is its runner's for `leaseSeconds`; the runner renews the lease every
   * `heartbeatSeconds` while the handler runs, so a job whose process died is taken again by
   * another runner within about `leaseSeconds`.
   */
  readonly leaseSeconds: number;
  readonly heartbeatSeconds: number;
  /** How long a finished job's row (its result, its last error) stays readable before the daily purge. */
  readonly retentionDays: number;
}

/** The lifecycle rules' periods: expiry, inactivity deletion, its warnings, retention. */
export interface LifecycleConfig {
  /** Whether this process's job runner enqueues the periodic sweep (one per period runs, however many processes). */
  readonly scheduleEnabled: boolean;
  /** Length of a sweep period, aligned on the Unix epoch in UTC (1440: one sweep a day, from midnight UTC). */
  readonly sweepIntervalMinutes: number;
  /** A box without activity for this many days is deleted. */
  readonly inactivityDays: number;
  /** Days before an inactivity deletion when the owner and the admins are warned, most distant first. */
  readonly warningDays: readonly number[];
  /** Deleted boxes stay restorable this many months; their personal data is purged after it. */
  readonly retentionMonths: number;
  /** An ended import's upload is kept this many hours (for support), then the sweep deletes it. */
  readonly importFileRetentionHours: number;
  /** Audit events are kept this many months (at least AUDIT_RETENTION_MIN_MONTHS), then the sweep deletes them. */
  readonly auditRetentionMonths: number;
}

/** The shortest audit retention accepted: the trail must cover a deleted box's whole restore window (six months by default). */
export const AUDIT_RETENTION_MIN_MONTHS = 6;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid environment variable ${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

/** Reads the variables the schema knows, converts their types, applies defaults, and fails on the first bad one. */
export function loadConfig(environment: NodeJS.ProcessEnv): Config {
  const known = Object.fromEntries(
    Object.keys(EnvironmentSchema.properties)
      .filter((name) => environment[name] !== undefined && environment[name] !== '')
      .map((name) => [name, environment[name]]),
  );
  const converted = Value.Convert(EnvironmentSchema, Value.Default(EnvironmentSchema, known));
  const firstError = Value.Errors(EnvironmentSchema, converted).First();
  if (firstError) {
    const variable = firstError.path.replace(/^\//, '') || 'environment';
    throw new ConfigError(variable, firstError.message);
  }
  const env = converted as Environment;
  return deepFreeze({
    http: {
      port: env.PORT,
      host: env.HOST,
      trustProxy: trustProxyOf(env.BALISE_TRUST_PROXY),
      requestTimeoutSeconds: env.BALISE_REQUEST_TIMEOUT_SECONDS,
      requireIfMatch: env.BALISE_REQUIRE_IF_MATCH,
    },
    database: env.DATABASE_URL
      ? {
          kind: 'postgres',
          url: env.DATABASE_URL,
          poolSize: env.DATABASE_POOL_SIZE,
          connectTimeoutSeconds: env.DATABASE_CONNECT_TIMEOUT_SECONDS,
          idleTimeoutSeconds: env.DATABASE_IDLE_TIMEOUT_SECONDS,
        }
      : { kind: 'pglite', dataDir: env.BALISE_DATA_DIR },
    logLevel: env.LOG_LEVEL,
    bootstrapApiKey: env.BALISE_BOOTSTRAP_API_KEY,
    auth: { apiKeyCacheSeconds: env.BALISE_API_KEY_CACHE_SECONDS, oidc: oidcConfigOf(env) },
    corsOrigins: (env.BALISE_CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
    jobs: jobsConfigOf(env),
    uploads: { maxBytes: env.BALISE_UPLOAD_MAX_BYTES, spoolDirectory: env.BALISE_UPLOAD_SPOOL_DIR ?? tmpdir() },
    heapGrowingPercent: env.BALISE_HEAP_GROWING_PERCENT,
    smtp: { url: env.SMTP_URL, from: env.SMTP_FROM },
    imports: {
      batchSize: env.BALISE_IMPORT_BATCH_SIZE,
      sheetLimits: {
        maxRows: env.BALISE_IMPORT_MAX_ROWS,
        maxColumns: env.BALISE_IMPORT_MAX_COLUMNS,
        maxCellCharacters: env.BALISE_IMPORT_MAX_CELL_CHARACTERS,
        maxUnpackedBytes: env.BALISE_IMPORT_MAX_UNPACKED_BYTES,
        maxSharedStrings: env.BALISE_IMPORT_MAX_SHARED_STRINGS,
        maxSharedStringCharacters: env.BALISE_IMPORT_MAX_SHARED_STRING_CHARACTERS,
        readerMemoryMb: env.BALISE_IMPORT_READER_MEMORY_MB,
        readerIdleSeconds: env.BALISE_IMPORT_READER_IDLE_SECONDS,
      },
    },
    lifecycle: lifecycleConfigOf(env),
    reference: { maxUploadBytes: env.BALISE_REFERENCE_UPLOAD_MAX_BYTES },
    directory: {
      maxAgeSeconds: env.BALISE_DIRECTORY_MAX_AGE_SECONDS,
      refreshMinutes: env.BALISE_DIRECTORY_REFRESH_MINUTES,
    },
    publicRateLimit: { max: env.BALISE_PUBLIC_RATE_LIMIT, windowSeconds: env.BALISE_PUBLIC_RATE_WINDOW_SECONDS },
    idempotency: { retentionHours: env.BALISE_IDEMPOTENCY_RETENTION_HOURS },
    events: { retentionDays: env.BALISE_EVENTS_RETENTION_DAYS },
    webhooks: { allowHttp: env.BALISE_WEBHOOKS_ALLOW_HTTP, allowPrivate: env.BALISE_WEBHOOKS_ALLOW_PRIVATE },
    secretsKey: secretsKeyOf(env),
  });
}

/**
 * A fixed, public key for development and tests, so that a laptop needs no setting; production
 * (`NODE_ENV=production`) must bring its own, since anyone can read this one.
 */
const DEVELOPMENT_SECRETS_KEY = 'YmFsaXNlLWRldmVsb3BtZW50LW9ubHktc2VjcmV0cy0=';

function secretsKeyOf(env: Environment): string {
  if (env.BALISE_SECRETS_KEY) return env.BALISE_SECRETS_KEY;
  if (env.NODE_ENV === 'production')
    throw new ConfigError('BALISE_SECRETS_KEY', 'is required in production (32 random bytes in base64)');
  return DEVELOPMENT_SECRETS_KEY;
}

function trustProxyOf(setting: string | undefined): Config['http']['trustProxy'] {
  if (setting === undefined) return false;
  if (setting === 'true') return true;
  return setting.split(',').map((address) => address.trim());
}

function oidcConfigOf(env: Environment): OidcConfig {
  const providers = parseOidcProviders(env.BALISE_OIDC_PROVIDERS);
  if (typeof providers === 'string') throw new ConfigError('BALISE_OIDC_PROVIDERS', providers);
  return {
    providers,
    clockToleranceSeconds: env.BALISE_OIDC_CLOCK_TOLERANCE_SECONDS,
    jwksCooldownSeconds: env.BALISE_OIDC_JWKS_COOLDOWN_SECONDS,
    introspectionCacheSeconds: env.BALISE_OIDC_INTROSPECTION_CACHE_SECONDS,
  };
}

function jobsConfigOf(env: Environment): JobsConfig {
  // At least two renewals per lease: one renewal lost to a slow query must not cost the lease.
  if (env.BALISE_JOBS_HEARTBEAT_SECONDS * 2 > env.BALISE_JOBS_LEASE_SECONDS) {
    throw new ConfigError('BALISE_JOBS_HEARTBEAT_SECONDS', 'must be at most half of BALISE_JOBS_LEASE_SECONDS');
  }
  return {
    enabled: env.BALISE_JOBS_ENABLED,
    pollIntervalMs: env.BALISE_JOBS_POLL_MS,
    concurrency: env.BALISE_JOBS_CONCURRENCY,
    leaseSeconds: env.BALISE_JOBS_LEASE_SECONDS,
    heartbeatSeconds: env.BALISE_JOBS_HEARTBEAT_SECONDS,
    retentionDays: env.BALISE_JOBS_RETENTION_DAYS,
  };
}

function lifecycleConfigOf(env: Environment): LifecycleConfig {
  const warningDays = [
    ...new Set(env.BALISE_LIFECYCLE_WARNING_DAYS.split(',').map((days) => Number(days.trim()))),
  ].sort((a, b) => b - a);
  if (warningDays.some((days) => days < 1 || days >= env.BALISE_LIFECYCLE_INACTIVITY_DAYS)) {
    throw new ConfigError(
      'BALISE_LIFECYCLE_WARNING_DAYS',
      'each must be at least 1 and less than BALISE_LIFECYCLE_INACTIVITY_DAYS',
    );
  }
  if (env.BALISE_AUDIT_RETENTION_MONTHS < AUDIT_RETENTION_MIN_MONTHS) {
    throw new ConfigError(
      'BALISE_AUDIT_RETENTION_MONTHS',
      `must be at least ${AUDIT_RETENTION_MIN_MONTHS} (months): the audit trail must be kept at least that long`,
    );
  }
  return {
    scheduleEnabled: env.BALISE_LIFECYCLE_SCHEDULE_ENABLED,
    sweepIntervalMinutes: env.BALISE_LIFECYCLE_SWEEP_INTERVAL_MINUTES,
    inactivityDays: env.BALISE_LIFECYCLE_INACTIVITY_DAYS,
    warningDays,
    retentionMonths: env.BALISE_LIFECYCLE_RETENTION_MONTHS,
    importFileRetentionHours: env.BALISE_IMPORT_FILE_RETENTION_HOURS,
    auditRetentionMonths: env.BALISE_AUDIT_RETENTION_MONTHS,
  };
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === 'object') deepFreeze(child as object);
  }
  return Object.freeze(value);
}
