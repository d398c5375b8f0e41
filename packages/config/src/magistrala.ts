import type { Env } from './load';

/**
 * The Magistrala name of an Usher variable: `USHER_USERS_*` -> `MG_USERS_*`, `USHER_*` -> `MG_*`
 * (the users service of absmach/magistrala, whose README lists them).
 */
export const magistralaName = (usherName: string): string | undefined =>
  usherName.startsWith('USHER_') ? `MG_${usherName.slice('USHER_'.length)}` : undefined;

/**
 * Reads each `MG_*` variable as a fallback for its `USHER_*` name: an environment file written for
 * Magistrala configures Usher. The `USHER_*` name wins when both are set (empty counts as unset).
 * Returns the merged environment and the `MG_*` names that were used, for one log line.
 */
export function withMagistralaFallbacks(
  env: Env,
  usherNames: Iterable<string>,
): { env: Env; used: string[] } {
  const merged: Env = { ...env };
  const used: string[] = [];
  for (const name of usherNames) {
    const mg = magistralaName(name);
    if (!mg || (env[name] !== undefined && env[name] !== '')) continue;
    const value = env[mg];
    if (value === undefined || value === '') continue;
    merged[name] = value;
    used.push(mg);
  }
  return { env: merged, used: used.sort() };
}

/** The names generic OAuth provider blocks use in `env` (USHER_OAUTH_<NAME>_*), as their MG_ forms. */
export function oauthNamesIn(env: Env): string[] {
  return Object.keys(env)
    .filter((k) => /^MG_OAUTH_[A-Z0-9]+_[A-Z_]+$/.test(k))
    .map((k) => `USHER_${k.slice('MG_'.length)}`);
}
