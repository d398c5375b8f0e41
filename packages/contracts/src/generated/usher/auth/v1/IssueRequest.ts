// Original file: ../../proto/usher/auth/v1/auth.proto

import type { Role as _usher_auth_v1_Role, Role__Output as _usher_auth_v1_Role__Output } from '../../../usher/auth/v1/Role';
import type { ClientInfo as _usher_auth_v1_ClientInfo, ClientInfo__Output as _usher_auth_v1_ClientInfo__Output } from '../../../usher/auth/v1/ClientInfo';

export interface IssueRequest {
  'user_id'?: (string);
  'role'?: (_usher_auth_v1_Role);
  'verified'?: (boolean);
  'client'?: (_usher_auth_v1_ClientInfo | null);
  /**
   * How the user signed in: "password", "api_key", "oauth:<provider>", "invitation", ...
   */
  'method'?: (string);
}

export interface IssueRequest__Output {
  'user_id': (string);
  'role': (_usher_auth_v1_Role__Output);
  'verified': (boolean);
  'client': (_usher_auth_v1_ClientInfo__Output | null);
  /**
   * How the user signed in: "password", "api_key", "oauth:<provider>", "invitation", ...
   */
  'method': (string);
}
