import fs from 'fs';
import readline from 'readline';
import { CliError, EXIT } from './output';
import type { Session } from './client';

/** One user read from the file, with the line it started on. */
export interface SourceRow {
  line: number;
  user: Record<string, unknown>;
}

/** A line the CLI could not read (bad JSON, wrong column count); the server never sees it. */
export interface BadLine {
  line: number;
  reason: string;
}

const CSV_FIELDS = new Set([
  'email',
  'username',
  'first_name',
  'last_name',
  'role',
  'status',
  'tags',
  'metadata',
  'verified',
  'secret_hash',
  'secret',
  'password',
]);

/** Splits CSV records (RFC 4180: quoted fields may hold commas, "" and line breaks). */
export async function* csvRecords(
  lines: AsyncIterable<string>,
): AsyncGenerator<{ line: number; cells: string[] }> {
  let n = 0;
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let start = 0;
  for await (const text of lines) {
    n++;
    if (!quoted) {
      start = n;
      cells = [];
      cell = '';
    } else cell += '\n';
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (c === '"') quoted = false;
        else cell += c;
      } else if (c === '"' && cell === '') quoted = true;
      else if (c === ',') {
        cells.push(cell);
        cell = '';
      } else cell += c;
    }
    if (quoted) continue;
    cells.push(cell.replace(/\r$/, ''));
    if (cells.length === 1 && cells[0] === '') continue; // a blank line
    yield { line: start, cells };
  }
  if (quoted) yield { line: start, cells: [] };
}

