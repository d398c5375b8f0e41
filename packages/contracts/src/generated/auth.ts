import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { ApiKey as _usher_auth_v1_ApiKey, ApiKey__Output as _usher_auth_v1_ApiKey__Output } from './usher/auth/v1/ApiKey';
import type { AuthServiceClient as _usher_auth_v1_AuthServiceClient, AuthServiceDefinition as _usher_auth_v1_AuthServiceDefinition } from './usher/auth/v1/AuthService';
import type { AuthenticateRequest as _usher_auth_v1_AuthenticateRequest, AuthenticateRequest__Output as _usher_auth_v1_AuthenticateRequest__Output } from './usher/auth/v1/AuthenticateRequest';
import type { AuthorizeRequest as _usher_auth_v1_AuthorizeRequest, AuthorizeRequest__Output as _usher_auth_v1_AuthorizeRequest__Output } from './usher/auth/v1/AuthorizeRequest';
import type { ClientInfo as _usher_auth_v1_ClientInfo, ClientInfo__Output as _usher_auth_v1_ClientInfo__Output } from './usher/auth/v1/ClientInfo';
import type { CreateApiKeyRequest as _usher_auth_v1_CreateApiKeyRequest, CreateApiKeyRequest__Output as _usher_auth_v1_CreateApiKeyRequest__Output } from './usher/auth/v1/CreateApiKeyRequest';
import type { CreateApiKeyResponse as _usher_auth_v1_CreateApiKeyResponse, CreateApiKeyResponse__Output as _usher_auth_v1_CreateApiKeyResponse__Output } from './usher/auth/v1/CreateApiKeyResponse';
import type { GetJwksRequest as _usher_auth_v1_GetJwksRequest, GetJwksRequest__Output as _usher_auth_v1_GetJwksRequest__Output } from './usher/auth/v1/GetJwksRequest';
import type { IssueRequest as _usher_auth_v1_IssueRequest, IssueRequest__Output as _usher_auth_v1_IssueRequest__Output } from './usher/auth/v1/IssueRequest';
import type { Jwk as _usher_auth_v1_Jwk, Jwk__Output as _usher_auth_v1_Jwk__Output } from './usher/auth/v1/Jwk';
import type { Jwks as _usher_auth_v1_Jwks, Jwks__Output as _usher_auth_v1_Jwks__Output } from './usher/auth/v1/Jwks';
import type { ListApiKeysRequest as _usher_auth_v1_ListApiKeysRequest, ListApiKeysRequest__Output as _usher_auth_v1_ListApiKeysRequest__Output } from './usher/auth/v1/ListApiKeysRequest';
import type { ListApiKeysResponse as _usher_auth_v1_ListApiKeysResponse, ListApiKeysResponse__Output as _usher_auth_v1_ListApiKeysResponse__Output } from './usher/auth/v1/ListApiKeysResponse';
import type { ListSessionsRequest as _usher_auth_v1_ListSessionsRequest, ListSessionsRequest__Output as _usher_auth_v1_ListSessionsRequest__Output } from './usher/auth/v1/ListSessionsRequest';
import type { ListSessionsResponse as _usher_auth_v1_ListSessionsResponse, ListSessionsResponse__Output as _usher_auth_v1_ListSessionsResponse__Output } from './usher/auth/v1/ListSessionsResponse';
import type { Principal as _usher_auth_v1_Principal, Principal__Output as _usher_auth_v1_Principal__Output } from './usher/auth/v1/Principal';
import type { RefreshRequest as _usher_auth_v1_RefreshRequest, RefreshRequest__Output as _usher_auth_v1_RefreshRequest__Output } from './usher/auth/v1/RefreshRequest';
import type { Revocation as _usher_auth_v1_Revocation, Revocation__Output as _usher_auth_v1_Revocation__Output } from './usher/auth/v1/Revocation';
import type { RevocationBatch as _usher_auth_v1_RevocationBatch, RevocationBatch__Output as _usher_auth_v1_RevocationBatch__Output } from './usher/auth/v1/RevocationBatch';
import type { RevokeApiKeyRequest as _usher_auth_v1_RevokeApiKeyRequest, RevokeApiKeyRequest__Output as _usher_auth_v1_RevokeApiKeyRequest__Output } from './usher/auth/v1/RevokeApiKeyRequest';
import type { RevokeResponse as _usher_auth_v1_RevokeResponse, RevokeResponse__Output as _usher_auth_v1_RevokeResponse__Output } from './usher/auth/v1/RevokeResponse';
import type { RevokeSessionRequest as _usher_auth_v1_RevokeSessionRequest, RevokeSessionRequest__Output as _usher_auth_v1_RevokeSessionRequest__Output } from './usher/auth/v1/RevokeSessionRequest';
import type { RevokeUserSessionsRequest as _usher_auth_v1_RevokeUserSessionsRequest, RevokeUserSessionsRequest__Output as _usher_auth_v1_RevokeUserSessionsRequest__Output } from './usher/auth/v1/RevokeUserSessionsRequest';
import type { RotateSigningKeyRequest as _usher_auth_v1_RotateSigningKeyRequest, RotateSigningKeyRequest__Output as _usher_auth_v1_RotateSigningKeyRequest__Output } from './usher/auth/v1/RotateSigningKeyRequest';
import type { RotateSigningKeyResponse as _usher_auth_v1_RotateSigningKeyResponse, RotateSigningKeyResponse__Output as _usher_auth_v1_RotateSigningKeyResponse__Output } from './usher/auth/v1/RotateSigningKeyResponse';
import type { Session as _usher_auth_v1_Session, Session__Output as _usher_auth_v1_Session__Output } from './usher/auth/v1/Session';
import type { Token as _usher_auth_v1_Token, Token__Output as _usher_auth_v1_Token__Output } from './usher/auth/v1/Token';
import type { WatchRevocationsRequest as _usher_auth_v1_WatchRevocationsRequest, WatchRevocationsRequest__Output as _usher_auth_v1_WatchRevocationsRequest__Output } from './usher/auth/v1/WatchRevocationsRequest';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  usher: {
    auth: {
      v1: {
        ApiKey: MessageTypeDefinition<_usher_auth_v1_ApiKey, _usher_auth_v1_ApiKey__Output>
        AuthService: SubtypeConstructor<typeof grpc.Client, _usher_auth_v1_AuthServiceClient> & { service: _usher_auth_v1_AuthServiceDefinition }
        AuthenticateRequest: MessageTypeDefinition<_usher_auth_v1_AuthenticateRequest, _usher_auth_v1_AuthenticateRequest__Output>
        AuthorizeRequest: MessageTypeDefinition<_usher_auth_v1_AuthorizeRequest, _usher_auth_v1_AuthorizeRequest__Output>
        ClientInfo: MessageTypeDefinition<_usher_auth_v1_ClientInfo, _usher_auth_v1_ClientInfo__Output>
        CreateApiKeyRequest: MessageTypeDefinition<_usher_auth_v1_CreateApiKeyRequest, _usher_auth_v1_CreateApiKeyRequest__Output>
        CreateApiKeyResponse: MessageTypeDefinition<_usher_auth_v1_CreateApiKeyResponse, _usher_auth_v1_CreateApiKeyResponse__Output>
        GetJwksRequest: MessageTypeDefinition<_usher_auth_v1_GetJwksRequest, _usher_auth_v1_GetJwksRequest__Output>
        IssueRequest: MessageTypeDefinition<_usher_auth_v1_IssueRequest, _usher_auth_v1_IssueRequest__Output>
        Jwk: MessageTypeDefinition<_usher_auth_v1_Jwk, _usher_auth_v1_Jwk__Output>
        Jwks: MessageTypeDefinition<_usher_auth_v1_Jwks, _usher_auth_v1_Jwks__Output>
        ListApiKeysRequest: MessageTypeDefinition<_usher_auth_v1_ListApiKeysRequest, _usher_auth_v1_ListApiKeysRequest__Output>
        ListApiKeysResponse: MessageTypeDefinition<_usher_auth_v1_ListApiKeysResponse, _usher_auth_v1_ListApiKeysResponse__Output>
        ListSessionsRequest: MessageTypeDefinition<_usher_auth_v1_ListSessionsRequest, _usher_auth_v1_ListSessionsRequest__Output>
        ListSessionsResponse: MessageTypeDefinition<_usher_auth_v1_ListSessionsResponse, _usher_auth_v1_ListSessionsResponse__Output>
        Principal: MessageTypeDefinition<_usher_auth_v1_Principal, _usher_auth_v1_Principal__Output>
        RefreshRequest: MessageTypeDefinition<_usher_auth_v1_RefreshRequest, _usher_auth_v1_RefreshRequest__Output>
        Revocation: MessageTypeDefinition<_usher_auth_v1_Revocation, _usher_auth_v1_Revocation__Output>
        RevocationBatch: MessageTypeDefinition<_usher_auth_v1_RevocationBatch, _usher_auth_v1_RevocationBatch__Output>
        RevokeApiKeyRequest: MessageTypeDefinition<_usher_auth_v1_RevokeApiKeyRequest, _usher_auth_v1_RevokeApiKeyRequest__Output>
        RevokeResponse: MessageTypeDefinition<_usher_auth_v1_RevokeResponse, _usher_auth_v1_RevokeResponse__Output>
        RevokeSessionRequest: MessageTypeDefinition<_usher_auth_v1_RevokeSessionRequest, _usher_auth_v1_RevokeSessionRequest__Output>
        RevokeUserSessionsRequest: MessageTypeDefinition<_usher_auth_v1_RevokeUserSessionsRequest, _usher_auth_v1_RevokeUserSessionsRequest__Output>
        Role: EnumTypeDefinition
        RotateSigningKeyRequest: MessageTypeDefinition<_usher_auth_v1_RotateSigningKeyRequest, _usher_auth_v1_RotateSigningKeyRequest__Output>
        RotateSigningKeyResponse: MessageTypeDefinition<_usher_auth_v1_RotateSigningKeyResponse, _usher_auth_v1_RotateSigningKeyResponse__Output>
        Session: MessageTypeDefinition<_usher_auth_v1_Session, _usher_auth_v1_Session__Output>
        Token: MessageTypeDefinition<_usher_auth_v1_Token, _usher_auth_v1_Token__Output>
        WatchRevocationsRequest: MessageTypeDefinition<_usher_auth_v1_WatchRevocationsRequest, _usher_auth_v1_WatchRevocationsRequest__Output>
      }
    }
  }
}

