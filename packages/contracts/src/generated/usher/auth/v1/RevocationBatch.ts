// Original file: ../../proto/usher/auth/v1/auth.proto

import type { Revocation as _usher_auth_v1_Revocation, Revocation__Output as _usher_auth_v1_Revocation__Output } from '../../../usher/auth/v1/Revocation';
import type { Long } from '@grpc/proto-loader';

/**
 * A batch of revocations. The first message of a stream carries every revocation still relevant
 * (snapshot = true); later ones carry new revocations as this replica learns them, or nothing
 * (a heartbeat, sent every `heartbeat_ms`) so a silent stream is known to be stale.
 */
export interface RevocationBatch {
  'revocations'?: (_usher_auth_v1_Revocation)[];
  'snapshot'?: (boolean);
  'heartbeat_ms'?: (number | string | Long);
  /**
   * A revocation older than this (at_ms before now - window_ms) can be forgotten: every token it
   * could refuse has expired.
   */
  'window_ms'?: (number | string | Long);
}

/**
 * A batch of revocations. The first message of a stream carries every revocation still relevant
 * (snapshot = true); later ones carry new revocations as this replica learns them, or nothing
 * (a heartbeat, sent every `heartbeat_ms`) so a silent stream is known to be stale.
 */
export interface RevocationBatch__Output {
  'revocations': (_usher_auth_v1_Revocation__Output)[];
  'snapshot': (boolean);
  'heartbeat_ms': (number);
  /**
   * A revocation older than this (at_ms before now - window_ms) can be forgotten: every token it
   * could refuse has expired.
   */
  'window_ms': (number);
}
