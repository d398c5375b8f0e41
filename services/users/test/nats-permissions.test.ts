import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { connect, type NatsConnection } from 'nats';
import { natsConnection } from '@usher/config';
import { ensureUsersStream, startConsumer, type RunningConsumer, type UserEvent } from '@usher/events';
import { freePort, natsServerBinary, startNatsServer, waitFor, type PrivateNats } from '@usher/testkit';

// docker/nats/nats.conf (the file compose mounts) on a real nats-server: each service is its own NATS
// user, and the server refuses publishes outside the user's subjects.

const CONFIG = path.join(__dirname, '../../../docker/nats/nats.conf');
const BINARY = natsServerBinary();
if (!BINARY && process.env.USHER_TEST_REQUIRE_SERVICES === '1')
  throw new Error('nats-server is not installed');

const REVOCATIONS = 'usher.auth.revocations';
const PASSWORDS = {
  auth: 'p' + crypto.randomBytes(12).toString('hex'),
  users: 'p' + crypto.randomBytes(12).toString('hex'),
  consumer: 'p' + crypto.randomBytes(12).toString('hex'),
};
type Who = keyof typeof PASSWORDS;

(BINARY ? describe : describe.skip)('NATS users and subject permissions (docker/nats/nats.conf)', () => {
  let server: PrivateNats;
  let store: string;
  let port: number;
  const conns: NatsConnection[] = [];
  let consumer: RunningConsumer | undefined;

  /** Connects the way the services do: credentials in the URL, taken out by natsConnection(). */
  const as = async (who: Who, password = PASSWORDS[who]) => {
    const nc = await connect({
      ...natsConnection(`nats://${who}:${password}@127.0.0.1:${port}`),
      timeout: 5000,
    });
    conns.push(nc);
    return nc;
  };

  /** Permission errors the server reported to this connection. */
  const violations = (nc: NatsConnection) => {
    const seen: string[] = [];
    void (async () => {
      for await (const s of nc.status()) if (s.type === 'error') seen.push(String(s.data));
    })();
    return seen;
  };

  /**
   * Publishes `subject` as `who`, then a marker as `marker` (allowed to publish it); true when the
   * watcher (subscribed to both) saw the first message. The server processed the first publish before
   * answering the flush, so the marker arrives after it if it was delivered at all.
   */
  async function delivered(who: Who, subject: string, watcher: Who, marker: { who: Who; subject: string }) {
    const watch = await as(watcher);
    const got: string[] = [];
    const nonce = crypto.randomUUID();
    for (const s of [subject, marker.subject])
      watch.subscribe(s, { callback: (_e, m) => got.push(`${m.subject}:${m.string()}`) });
    await watch.flush();
    const pub = await as(who);
    const errors = violations(pub);
    pub.publish(subject, `probe-${nonce}`);
    await pub.flush();
    const mark = await as(marker.who);
    mark.publish(marker.subject, `marker-${nonce}`);
    await mark.flush();
    await waitFor(() => got.includes(`${marker.subject}:marker-${nonce}`), 10_000);
    const seen = got.includes(`${subject}:probe-${nonce}`);
    if (!seen)
      await waitFor(() => errors.some((e) => /permissions.?violation/i.test(e)), 10_000).catch(() => {
        throw new Error(
          `${who} -> ${subject}: not delivered and no violation; got ${JSON.stringify(got)} errors ${JSON.stringify(errors)}`,
        );
      });
    return seen;
  }

  /** Publishes as `who` and waits for the server's permissions violation. */
  async function refused(who: Who, subject: string) {
    const pub = await as(who);
    const errors = violations(pub);
    pub.publish(subject, 'probe');
    await pub.flush();
    await waitFor(() => errors.some((e) => /permissions.?violation/i.test(e)), 10_000);
    return true;
  }

  beforeAll(async () => {
    store = fs.mkdtempSync(path.join(os.tmpdir(), 'usher-nats-perms-'));
    port = await freePort();
    server = await startNatsServer(BINARY!, port, {
      config: CONFIG,
      monitorPort: await freePort(),
      storeDir: store,
      env: {
        USHER_NATS_AUTH_PASSWORD: PASSWORDS.auth,
        USHER_NATS_USERS_PASSWORD: PASSWORDS.users,
        USHER_NATS_CONSUMER_PASSWORD: PASSWORDS.consumer,
      },
    });
  }, 60_000);

  afterAll(async () => {
    await consumer?.stop();
    await Promise.all(conns.map((c) => c.close().catch(() => undefined)));
    await server?.stop();
    if (store) fs.rmSync(store, { recursive: true, force: true });
  });

  it('refuses a connection without the right password', async () => {
    await expect(as('users', 'wrong')).rejects.toThrow(/authorization/i);
    await expect(connect({ servers: `nats://127.0.0.1:${port}`, timeout: 5000 })).rejects.toThrow(
      /authorization/i,
    );
  });

  it('auth alone publishes revocations', async () => {
    const marker = { who: 'auth' as const, subject: REVOCATIONS };
    expect(
      await delivered('auth', REVOCATIONS, 'consumer', { who: 'users', subject: 'usher.users.marker' }),
    ).toBe(true);
    expect(await delivered('users', REVOCATIONS, 'consumer', marker)).toBe(false);
    expect(await delivered('consumer', REVOCATIONS, 'users', marker)).toBe(false);
  });

  it('users alone publishes usher.users.*', async () => {
    const marker = { who: 'users' as const, subject: 'usher.users.marker' };
    expect(await delivered('users', 'usher.users.created', 'consumer', marker)).toBe(true);
    expect(await delivered('auth', 'usher.users.created', 'consumer', marker)).toBe(false);
    expect(await delivered('consumer', 'usher.users.role_changed', 'users', marker)).toBe(false);
  });

  it('no service publishes outside its subjects (e.g. a made-up subject, or another stream)', async () => {
    expect(await refused('users', 'usher.other.thing')).toBe(true);
    expect(await refused('auth', 'usher.dlq.users.created')).toBe(true);
    expect(await refused('consumer', 'usher.auth.other')).toBe(true);
    // nobody but the JetStream owner touches the stream's configuration
    expect(await refused('consumer', '$JS.API.STREAM.DELETE.USHER_USERS')).toBe(true);
    expect(await refused('auth', '$JS.API.STREAM.CREATE.USHER_USERS')).toBe(true);
  });

  it('users runs its JetStream stream, a consumer reads it through a durable consumer, and cannot write to it', async () => {
    const users = await as('users');
    await ensureUsersStream(await users.jetstreamManager(), {
      retentionMs: 60_000,
      duplicateWindowMs: 30_000,
    });
    const event = {
      id: crypto.randomUUID(),
      type: 'created',
      version: 1,
      occurred_at: new Date().toISOString(),
      actor_id: '',
      user: { id: crypto.randomUUID() },
      changes: {},
    };
    const ack = await users.jetstream().publish('usher.users.created', JSON.stringify(event));
    expect(ack.stream).toBe('USHER_USERS');

    const received: UserEvent[] = [];
    consumer = await startConsumer({
      nats: `nats://consumer:${PASSWORDS.consumer}@127.0.0.1:${port}`,
      durable: 'billing',
      handlers: { created: (e) => void received.push(e) },
      onError: (err) => console.error(err),
    });
    await waitFor(() => received.some((e) => e.id === event.id), 20_000);

    // the consumer's own attempt to add an event to the stream is refused
    const other = await as('consumer');
    await expect(
      other
        .jetstream()
        .publish('usher.users.created', JSON.stringify({ ...event, id: 'forged' }), { timeout: 3000 }),
    ).rejects.toThrow();
    const auth = await as('auth');
    await expect(auth.jetstreamManager()).rejects.toThrow();
    const info = await (await users.jetstreamManager()).streams.info('USHER_USERS');
    expect(info.state.messages).toBe(1);
  });
});
