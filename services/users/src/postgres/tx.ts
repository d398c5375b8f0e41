import { AsyncLocalStorage } from 'async_hooks';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs work in one transaction; repositories read the active EntityManager from here, so a
 * decorator (e.g. the events outbox) can join a domain call and its own writes in one commit.
 */
export class Transactor {
  private readonly storage = new AsyncLocalStorage<EntityManager>();

  constructor(private readonly dataSource: DataSource) {}

  /** The manager of the surrounding transaction, or the plain one outside any. */
  manager(): EntityManager {
    return this.storage.getStore() ?? this.dataSource.manager;
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.storage.getStore()) return work(); // already inside: join it
    return this.dataSource.transaction((manager) => this.storage.run(manager, work));
  }
}
