import fs from 'fs';
import path from 'path';
import * as grpc from '@grpc/grpc-js';
import { withCaller, type CallerCredentials } from './caller';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType } from './generated/auth';
import type { AuthServiceClient, AuthServiceDefinition } from './generated/usher/auth/v1/AuthService';

// The same options the types in src/generated were made with (scripts/gen-args.js).
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

/** proto/ inside dist (copied at build) or at the repository root (sources, tests). */
export function protoDir(): string {
  const candidates = [path.join(__dirname, 'proto'), path.join(__dirname, '../../../proto')];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'usher/auth/v1/auth.proto')));
  if (!found) throw new Error(`auth.proto not found in ${candidates.join(' or ')}`);
  return found;
}

let cached: ProtoGrpcType | undefined;

/** Loads usher/auth/v1/auth.proto once. */
export function loadAuthProto(): ProtoGrpcType {
  if (!cached) {
    const definition = protoLoader.loadSync('usher/auth/v1/auth.proto', {
      ...LOADER_OPTIONS,
      includeDirs: [protoDir()],
    });
    cached = grpc.loadPackageDefinition(definition) as unknown as ProtoGrpcType;
  }
  return cached;
}

export const authServiceDefinition = (): AuthServiceDefinition =>
  loadAuthProto().usher.auth.v1.AuthService.service;

/**
 * A raw generated client; most callers want `@usher/auth-client` instead. `caller` names the
 * calling service when there is no client certificate.
 */
export function newAuthServiceClient(
  address: string,
  credentials: grpc.ChannelCredentials,
  options?: grpc.ClientOptions,
  caller?: CallerCredentials,
): AuthServiceClient {
  const Ctor = loadAuthProto().usher.auth.v1.AuthService;
  return new Ctor(address, credentials, withCaller(options, caller));
}
