// Baseline child: an empty grpc-js unary server for the verify row. It serves the AuthService
// definition (so the same typed load generator calls it) with an Authenticate handler that does no
// work and answers a fixed Principal of the size Usher's carries.
//   node echo-server.js <port>
import * as grpc from '@grpc/grpc-js';
import { authServiceDefinition } from '@usher/contracts';

const principal = {
  user_id: '6f1c3a52-2a4e-4d8a-9a59-0d5b8f6f7d11',
  role: 'ROLE_VIEWER',
  session_id: 'b0d5a0a4-1f5e-4c67-8f1c-6b2f0d0e9a3c',
  verified: false,
  expires_at: 1_900_000_000,
  token_id: '3c9d8f0e-5b7a-4e21-9c3d-7a1b2c3d4e5f',
  kind: 'access',
  api_key_id: '',
};

const port = Number(process.argv[2]);
const server = new grpc.Server();
const unimplemented = (_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
  callback({ code: grpc.status.UNIMPLEMENTED });
const handlers: Record<string, grpc.UntypedHandleCall> = {};
for (const name of Object.keys(authServiceDefinition())) handlers[name] = unimplemented;
handlers.Authenticate = (_call: unknown, callback: grpc.sendUnaryData<unknown>) => callback(null, principal);
server.addService(authServiceDefinition(), handlers);
server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err) => {
  if (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
});
process.on('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
