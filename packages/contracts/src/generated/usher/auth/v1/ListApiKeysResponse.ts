// Original file: ../../proto/usher/auth/v1/auth.proto

import type { ApiKey as _usher_auth_v1_ApiKey, ApiKey__Output as _usher_auth_v1_ApiKey__Output } from '../../../usher/auth/v1/ApiKey';

export interface ListApiKeysResponse {
  /**
   * Live keys (not revoked, not expired), newest first.
   */
  'api_keys'?: (_usher_auth_v1_ApiKey)[];
}

export interface ListApiKeysResponse__Output {
  /**
   * Live keys (not revoked, not expired), newest first.
   */
  'api_keys': (_usher_auth_v1_ApiKey__Output)[];
}
