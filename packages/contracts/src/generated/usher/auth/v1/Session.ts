// Original file: ../../proto/usher/auth/v1/auth.proto

import type { Role as _usher_auth_v1_Role, Role__Output as _usher_auth_v1_Role__Output } from '../../../usher/auth/v1/Role';
import type { Long } from '@grpc/proto-loader';

export interface Session {
  'id'?: (string);
  'user_id'?: (string);
  'role'?: (_usher_auth_v1_Role);
  'method'?: (string);
  'user_agent'?: (string);
  'ip'?: (string);
  'created_at'?: (number | string | Long);
  'last_used_at'?: (number | string | Long);
  /**
   * Absolute end of the session.
   */
  'expires_at'?: (number | string | Long);
  /**
   * End of the session if it stays unused.
   */
  'idle_expires_at'?: (number | string | Long);
}

export interface Session__Output {
  'id': (string);
  'user_id': (string);
  'role': (_usher_auth_v1_Role__Output);
  'method': (string);
  'user_agent': (string);
  'ip': (string);
  'created_at': (number);
  'last_used_at': (number);
  /**
   * Absolute end of the session.
   */
  'expires_at': (number);
  /**
   * End of the session if it stays unused.
   */
  'idle_expires_at': (number);
}
