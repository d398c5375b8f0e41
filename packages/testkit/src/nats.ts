import { connect } from 'nats';

export const DEFAULT_TEST_NATS_URL = 'nats://127.0.0.1:4222';
export const testNatsUrl = () => process.env.USHER_TEST_NATS_URL || DEFAULT_TEST_NATS_URL;

export async function natsReachable(url = testNatsUrl()): Promise<boolean> {
  try {
    const nc = await connect({ servers: url, timeout: 1500, reconnect: false });
    await nc.close();
    return true;
  } catch {
    return false;
  }
}

/**
 * For tests that need NATS: resolves to `describe` when NATS answers, else to `describe.skip` with a
 * printed reason. With USHER_TEST_REQUIRE_SERVICES=1 (as in CI) a missing NATS fails instead.
 */
export async function describeWithNats(): Promise<jest.Describe> {
  if (await natsReachable()) return describe;
  const reason = `NATS is unreachable at ${testNatsUrl()}`;
  if (process.env.USHER_TEST_REQUIRE_SERVICES === '1') {
    throw new Error(`${reason} and USHER_TEST_REQUIRE_SERVICES=1`);
  }
  console.warn(`[testkit] skipping NATS tests: ${reason} (set USHER_TEST_NATS_URL)`);
  return describe.skip;
}
