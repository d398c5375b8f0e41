// Original file: ../../proto/usher/auth/v1/auth.proto

import type { Jwk as _usher_auth_v1_Jwk, Jwk__Output as _usher_auth_v1_Jwk__Output } from '../../../usher/auth/v1/Jwk';

export interface Jwks {
  'keys'?: (_usher_auth_v1_Jwk)[];
}

export interface Jwks__Output {
  'keys': (_usher_auth_v1_Jwk__Output)[];
}
