// Original file: ../../proto/usher/auth/v1/auth.proto

import type { Role as _usher_auth_v1_Role, Role__Output as _usher_auth_v1_Role__Output } from '../../../usher/auth/v1/Role';

export interface AuthorizeRequest {
  'token'?: (string);
  'min_role'?: (_usher_auth_v1_Role);
}

export interface AuthorizeRequest__Output {
  'token': (string);
  'min_role': (_usher_auth_v1_Role__Output);
}
