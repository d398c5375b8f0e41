// Original file: ../../proto/usher/users/v1/events.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';
import type { User as _usher_users_v1_User, User__Output as _usher_users_v1_User__Output } from '../../../usher/users/v1/User';
import type { Change as _usher_users_v1_Change, Change__Output as _usher_users_v1_Change__Output } from '../../../usher/users/v1/Change';
import type { RequestMeta as _usher_users_v1_RequestMeta, RequestMeta__Output as _usher_users_v1_RequestMeta__Output } from '../../../usher/users/v1/RequestMeta';
import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../../google/protobuf/Struct';

export interface UserEvent {
  /**
   * UUID; also the Nats-Msg-Id header, so JetStream drops a duplicate publish.
   */
  'id'?: (string);
  /**
   * created, updated, email_changed, username_changed, picture_changed, tags_changed, role_changed,
   * enabled, disabled, deleted, purged, password_changed, password_reset, verified, signed_in,
   * login_failed, locked, unlocked, session_revoked, key_created, key_revoked,
   * identity_linked, identity_unlinked
   */
  'type'?: (string);
  /**
   * Payload version of this type; a consumer ignores or routes versions it does not know.
   */
  'version'?: (number);
  'occurred_at'?: (_google_protobuf_Timestamp | null);
  /**
   * Who made the change; empty for anonymous (sign-up, sign-in) and system work.
   */
  'actor_id'?: (string);
  /**
   * The account after the change; absent only for a failed sign-in of an unknown identity.
   */
  'user'?: (_usher_users_v1_User | null);
  'changes'?: ({[key: string]: _usher_users_v1_Change});
  'request'?: (_usher_users_v1_RequestMeta | null);
  /**
   * Type-specific facts without secrets (e.g. session_id, key_id, reason).
   */
  'details'?: (_google_protobuf_Struct | null);
}

export interface UserEvent__Output {
  /**
   * UUID; also the Nats-Msg-Id header, so JetStream drops a duplicate publish.
   */
  'id': (string);
  /**
   * created, updated, email_changed, username_changed, picture_changed, tags_changed, role_changed,
   * enabled, disabled, deleted, purged, password_changed, password_reset, verified, signed_in,
   * login_failed, locked, unlocked, session_revoked, key_created, key_revoked,
   * identity_linked, identity_unlinked
   */
  'type': (string);
  /**
   * Payload version of this type; a consumer ignores or routes versions it does not know.
   */
  'version': (number);
  'occurred_at': (_google_protobuf_Timestamp__Output | null);
  /**
   * Who made the change; empty for anonymous (sign-up, sign-in) and system work.
   */
  'actor_id': (string);
  /**
   * The account after the change; absent only for a failed sign-in of an unknown identity.
   */
  'user': (_usher_users_v1_User__Output | null);
  'changes': ({[key: string]: _usher_users_v1_Change__Output});
  'request': (_usher_users_v1_RequestMeta__Output | null);
  /**
   * Type-specific facts without secrets (e.g. session_id, key_id, reason).
   */
  'details': (_google_protobuf_Struct__Output | null);
}
