// Original file: ../../proto/usher/auth/v1/auth.proto


export interface ListSessionsRequest {
  'user_id'?: (string);
}

export interface ListSessionsRequest__Output {
  'user_id': (string);
}
