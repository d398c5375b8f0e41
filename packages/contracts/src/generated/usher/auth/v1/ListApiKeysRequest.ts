// Original file: ../../proto/usher/auth/v1/auth.proto


export interface ListApiKeysRequest {
  'user_id'?: (string);
}

export interface ListApiKeysRequest__Output {
  'user_id': (string);
}
