// Original file: ../../proto/usher/auth/v1/auth.proto

import type { ApiKey as _usher_auth_v1_ApiKey, ApiKey__Output as _usher_auth_v1_ApiKey__Output } from '../../../usher/auth/v1/ApiKey';

export interface CreateApiKeyResponse {
  'api_key'?: (_usher_auth_v1_ApiKey | null);
  /**
   * The secret key, "usher_pat_<id>_<secret>": returned here only, never stored or shown again.
   */
  'key'?: (string);
}

export interface CreateApiKeyResponse__Output {
  'api_key': (_usher_auth_v1_ApiKey__Output | null);
  /**
   * The secret key, "usher_pat_<id>_<secret>": returned here only, never stored or shown again.
   */
  'key': (string);
}
