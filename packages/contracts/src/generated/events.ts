import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { ListValue as _google_protobuf_ListValue, ListValue__Output as _google_protobuf_ListValue__Output } from './google/protobuf/ListValue';
import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from './google/protobuf/Struct';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { Value as _google_protobuf_Value, Value__Output as _google_protobuf_Value__Output } from './google/protobuf/Value';
import type { Change as _usher_users_v1_Change, Change__Output as _usher_users_v1_Change__Output } from './usher/users/v1/Change';
import type { RequestMeta as _usher_users_v1_RequestMeta, RequestMeta__Output as _usher_users_v1_RequestMeta__Output } from './usher/users/v1/RequestMeta';
import type { User as _usher_users_v1_User, User__Output as _usher_users_v1_User__Output } from './usher/users/v1/User';
import type { UserEvent as _usher_users_v1_UserEvent, UserEvent__Output as _usher_users_v1_UserEvent__Output } from './usher/users/v1/UserEvent';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      ListValue: MessageTypeDefinition<_google_protobuf_ListValue, _google_protobuf_ListValue__Output>
      NullValue: EnumTypeDefinition
      Struct: MessageTypeDefinition<_google_protobuf_Struct, _google_protobuf_Struct__Output>
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
      Value: MessageTypeDefinition<_google_protobuf_Value, _google_protobuf_Value__Output>
    }
  }
  usher: {
    users: {
      v1: {
        Change: MessageTypeDefinition<_usher_users_v1_Change, _usher_users_v1_Change__Output>
        RequestMeta: MessageTypeDefinition<_usher_users_v1_RequestMeta, _usher_users_v1_RequestMeta__Output>
        User: MessageTypeDefinition<_usher_users_v1_User, _usher_users_v1_User__Output>
        UserEvent: MessageTypeDefinition<_usher_users_v1_UserEvent, _usher_users_v1_UserEvent__Output>
      }
    }
  }
}

