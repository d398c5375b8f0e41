// Original file: ../../proto/usher/auth/v1/auth.proto


export interface RevokeResponse {
  /**
   * How many sessions (and API keys) this call revoked.
   */
  'revoked'?: (number);
}

export interface RevokeResponse__Output {
  /**
   * How many sessions (and API keys) this call revoked.
   */
  'revoked': (number);
}
