// Original file: ../../proto/usher/auth/v1/auth.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One revocation: a session, an API key, or every token of a user issued before `at_ms`.
 */
export interface Revocation {
  /**
   * "session", "api_key" or "user".
   */
  'kind'?: (string);
  /**
   * The session id, API key id or user id.
   */
  'subject'?: (string);
  /**
   * Unix milliseconds. For kind "user": tokens issued (iat) before this second are refused.
   */
  'at_ms'?: (number | string | Long);
}

/**
 * One revocation: a session, an API key, or every token of a user issued before `at_ms`.
 */
export interface Revocation__Output {
  /**
   * "session", "api_key" or "user".
   */
  'kind': (string);
  /**
   * The session id, API key id or user id.
   */
  'subject': (string);
  /**
   * Unix milliseconds. For kind "user": tokens issued (iat) before this second are refused.
   */
  'at_ms': (number);
}
