import type { MigrationInterface, QueryRunner } from 'typeorm';

const TRIGRAM_INDEXES = ['email', 'username', 'first_name', 'last_name'].map((f) => `users_${f}_trgm`);

// One btree per sortable column of GET /users, led by that column, so that a list filtered by
// nothing but status and role takes its page off an index in the requested order for every
// status ('all' included) instead of sorting ~1M rows. updated_at is listed NULLS LAST both ways;
// its index serves the usual newest-first direction.
const ORDER_INDEXES: [string, string][] = [
  ['users_created_at_order', 'created_at, id'],
  ['users_email_order', 'email, id'],
  ['users_username_order', 'username, id'],
  ['users_first_name_order', 'first_name, id'],
  ['users_last_name_order', 'last_name, id'],
  ['users_updated_at_order', 'updated_at desc nulls last, id desc'],
];

/**
 * List and search on 1M users:
 * - exact user counts per (status, role), kept by triggers in the transaction of every change: a
 *   list filtered by status and role at most reads its `total` from at most 12 rows instead of
 *   counting up to every row. Each statement applies its changes to the counters in (status, role)
 *   order; writes changing the same counter queue on its row until they commit;
 * - btree indexes for the list orders (above);
 * - the trigram GIN indexes without a pending list (fastupdate off): every search would otherwise
 *   scan the whole pending list (up to gin_pending_list_limit, 4 MB per index) until a vacuum
 *   merges it; a user insert pays a little more instead.
 * Everything here holds a lock that blocks writes to users until it commits: about 5 s for 1M
 * users on 2 cores, mostly the index builds.
 */
export class ListAtScale1763950000000 implements MigrationInterface {
  name = 'ListAtScale1763950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table user_counts (
        status smallint not null,
        role smallint not null,
        n bigint not null,
        primary key (status, role)
      )`);
    // `set search_path from current`: the counters are found whoever writes to users.
    await q.query(`
      create function user_counts_statement() returns trigger
        language plpgsql set search_path from current as $$
      begin
        if tg_op = 'INSERT' then
          insert into user_counts as c (status, role, n)
            select status, role, count(*) from new_rows group by status, role order by status, role
            on conflict (status, role) do update set n = c.n + excluded.n;
        elsif tg_op = 'DELETE' then
          insert into user_counts as c (status, role, n)
            select status, role, -count(*) from old_rows group by status, role order by status, role
            on conflict (status, role) do update set n = c.n + excluded.n;
        elsif tg_op = 'TRUNCATE' then
          delete from user_counts;
        end if;
        return null;
      end $$`);
    await q.query(`
      create function user_counts_row_update() returns trigger
        language plpgsql set search_path from current as $$
      begin
        insert into user_counts as c (status, role, n)
          select * from (values (old.status, old.role, -1), (new.status, new.role, 1)) d (status, role, n)
          order by status, role
          on conflict (status, role) do update set n = c.n + excluded.n;
        return null;
      end $$`);
    // No write may slip between the first count and the triggers: both happen under this lock.
    await q.query(`lock table users in share row exclusive mode`);
    await q.query(`
      create trigger users_count_insert after insert on users
        referencing new table as new_rows for each statement execute function user_counts_statement()`);
    await q.query(`
      create trigger users_count_delete after delete on users
        referencing old table as old_rows for each statement execute function user_counts_statement()`);
    await q.query(`
      create trigger users_count_truncate after truncate on users
        for each statement execute function user_counts_statement()`);
    // Row level, and only when status or role changes: profile edits pay nothing.
    await q.query(`
      create trigger users_count_update after update of status, role on users
        for each row when (old.status is distinct from new.status or old.role is distinct from new.role)
        execute function user_counts_row_update()`);
    await q.query(
      `insert into user_counts (status, role, n) select status, role, count(*) from users group by 1, 2`,
    );

    for (const [name, columns] of ORDER_INDEXES) await q.query(`create index ${name} on users (${columns})`);
    for (const index of TRIGRAM_INDEXES) {
      await q.query(`alter index ${index} set (fastupdate = off)`);
      await q.query(`select gin_clean_pending_list('${index}'::regclass)`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of TRIGRAM_INDEXES) await q.query(`alter index ${index} reset (fastupdate)`);
    for (const [name] of ORDER_INDEXES) await q.query(`drop index ${name}`);
    for (const t of ['insert', 'delete', 'truncate', 'update'])
      await q.query(`drop trigger users_count_${t} on users`);
    await q.query(`drop function user_counts_row_update()`);
    await q.query(`drop function user_counts_statement()`);
    await q.query(`drop table user_counts`);
  }
}
