// Original file: ../../proto/usher/auth/v1/auth.proto

import type { Role as _usher_auth_v1_Role, Role__Output as _usher_auth_v1_Role__Output } from '../../../usher/auth/v1/Role';
import type { Long } from '@grpc/proto-loader';

/**
 * The caller behind a valid access token or API key.
 */
export interface Principal {
  'user_id'?: (string);
  'role'?: (_usher_auth_v1_Role);
  /**
   * Empty for an API key.
   */
  'session_id'?: (string);
  'verified'?: (boolean);
  /**
   * When the credential expires: the access token's exp, or the API key's end.
   */
  'expires_at'?: (number | string | Long);
  /**
   * The access token's jti, or the API key's id.
   */
  'token_id'?: (string);
  /**
   * "access" or "api_key".
   */
  'kind'?: (string);
  /**
   * Set when kind is "api_key".
   */
  'api_key_id'?: (string);
}

/**
 * The caller behind a valid access token or API key.
 */
export interface Principal__Output {
  'user_id': (string);
  'role': (_usher_auth_v1_Role__Output);
  /**
   * Empty for an API key.
   */
  'session_id': (string);
  'verified': (boolean);
  /**
   * When the credential expires: the access token's exp, or the API key's end.
   */
  'expires_at': (number);
  /**
   * The access token's jti, or the API key's id.
   */
  'token_id': (string);
  /**
   * "access" or "api_key".
   */
  'kind': (string);
  /**
   * Set when kind is "api_key".
   */
  'api_key_id': (string);
}
