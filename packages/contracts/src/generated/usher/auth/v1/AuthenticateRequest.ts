// Original file: ../../proto/usher/auth/v1/auth.proto


export interface AuthenticateRequest {
  /**
   * An access token or an API key (recognised by its "usher_pat_" prefix).
   */
  'token'?: (string);
}

export interface AuthenticateRequest__Output {
  /**
   * An access token or an API key (recognised by its "usher_pat_" prefix).
   */
  'token': (string);
}
