// Baseline child for the profile row (same express major as the users service, NODE_ENV from the
// parent):
// - GET /hello: the express "hello" route of the issue;
// - GET /floor (with FLOOR_AUTH and FLOOR_DB_URL): the least GET /users/profile has to do, written
//   plainly: one Authenticate call to Usher's auth service and one primary-key select with pg.
//   Usher's figure against this one is its own overhead; this one against hello is the I/O's cost.
//   node hello-server.js <port>
import express from 'express';
import * as grpc from '@grpc/grpc-js';
import { Pool } from 'pg';
import { newAuthServiceClient, type Principal__Output } from '@usher/contracts';

const app = express();
app.disable('x-powered-by');
app.get('/hello', (_req, res) => {
  res.json({ hello: 'world' });
});

const { FLOOR_AUTH, FLOOR_DB_URL, FLOOR_AUTH_CLIENT_ID, FLOOR_AUTH_CLIENT_SECRET } = process.env;
if (FLOOR_AUTH && FLOOR_DB_URL) {
  const caller = { id: FLOOR_AUTH_CLIENT_ID ?? '', secret: FLOOR_AUTH_CLIENT_SECRET ?? '' };
  const auth = newAuthServiceClient(FLOOR_AUTH, grpc.credentials.createInsecure(), {}, caller);
  const pool = new Pool({ connectionString: FLOOR_DB_URL, max: 10 });
  const columns =
    'id, first_name, last_name, email, username, role, status, tags, metadata, picture, created_at';
  app.get('/floor', (req, res, next) => {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /i, '');
    auth.Authenticate({ token }, { deadline: Date.now() + 1000 }, (err, principal?: Principal__Output) => {
      if (err || !principal) return void res.status(401).json({ error: 'unauthenticated' });
      pool
        .query(`select ${columns} from users.users where id = $1`, [principal.user_id])
        .then((r) => (r.rows[0] ? res.json(r.rows[0]) : res.status(404).json({ error: 'not_found' })), next);
    });
  });
}

const server = app.listen(Number(process.argv[2]), '127.0.0.1');
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => server.close(() => process.exit(0)));
