// Writes dist/build-info.json (commit, build time) for the service built in the current directory;
// /health reports it. USHER_BUILD_COMMIT / USHER_BUILD_TIME win (container builds have no .git).
const { execSync } = require('child_process');
const fs = require('fs');
const path = require('path');
let commit = process.env.USHER_BUILD_COMMIT;
if (!commit) {
  try {
    commit = execSync('git rev-parse --short=12 HEAD', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    commit = 'unknown';
  }
}
const info = { commit, build_time: process.env.USHER_BUILD_TIME || new Date().toISOString() };
fs.mkdirSync('dist', { recursive: true });
fs.writeFileSync(path.join('dist', 'build-info.json'), JSON.stringify(info) + '\n');
