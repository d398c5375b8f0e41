// Original file: ../../proto/usher/auth/v1/auth.proto


/**
 * Where a request came from, recorded on the session.
 */
export interface ClientInfo {
  'user_agent'?: (string);
  'ip'?: (string);
}

/**
 * Where a request came from, recorded on the session.
 */
export interface ClientInfo__Output {
  'user_agent': (string);
  'ip': (string);
}
