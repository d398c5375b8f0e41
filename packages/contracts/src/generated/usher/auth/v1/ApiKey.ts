// Original file: ../../proto/usher/auth/v1/auth.proto

import type { Role as _usher_auth_v1_Role, Role__Output as _usher_auth_v1_Role__Output } from '../../../usher/auth/v1/Role';
import type { Long } from '@grpc/proto-loader';

/**
 * An API key (personal access token) without its secret.
 */
export interface ApiKey {
  'id'?: (string);
  'user_id'?: (string);
  'name'?: (string);
  'role'?: (_usher_auth_v1_Role);
  'created_at'?: (number | string | Long);
  'expires_at'?: (number | string | Long);
  /**
   * 0 when never used; updated at most about once a minute.
   */
  'last_used_at'?: (number | string | Long);
}

/**
 * An API key (personal access token) without its secret.
 */
export interface ApiKey__Output {
  'id': (string);
  'user_id': (string);
  'name': (string);
  'role': (_usher_auth_v1_Role__Output);
  'created_at': (number);
  'expires_at': (number);
  /**
   * 0 when never used; updated at most about once a minute.
   */
  'last_used_at': (number);
}
