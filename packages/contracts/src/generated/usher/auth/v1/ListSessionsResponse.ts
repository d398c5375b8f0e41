// Original file: ../../proto/usher/auth/v1/auth.proto

import type { Session as _usher_auth_v1_Session, Session__Output as _usher_auth_v1_Session__Output } from '../../../usher/auth/v1/Session';

export interface ListSessionsResponse {
  'sessions'?: (_usher_auth_v1_Session)[];
}

export interface ListSessionsResponse__Output {
  'sessions': (_usher_auth_v1_Session__Output)[];
}
