import fs from 'fs';
import path from 'path';

const readJson = (file: string): Record<string, string> => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
};

/**
 * Build facts for /health: version from package.json, commit and build time from
 * dist/build-info.json (written by scripts/build-info.js at build), as the users service does.
 */
export function buildInfo(): { version: string; commit: string; buildTime: string } {
  const root = path.join(__dirname, '..');
  const build = readJson(path.join(root, 'dist/build-info.json'));
  return {
    version: readJson(path.join(root, 'package.json')).version ?? '0.0.0',
    commit: build.commit ?? 'unknown',
    buildTime: build.build_time ?? 'unknown',
  };
}
