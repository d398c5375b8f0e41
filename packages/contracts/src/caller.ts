import * as grpc from '@grpc/grpc-js';

// How a caller of the auth gRPC API names itself without mTLS (issue 15): two metadata entries on
// every call. With mTLS the client certificate is the identity and these are not read.
export const CLIENT_ID_METADATA = 'usher-client-id';
export const CLIENT_SECRET_METADATA = 'usher-client-secret';

/** A service's name and secret as a caller of auth (e.g. USHER_USERS_AUTH_CLIENT_ID/_SECRET). */
export interface CallerCredentials {
  id: string;
  secret: string;
}

/** A client interceptor that adds the caller's name and secret to every call, streaming ones too. */
export function callerInterceptor(caller: CallerCredentials): grpc.Interceptor {
  return (options, nextCall) =>
    new grpc.InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.set(CLIENT_ID_METADATA, caller.id);
        metadata.set(CLIENT_SECRET_METADATA, caller.secret);
        next(metadata, listener);
      },
    });
}

/** Client options with the caller interceptor appended (none when `caller` is absent or empty). */
export function withCaller(options: grpc.ClientOptions = {}, caller?: CallerCredentials): grpc.ClientOptions {
  if (!caller?.id || !caller.secret) return options;
  return { ...options, interceptors: [...(options.interceptors ?? []), callerInterceptor(caller)] };
}
