import { createLogger } from '@usher/telemetry';
import { RevocationCache } from './revocation-cache';
import { RevocationSync } from './revocation-sync';
import type { RevocationEntry, RevocationRepository } from './repositories';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Revocations visible so far; seqs can appear out of order like concurrent commits do. */
class FakeRevocations implements Pick<RevocationRepository, 'recent' | 'after'> {
  visible: RevocationEntry[] = [];
  async recent() {
    return { entries: [...this.visible], lastSeq: Math.max(0, ...this.visible.map((e) => e.seq)) };
  }
  async after(afterSeq: number, seqs: number[], limit: number) {
    return this.visible
      .filter((e) => e.seq > afterSeq || seqs.includes(e.seq))
      .sort((a, b) => a.seq - b.seq)
      .slice(0, limit);
  }
}

describe('RevocationSync', () => {
  const logger = createLogger({ service: 'auth', level: 'silent' });
  const entry = (seq: number): RevocationEntry => ({
    seq,
    kind: 'session',
    subject: id(seq),
    at: Date.now(),
  });

  it('loads recent revocations, then polls new ones, including a seq that commits late', async () => {
    const repo = new FakeRevocations();
    const cache = new RevocationCache(60_000);
    const sync = new RevocationSync(repo as unknown as RevocationRepository, cache, {
      pollMs: 10,
      windowMs: 60_000,
      logger,
    });
    repo.visible.push(entry(1));
    await sync.load();
    expect(cache.isSessionRevoked(id(1))).toBe(true);

    repo.visible.push(entry(3)); // 2 is still in flight in another transaction
    await sync.poll();
    expect(cache.isSessionRevoked(id(3))).toBe(true);
    repo.visible.push(entry(2));
    await sync.poll();
    expect(cache.isSessionRevoked(id(2))).toBe(true);
  });

  it('keeps polling on its own and survives a failing poll', async () => {
    const repo = new FakeRevocations();
    let fail = true;
    const flaky = {
      recent: () => repo.recent(),
      after: async (a: number, s: number[], l: number) => {
        if (fail) throw new Error('database down');
        return repo.after(a, s, l);
      },
    };
    const cache = new RevocationCache(60_000);
    const sync = new RevocationSync(flaky as unknown as RevocationRepository, cache, {
      pollMs: 10,
      windowMs: 60_000,
      logger,
    });
    await sync.load();
    sync.start();
    repo.visible.push(entry(1));
    await new Promise((r) => setTimeout(r, 50));
    expect(cache.isSessionRevoked(id(1))).toBe(false);
    fail = false;
    await new Promise((r) => setTimeout(r, 50));
    await sync.stop();
    expect(cache.isSessionRevoked(id(1))).toBe(true);
  });
});
