// Original file: ../../proto/usher/auth/v1/auth.proto

import type { ClientInfo as _usher_auth_v1_ClientInfo, ClientInfo__Output as _usher_auth_v1_ClientInfo__Output } from '../../../usher/auth/v1/ClientInfo';

export interface RefreshRequest {
  'refresh_token'?: (string);
  'client'?: (_usher_auth_v1_ClientInfo | null);
}

export interface RefreshRequest__Output {
  'refresh_token': (string);
  'client': (_usher_auth_v1_ClientInfo__Output | null);
}
