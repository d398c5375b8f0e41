// Original file: ../../proto/usher/users/v1/events.proto


/**
 * Where the change came from, when known.
 */
export interface RequestMeta {
  'ip'?: (string);
  'user_agent'?: (string);
}

/**
 * Where the change came from, when known.
 */
export interface RequestMeta__Output {
  'ip': (string);
  'user_agent': (string);
}
