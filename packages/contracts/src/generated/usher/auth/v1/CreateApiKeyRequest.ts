// Original file: ../../proto/usher/auth/v1/auth.proto

import type { Role as _usher_auth_v1_Role, Role__Output as _usher_auth_v1_Role__Output } from '../../../usher/auth/v1/Role';
import type { Long } from '@grpc/proto-loader';

export interface CreateApiKeyRequest {
  'user_id'?: (string);
  /**
   * The key's role: the owner's role or lower (the caller checks the owner's role).
   */
  'role'?: (_usher_auth_v1_Role);
  /**
   * 1 to 100 characters.
   */
  'name'?: (string);
  /**
   * Lifetime; 0 means the default of 90 days, at most 1 year.
   */
  'expires_in_seconds'?: (number | string | Long);
  /**
   * Reported as Principal.verified when the key authenticates.
   */
  'verified'?: (boolean);
}

export interface CreateApiKeyRequest__Output {
  'user_id': (string);
  /**
   * The key's role: the owner's role or lower (the caller checks the owner's role).
   */
  'role': (_usher_auth_v1_Role__Output);
  /**
   * 1 to 100 characters.
   */
  'name': (string);
  /**
   * Lifetime; 0 means the default of 90 days, at most 1 year.
   */
  'expires_in_seconds': (number);
  /**
   * Reported as Principal.verified when the key authenticates.
   */
  'verified': (boolean);
}
