// Original file: ../../proto/usher/auth/v1/auth.proto


export interface RevokeSessionRequest {
  'session_id'?: (string);
  /**
   * When set, the session is revoked only if it belongs to this user (NOT_FOUND otherwise).
   */
  'user_id'?: (string);
  'reason'?: (string);
}

export interface RevokeSessionRequest__Output {
  'session_id': (string);
  /**
   * When set, the session is revoked only if it belongs to this user (NOT_FOUND otherwise).
   */
  'user_id': (string);
  'reason': (string);
}
