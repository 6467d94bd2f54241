import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/**
 * Every setting the service reads from its environment, validated once at start-up.
 * Nothing else in src/ reads process.env: the Config object is passed in.
 */
const EnvironmentSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATABASE_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  BALISE_DATA_DIR: Type.String({ minLength: 1, default: './data' }),
  BALISE_BOOTSTRAP_API_KEY: Type.Optional(Type.String({ minLength: 24 })),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info' },
  ),
  BALISE_JOBS_ENABLED: Type.Boolean({ default: true }),
  BALISE_JOBS_POLL_MS: Type.Integer({ minimum: 50, default: 1000 }),
  BALISE_JOBS_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 32, default: 2 }),
  BALISE_UPLOAD_MAX_BYTES: Type.Integer({ minimum: 1024, default: 50 * 1024 * 1024 }),
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  SMTP_FROM: Type.String({ default: 'Balise <no-reply@balise.invalid>' }),
});
type Environment = Static<typeof EnvironmentSchema>;

export type DatabaseConfig =
  | { kind: 'postgres'; url: string; poolSize: number }
  | { kind: 'pglite'; dataDir: string /* a folder, or 'memory://' for a throwaway database */ };

export interface Config {
  readonly http: { readonly port: number; readonly host: string };
  readonly database: Readonly<DatabaseConfig>;
  readonly logLevel: Environment['LOG_LEVEL'];
  readonly bootstrapApiKey: string | undefined;
  readonly jobs: { readonly enabled: boolean; readonly pollIntervalMs: number; readonly concurrency: number };
  readonly uploads: { readonly maxBytes: number };
  readonly smtp: { readonly url: string | undefined; readonly from: string };
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
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
    http: { port: env.PORT, host: env.HOST },
    database: env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE }
      : { kind: 'pglite', dataDir: env.BALISE_DATA_DIR },
    logLevel: env.LOG_LEVEL,
    bootstrapApiKey: env.BALISE_BOOTSTRAP_API_KEY,
    jobs: {
      enabled: env.BALISE_JOBS_ENABLED,
      pollIntervalMs: env.BALISE_JOBS_POLL_MS,
      concurrency: env.BALISE_JOBS_CONCURRENCY,
    },
    uploads: { maxBytes: env.BALISE_UPLOAD_MAX_BYTES },
    smtp: { url: env.SMTP_URL, from: env.SMTP_FROM },
  });
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === 'object') deepFreeze(child as object);
  }
  return Object.freeze(value);
}
