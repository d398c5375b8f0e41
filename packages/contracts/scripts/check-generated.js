// Fails when src/generated no longer matches proto/: run `pnpm gen` and commit the result.
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'usher-gen-'));
execFileSync(process.execPath, [path.join(__dirname, 'gen.js'), tmp], { stdio: 'inherit' });
const committed = path.join(__dirname, '../src/generated');
const list = (dir) =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { recursive: true })
        .filter((f) => f.endsWith('.ts'))
        .sort()
    : [];
const a = list(tmp);
const b = list(committed);
const stale = [...new Set([...a, ...b])].filter(
  (f) =>
    !a.includes(f) ||
    !b.includes(f) ||
    fs.readFileSync(path.join(tmp, f), 'utf8') !== fs.readFileSync(path.join(committed, f), 'utf8'),
);
fs.rmSync(tmp, { recursive: true, force: true });
if (stale.length) {
  console.error(
    `generated types are out of date (${stale.join(', ')}): run \`pnpm gen\` and commit src/generated`,
  );
  process.exit(1);
}
