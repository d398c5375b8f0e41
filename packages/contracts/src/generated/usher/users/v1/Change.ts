// Original file: ../../proto/usher/users/v1/events.proto

import type { Value as _google_protobuf_Value, Value__Output as _google_protobuf_Value__Output } from '../../../google/protobuf/Value';

/**
 * One changed field: its value before and after.
 */
export interface Change {
  'old'?: (_google_protobuf_Value | null);
  'new'?: (_google_protobuf_Value | null);
}

/**
 * One changed field: its value before and after.
 */
export interface Change__Output {
  'old': (_google_protobuf_Value__Output | null);
  'new': (_google_protobuf_Value__Output | null);
}
