import fs from 'fs';
import path from 'path';

export interface HealthInfo {
  status: 'pass';
  version: string;
  commit: string;
  description: string;
  build_time: string;
  instance_id: string;
}

const readJson = (file: string): Record<string, string> => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
};

/** The seed's health body; version from package.json, commit and build time from dist/build-info.json. */
export function healthInfo(instanceId: string): HealthInfo {
  const root = path.join(__dirname, '../..');
  const build = readJson(path.join(root, 'dist/build-info.json'));
  return {
    status: 'pass',
    version: readJson(path.join(root, 'package.json')).version ?? '0.0.0',
    commit: build.commit ?? 'unknown',
    description: 'users service',
    build_time: build.build_time ?? 'unknown',
    instance_id: instanceId,
  };
}
