// Original file: ../../proto/usher/auth/v1/auth.proto

import type { Role as _usher_auth_v1_Role, Role__Output as _usher_auth_v1_Role__Output } from '../../../usher/auth/v1/Role';
import type { Long } from '@grpc/proto-loader';

/**
 * The caller behind a valid access token.
 */
export interface Principal {
  'user_id'?: (string);
  'role'?: (_usher_auth_v1_Role);
  'session_id'?: (string);
  'verified'?: (boolean);
  'expires_at'?: (number | string | Long);
  'token_id'?: (string);
}

/**
 * The caller behind a valid access token.
 */
export interface Principal__Output {
  'user_id': (string);
  'role': (_usher_auth_v1_Role__Output);
  'session_id': (string);
  'verified': (boolean);
  'expires_at': (number);
  'token_id': (string);
}
