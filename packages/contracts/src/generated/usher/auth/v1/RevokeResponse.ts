// Original file: ../../proto/usher/auth/v1/auth.proto


export interface RevokeResponse {
  'revoked'?: (number);
}

export interface RevokeResponse__Output {
  'revoked': (number);
}
