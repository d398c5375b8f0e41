// Original file: ../../proto/usher/auth/v1/auth.proto


export interface RevokeApiKeyRequest {
  'id'?: (string);
  /**
   * The owner: NOT_FOUND unless the key is a live key of this user.
   */
  'user_id'?: (string);
  'reason'?: (string);
}

export interface RevokeApiKeyRequest__Output {
  'id': (string);
  /**
   * The owner: NOT_FOUND unless the key is a live key of this user.
   */
  'user_id': (string);
  'reason': (string);
}
