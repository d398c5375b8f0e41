// jest globalSetup/globalTeardown for packages with integration tests (see jest.config.js).
import { ensureTestPostgres, stopTestPostgres } from './postgres';

export const globalSetup = async () => {
  await ensureTestPostgres();
};
export const globalTeardown = stopTestPostgres;