function csvUser(header: string[], cells: string[]): Record<string, unknown> | string {
  if (cells.length !== header.length) return `expected ${header.length} columns, found ${cells.length}`;
  const user: Record<string, unknown> = {};
  for (let i = 0; i < header.length; i++) {
    const key = header[i]!;
    const value = cells[i]!;
    if (value === '') continue;
    if (key === 'tags') {
      user.tags = value.startsWith('[')
        ? safeJson(value)
        : value
            .split(';')
            .map((t) => t.trim())
            .filter(Boolean);
    } else if (key === 'metadata') {
      user.metadata = safeJson(value);
      if (user.metadata === undefined) return 'metadata: not JSON';
    } else if (key === 'verified') {
      user.verified = /^(true|1|yes)$/i.test(value);
    } else if (key === 'password') {
      user.secret = value;
    } else user[key] = value;
  }
  return user;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A username for a row without one: the email's local part, made valid. */
function usernameFor(email: string): string {
  let name = (email.split('@')[0] ?? '').replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  if (name.length < 3) name = `${name}-user`.replace(/^-/, 'u');
  return name.slice(0, 64);
}

/** Reads FILE.ndjson (or .jsonl) or FILE.csv as users and bad lines, in file order. */
export async function* readUsers(file: string): AsyncGenerator<SourceRow | BadLine> {
  const csv = /\.csv$/i.test(file);
  if (!csv && !/\.(ndjson|jsonl)$/i.test(file)) {
    throw new CliError(`${file}: expected a .ndjson, .jsonl or .csv file`, EXIT.usage, 'usage');
  }
  let stream: fs.ReadStream;
  try {
    fs.accessSync(file, fs.constants.R_OK);
    stream = fs.createReadStream(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`, EXIT.usage, 'usage');
  }
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  const complete = (user: Record<string, unknown>) => {
    if (typeof user.email === 'string' && user.username === undefined)
      user.username = usernameFor(user.email);
    if (user.password !== undefined && user.secret === undefined) {
      user.secret = user.password;
      delete user.password;
    }
    return user;
  };
  if (!csv) {
    let n = 0;
    for await (const text of lines) {
      n++;
      if (text.trim() === '') continue;
      const value = safeJson(text);
      if (value === undefined) yield { line: n, reason: 'not valid JSON' };
      else if (!value || typeof value !== 'object' || Array.isArray(value))
        yield { line: n, reason: 'not a JSON object' };
      else yield { line: n, user: complete(value as Record<string, unknown>) };
    }
    return;
  }
  let header: string[] | null = null;
  for await (const { line, cells } of csvRecords(lines)) {
    if (!header) {
      header = cells.map((c) => c.trim().toLowerCase());
      const unknown = header.filter((h) => !CSV_FIELDS.has(h));
      if (!header.includes('email') || unknown.length) {
        throw new CliError(
          `${file}: line ${line}: the header must name the columns (email, username, first_name, last_name, ` +
            `role, status, tags, metadata, verified, secret_hash, secret)${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`,
          EXIT.usage,
          'usage',
        );
      }
      continue;
    }
    if (cells.length === 0) {
      yield { line, reason: 'unterminated quoted field' };
      continue;
    }
    const user = csvUser(header, cells);
    if (typeof user === 'string') yield { line, reason: user };
    else yield { line, user: complete(user) };
  }
}

export interface ImportSummary {
  dry_run: boolean;
  lines: number;
  created: number;
  valid: number;
  skipped: number;
  errors: BadLine[];
  seconds: number;
  users_per_second: number;
}

export function lineCount(file: string): number {
  try {
    const text = fs.readFileSync(file);
    let n = 0;
    for (let i = text.indexOf(10); i !== -1; i = text.indexOf(10, i + 1)) n++;
    return text.length > 0 && text[text.length - 1] !== 10 ? n + 1 : n;
  } catch {
    return 0;
  }
}

/** Batches of at most `size` users and ~80 kB (the API takes 100 kB bodies), one request each. */
export async function importFile(
  session: Session,
  file: string,
  options: { dryRun: boolean; batchSize: number },
  report: { bad(line: BadLine): void; progress(done: number): void },
): Promise<ImportSummary> {
  const started = Date.now();
  const total = lineCount(file);
  const summary: ImportSummary = {
    dry_run: options.dryRun,
    lines: 0,
    created: 0,
    valid: 0,
    skipped: 0,
    errors: [],
    seconds: 0,
    users_per_second: 0,
  };
  const fail = (bad: BadLine) => {
    summary.skipped++;
    summary.errors.push(bad);
    report.bad(bad);
  };
  let batch: SourceRow[] = [];
  let bytes = 0;
  let read = 0;
  const send = async () => {
    if (batch.length === 0) return;
    const res = await session.expect('POST', '/users/import', [200], 'import', {
      users: batch.map((r) => r.user),
      dry_run: options.dryRun || undefined,
    });
    for (const r of res.body.results as { index: number; outcome: string; message?: string }[]) {
      const row = batch[r.index]!;
      if (r.outcome === 'created') summary.created++;
      else if (r.outcome === 'valid') summary.valid++;
      else fail({ line: row.line, reason: `${r.outcome}: ${r.message ?? ''}` });
    }
    batch = [];
    bytes = 0;
    report.progress(Math.min(read, total));
  };
  for await (const item of readUsers(file)) {
    if ('reason' in item) {
      fail(item);
      continue;
    }
    const size = Buffer.byteLength(JSON.stringify(item.user)) + 1;
    read = item.line;
    if (size > 80_000) {
      fail({ line: item.line, reason: 'row larger than 80 kB' });
      continue;
    }
    if (batch.length >= options.batchSize || bytes + size > 80_000) await send();
    batch.push(item);
    bytes += size;
  }
  await send();
  report.progress(total);
  summary.lines = total;
  summary.errors.sort((a, b) => a.line - b.line);
  summary.seconds = (Date.now() - started) / 1000;
  summary.users_per_second = Math.round((summary.created + summary.valid) / Math.max(summary.seconds, 0.001));
  return summary;
}

/** A one-line progress bar on stderr (only on a terminal). */
export function progressBar(total: number, stream: NodeJS.WriteStream = process.stderr) {
  const width = 30;
  return {
    update(done: number) {
      const ratio = total > 0 ? Math.min(1, done / total) : 1;
      const full = Math.round(ratio * width);
      stream.write(`\r[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${Math.round(ratio * 100)}%`);
    },
    clear() {
      stream.write('\r' + ' '.repeat(width + 8) + '\r');
    },
  };
}
