import { Command } from 'commander';
import { Session } from '../client';
import { CliError, colorEnabled, EXIT, style, type Style } from '../output';

export const ROLES = ['viewer', 'editor', 'admin', 'owner'] as const;
export const STATUSES = ['enabled', 'disabled', 'deleted', 'all'] as const;

export interface Globals {
  url?: string;
  json?: boolean;
  color?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API users, printed as they come
export type ApiUser = any;

function globals(cmd: Command): Globals {
  return cmd.optsWithGlobals<Globals>();
}

/** Output helpers of one command run: JSON for scripts, text (coloured on a TTY) for people. */
export function io(cmd: Command) {
  const g = globals(cmd);
  const s: Style = style(colorEnabled(process.stdout, g.color !== false));
  return {
    g,
    s,
    json: Boolean(g.json),
    /** Prints `data` as JSON with --json, else the human text. */
    print(data: unknown, human: () => string) {
      process.stdout.write(g.json ? JSON.stringify(data, null, 2) + '\n' : human() + '\n');
    },
    session: () => Session.open(g.url),
  };
}

export function positiveInt(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1)
      throw new CliError(`${name} must be a positive integer`, EXIT.usage, 'usage');
    return n;
  };
}

/** EMAIL → the user, by exact (case-insensitive) match among the accounts of any status. */
export async function userByEmail(session: Session, email: string): Promise<ApiUser> {
  const q = new URLSearchParams({ email: email.trim(), status: 'all', limit: '100' });
  const res = await session.expect('GET', `/users?${q}`, [200], `looking up ${email}`);
  const found = (res.body.users as ApiUser[]).find(
    (u) => u.email.toLowerCase() === email.trim().toLowerCase(),
  );
  if (!found) throw new CliError(`no user with email ${email}`, EXIT.notFound, 'not_found');
  return found;
}
