// Original file: ../../proto/usher/users/v1/events.proto

import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../../google/protobuf/Struct';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';

/**
 * The public account: never a secret.
 */
export interface User {
  'id'?: (string);
  'first_name'?: (string);
  'last_name'?: (string);
  'email'?: (string);
  'username'?: (string);
  /**
   * viewer | editor | admin | owner
   */
  'role'?: (string);
  /**
   * enabled | disabled | deleted
   */
  'status'?: (string);
  'tags'?: (string)[];
  'metadata'?: (_google_protobuf_Struct | null);
  'picture'?: (string);
  'verified_at'?: (_google_protobuf_Timestamp | null);
  'created_at'?: (_google_protobuf_Timestamp | null);
  'updated_at'?: (_google_protobuf_Timestamp | null);
  'updated_by'?: (string);
}

/**
 * The public account: never a secret.
 */
export interface User__Output {
  'id': (string);
  'first_name': (string);
  'last_name': (string);
  'email': (string);
  'username': (string);
  /**
   * viewer | editor | admin | owner
   */
  'role': (string);
  /**
   * enabled | disabled | deleted
   */
  'status': (string);
  'tags': (string)[];
  'metadata': (_google_protobuf_Struct__Output | null);
  'picture': (string);
  'verified_at': (_google_protobuf_Timestamp__Output | null);
  'created_at': (_google_protobuf_Timestamp__Output | null);
  'updated_at': (_google_protobuf_Timestamp__Output | null);
  'updated_by': (string);
}
