import { createLogger } from '@usher/telemetry';
import { RevocationCache } from './revocation-cache';
import { RevocationSync } from './revocation-sync';
import type { RevocationCursor, RevocationEntry, RevocationRepository } from './repositories';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * A log like PostgreSQL's: each entry belongs to a transaction (txid); one still running holds
 * the snapshot's xmin down, so the cursor cannot pass it until it ends.
 */
class FakeRevocations implements Pick<RevocationRepository, 'recent' | 'after'> {
  committed: { txid: number; e: RevocationEntry }[] = [];
  running = new Set<number>();
  private nextTx = 1;
  begin(): number {
    const tx = this.nextTx++;
    this.running.add(tx);
    return tx;
  }
  commit(tx: number, e: RevocationEntry) {
    this.committed.push({ txid: tx, e });
    this.running.delete(tx);
  }
  private xmin() {
    return Math.min(this.nextTx, ...this.running);
  }
  async recent() {
    return { entries: this.committed.map((c) => c.e), horizon: String(this.xmin()) };
  }
  reads = 0;
  async after(cursor: RevocationCursor, limit: number) {
    this.reads++;
    const key = (t: number, s: number) => t * 1e6 + s;
    const rows = this.committed
      .filter((c) => key(c.txid, c.e.seq) > key(Number(cursor.txid), cursor.seq))
      .sort((a, b) => key(a.txid, a.e.seq) - key(b.txid, b.e.seq))
      .slice(0, limit);
    const last = rows[rows.length - 1];
    return {
      entries: rows.map((r) => r.e),
      last: last ? { txid: String(last.txid), seq: last.e.seq } : undefined,
      horizon: String(this.xmin()),
    };
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

  it('loads recent revocations, then polls new ones, including one that commits long after a later one', async () => {
    let clock = Date.now();
    const repo = new FakeRevocations();
    const cache = new RevocationCache(3_600_000, () => clock);
    const sync = new RevocationSync(repo as unknown as RevocationRepository, cache, {
      pollMs: 10,
      windowMs: 3_600_000,
      logger,
      now: () => clock,
    });
    repo.commit(repo.begin(), entry(1));
    await sync.load();
    expect(cache.isSessionRevoked(id(1))).toBe(true);

    const slow = repo.begin(); // takes seq 2, commits a minute later
    repo.commit(repo.begin(), entry(3));
    await sync.poll();
    expect(cache.isSessionRevoked(id(3))).toBe(true); // counts as soon as it commits
    clock += 60_000; // far past the old 10 s gap grace
    await sync.poll();
    repo.commit(slow, entry(2));
    await sync.poll();
    expect(cache.isSessionRevoked(id(2))).toBe(true);
  });

  it('keeps polling on its own and survives a failing poll', async () => {
    const repo = new FakeRevocations();
    let fail = true;
    const flaky = {
      recent: () => repo.recent(),
      after: async (c: RevocationCursor, l: number) => {
        if (fail) throw new Error('database down');
        return repo.after(c, l);
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
    repo.commit(repo.begin(), entry(1));
    await new Promise((r) => setTimeout(r, 50));
    expect(cache.isSessionRevoked(id(1))).toBe(false);
    fail = false;
    await new Promise((r) => setTimeout(r, 50));
    await sync.stop();
    expect(cache.isSessionRevoked(id(1))).toBe(true);
  });

  it('moves its cursor past a page that is full and across many transactions without losing one', async () => {
    const repo = new FakeRevocations();
    const cache = new RevocationCache(3_600_000);
    const sync = new RevocationSync(repo as unknown as RevocationRepository, cache, {
      pollMs: 10,
      windowMs: 3_600_000,
      logger,
    });
    await sync.load();
    const held = repo.begin();
    for (let n = 1; n <= 2500; n++) repo.commit(repo.begin(), entry(n + 10));
    await sync.poll();
    for (let n = 1; n <= 2500; n++) expect(cache.isSessionRevoked(id(n + 10))).toBe(true);
    repo.commit(held, entry(5));
    await sync.poll();
    expect(cache.isSessionRevoked(id(5))).toBe(true);
  });

  it('reports when it last reached the database, and not after a failed poll', async () => {
    let clock = 1_000_000;
    const repo = new FakeRevocations();
    let fail = false;
    const flaky = {
      recent: () => repo.recent(),
      after: async (c: RevocationCursor, l: number) => {
        if (fail) throw new Error('database down');
        return repo.after(c, l);
      },
    };
    const sync = new RevocationSync(flaky as unknown as RevocationRepository, new RevocationCache(60_000), {
      pollMs: 10,
      windowMs: 60_000,
      logger,
      now: () => clock,
    });
    expect(sync.lastSuccessAt).toBe(Number.NEGATIVE_INFINITY);
    await sync.load();
    expect(sync.lastSuccessAt).toBe(1_000_000);
    clock += 500;
    await sync.poll();
    expect(sync.lastSuccessAt).toBe(1_000_500);
    fail = true;
    clock += 500;
    await expect(sync.poll()).rejects.toThrow('database down');
    expect(sync.lastSuccessAt).toBe(1_000_500);
  });
});
