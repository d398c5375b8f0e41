// Original file: ../../proto/usher/auth/v1/auth.proto

import type { Role as _usher_auth_v1_Role, Role__Output as _usher_auth_v1_Role__Output } from '../../../usher/auth/v1/Role';

export interface AuthorizeRequest {
  /**
   * An access token or an API key, as in AuthenticateRequest.
   */
  'token'?: (string);
  'min_role'?: (_usher_auth_v1_Role);
}

export interface AuthorizeRequest__Output {
  /**
   * An access token or an API key, as in AuthenticateRequest.
   */
  'token': (string);
  'min_role': (_usher_auth_v1_Role__Output);
}
