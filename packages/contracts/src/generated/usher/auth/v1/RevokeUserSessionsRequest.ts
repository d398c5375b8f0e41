// Original file: ../../proto/usher/auth/v1/auth.proto


export interface RevokeUserSessionsRequest {
  'user_id'?: (string);
  /**
   * When set, this session stays live and every other one is revoked.
   */
  'except_session_id'?: (string);
  'reason'?: (string);
  /**
   * Also revoke every live API key of the user. Without it keys survive, even a revoke-all.
   */
  'include_api_keys'?: (boolean);
}

export interface RevokeUserSessionsRequest__Output {
  'user_id': (string);
  /**
   * When set, this session stays live and every other one is revoked.
   */
  'except_session_id': (string);
  'reason': (string);
  /**
   * Also revoke every live API key of the user. Without it keys survive, even a revoke-all.
   */
  'include_api_keys': (boolean);
}
