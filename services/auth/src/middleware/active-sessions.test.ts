import { createLogger, createRegistry } from '@usher/telemetry';
import { activeSessionsGauge } from './active-sessions';

const logger = createLogger({ service: 'auth', level: 'silent' });
const value = async (registry: ReturnType<typeof createRegistry>) =>
  Number(/^usher_auth_active_sessions(?:\{[^}]*\})? (\S+)$/m.exec(await registry.metrics())?.[1]);

describe('active sessions gauge', () => {
  it('counts on scrape, reuses the count for the cache period, and keeps the last value when a count fails', async () => {
    let clock = 0;
    let live = 3;
    let fail = false;
    const count = jest.fn(async () => {
      if (fail) throw new Error('database down');
      return live;
    });
    const registry = createRegistry('auth');
    activeSessionsGauge(registry, count, { cacheMs: 5000, logger, now: () => clock });

    expect(await value(registry)).toBe(3);
    live = 4;
    clock = 4999;
    expect(await value(registry)).toBe(3); // cached
    expect(count).toHaveBeenCalledTimes(1);
    clock = 5000;
    expect(await value(registry)).toBe(4);
    fail = true;
    clock = 20_000;
    expect(await value(registry)).toBe(4);
    expect(count).toHaveBeenCalledTimes(3);
  });

  it('shares one count between concurrent scrapes', async () => {
    const count = jest.fn(() => new Promise<number>((resolve) => setTimeout(() => resolve(7), 20)));
    const registry = createRegistry('auth');
    activeSessionsGauge(registry, count, { logger });
    expect(await Promise.all([value(registry), value(registry)])).toEqual([7, 7]);
    expect(count).toHaveBeenCalledTimes(1);
  });
});
