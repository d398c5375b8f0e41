// Original file: ../../proto/usher/auth/v1/auth.proto


/**
 * One public key in JWK form (RFC 7517), EC P-256.
 */
export interface Jwk {
  'kty'?: (string);
  'crv'?: (string);
  'x'?: (string);
  'y'?: (string);
  'kid'?: (string);
  'use'?: (string);
  'alg'?: (string);
}

/**
 * One public key in JWK form (RFC 7517), EC P-256.
 */
export interface Jwk__Output {
  'kty': (string);
  'crv': (string);
  'x': (string);
  'y': (string);
  'kid': (string);
  'use': (string);
  'alg': (string);
}
