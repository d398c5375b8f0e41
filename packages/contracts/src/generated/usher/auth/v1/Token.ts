// Original file: ../../proto/usher/auth/v1/auth.proto

import type { Long } from '@grpc/proto-loader';

/**
 * All timestamps are unix seconds.
 */
export interface Token {
  'access_token'?: (string);
  'refresh_token'?: (string);
  /**
   * always "Bearer"
   */
  'access_type'?: (string);
  'access_expires_at'?: (number | string | Long);
  'refresh_expires_at'?: (number | string | Long);
  'session_id'?: (string);
  'user_id'?: (string);
}

/**
 * All timestamps are unix seconds.
 */
export interface Token__Output {
  'access_token': (string);
  'refresh_token': (string);
  /**
   * always "Bearer"
   */
  'access_type': (string);
  'access_expires_at': (number);
  'refresh_expires_at': (number);
  'session_id': (string);
  'user_id': (string);
}
