// Regenerates src/generated from proto/ (run by `pnpm gen`).
const { execFileSync } = require('child_process');
const path = require('path');
const fs = require('fs');
const out = process.argv[2] ?? path.join(__dirname, '../src/generated');
fs.rmSync(out, { recursive: true, force: true });
const bin = require.resolve('@grpc/proto-loader/build/bin/proto-loader-gen-types.js');
execFileSync(process.execPath, [bin, ...require('./gen-args'), '--outDir', out], {
  stdio: 'inherit',
  cwd: path.join(__dirname, '..'),
});
