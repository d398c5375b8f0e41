// Original file: ../../proto/usher/auth/v1/auth.proto


export interface RotateSigningKeyResponse {
  'kid'?: (string);
}

export interface RotateSigningKeyResponse__Output {
  'kid': (string);
}
