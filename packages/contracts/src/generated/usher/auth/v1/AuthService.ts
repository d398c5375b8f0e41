// Original file: ../../proto/usher/auth/v1/auth.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AuthenticateRequest as _usher_auth_v1_AuthenticateRequest, AuthenticateRequest__Output as _usher_auth_v1_AuthenticateRequest__Output } from '../../../usher/auth/v1/AuthenticateRequest';
import type { AuthorizeRequest as _usher_auth_v1_AuthorizeRequest, AuthorizeRequest__Output as _usher_auth_v1_AuthorizeRequest__Output } from '../../../usher/auth/v1/AuthorizeRequest';
import type { CreateApiKeyRequest as _usher_auth_v1_CreateApiKeyRequest, CreateApiKeyRequest__Output as _usher_auth_v1_CreateApiKeyRequest__Output } from '../../../usher/auth/v1/CreateApiKeyRequest';
import type { CreateApiKeyResponse as _usher_auth_v1_CreateApiKeyResponse, CreateApiKeyResponse__Output as _usher_auth_v1_CreateApiKeyResponse__Output } from '../../../usher/auth/v1/CreateApiKeyResponse';
import type { GetJwksRequest as _usher_auth_v1_GetJwksRequest, GetJwksRequest__Output as _usher_auth_v1_GetJwksRequest__Output } from '../../../usher/auth/v1/GetJwksRequest';
import type { IssueRequest as _usher_auth_v1_IssueRequest, IssueRequest__Output as _usher_auth_v1_IssueRequest__Output } from '../../../usher/auth/v1/IssueRequest';
import type { Jwks as _usher_auth_v1_Jwks, Jwks__Output as _usher_auth_v1_Jwks__Output } from '../../../usher/auth/v1/Jwks';
import type { ListApiKeysRequest as _usher_auth_v1_ListApiKeysRequest, ListApiKeysRequest__Output as _usher_auth_v1_ListApiKeysRequest__Output } from '../../../usher/auth/v1/ListApiKeysRequest';
import type { ListApiKeysResponse as _usher_auth_v1_ListApiKeysResponse, ListApiKeysResponse__Output as _usher_auth_v1_ListApiKeysResponse__Output } from '../../../usher/auth/v1/ListApiKeysResponse';
import type { ListSessionsRequest as _usher_auth_v1_ListSessionsRequest, ListSessionsRequest__Output as _usher_auth_v1_ListSessionsRequest__Output } from '../../../usher/auth/v1/ListSessionsRequest';
import type { ListSessionsResponse as _usher_auth_v1_ListSessionsResponse, ListSessionsResponse__Output as _usher_auth_v1_ListSessionsResponse__Output } from '../../../usher/auth/v1/ListSessionsResponse';
import type { Principal as _usher_auth_v1_Principal, Principal__Output as _usher_auth_v1_Principal__Output } from '../../../usher/auth/v1/Principal';
import type { RefreshRequest as _usher_auth_v1_RefreshRequest, RefreshRequest__Output as _usher_auth_v1_RefreshRequest__Output } from '../../../usher/auth/v1/RefreshRequest';
import type { RevocationBatch as _usher_auth_v1_RevocationBatch, RevocationBatch__Output as _usher_auth_v1_RevocationBatch__Output } from '../../../usher/auth/v1/RevocationBatch';
import type { RevokeApiKeyRequest as _usher_auth_v1_RevokeApiKeyRequest, RevokeApiKeyRequest__Output as _usher_auth_v1_RevokeApiKeyRequest__Output } from '../../../usher/auth/v1/RevokeApiKeyRequest';
import type { RevokeResponse as _usher_auth_v1_RevokeResponse, RevokeResponse__Output as _usher_auth_v1_RevokeResponse__Output } from '../../../usher/auth/v1/RevokeResponse';
import type { RevokeSessionRequest as _usher_auth_v1_RevokeSessionRequest, RevokeSessionRequest__Output as _usher_auth_v1_RevokeSessionRequest__Output } from '../../../usher/auth/v1/RevokeSessionRequest';
import type { RevokeUserSessionsRequest as _usher_auth_v1_RevokeUserSessionsRequest, RevokeUserSessionsRequest__Output as _usher_auth_v1_RevokeUserSessionsRequest__Output } from '../../../usher/auth/v1/RevokeUserSessionsRequest';
import type { RotateSigningKeyRequest as _usher_auth_v1_RotateSigningKeyRequest, RotateSigningKeyRequest__Output as _usher_auth_v1_RotateSigningKeyRequest__Output } from '../../../usher/auth/v1/RotateSigningKeyRequest';
import type { RotateSigningKeyResponse as _usher_auth_v1_RotateSigningKeyResponse, RotateSigningKeyResponse__Output as _usher_auth_v1_RotateSigningKeyResponse__Output } from '../../../usher/auth/v1/RotateSigningKeyResponse';
import type { Token as _usher_auth_v1_Token, Token__Output as _usher_auth_v1_Token__Output } from '../../../usher/auth/v1/Token';
import type { WatchRevocationsRequest as _usher_auth_v1_WatchRevocationsRequest, WatchRevocationsRequest__Output as _usher_auth_v1_WatchRevocationsRequest__Output } from '../../../usher/auth/v1/WatchRevocationsRequest';

export interface AuthServiceClient extends grpc.Client {
  /**
   * Verifies an access token: UNAUTHENTICATED when it is invalid, expired or revoked.
   */
  Authenticate(argument: _usher_auth_v1_AuthenticateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_Principal__Output>): grpc.ClientUnaryCall;
  Authenticate(argument: _usher_auth_v1_AuthenticateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_usher_auth_v1_Principal__Output>): grpc.ClientUnaryCall;
  Authenticate(argument: _usher_auth_v1_AuthenticateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_Principal__Output>): grpc.ClientUnaryCall;
  Authenticate(argument: _usher_auth_v1_AuthenticateRequest, callback: grpc.requestCallback<_usher_auth_v1_Principal__Output>): grpc.ClientUnaryCall;
  /**
   * Verifies an access token: UNAUTHENTICATED when it is invalid, expired or revoked.
   */
  authenticate(argument: _usher_auth_v1_AuthenticateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_Principal__Output>): grpc.ClientUnaryCall;
  authenticate(argument: _usher_auth_v1_AuthenticateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_usher_auth_v1_Principal__Output>): grpc.ClientUnaryCall;
  authenticate(argument: _usher_auth_v1_AuthenticateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_Principal__Output>): grpc.ClientUnaryCall;
  authenticate(argument: _usher_auth_v1_AuthenticateRequest, callback: grpc.requestCallback<_usher_auth_v1_Principal__Output>): grpc.ClientUnaryCall;
  
  /**
   * Authenticate, then PERMISSION_DENIED unless the principal's role is at least min_role.
   */
  Authorize(argument: _usher_auth_v1_AuthorizeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_Principal__Output>): grpc.ClientUnaryCall;
  Authorize(argument: _usher_auth_v1_AuthorizeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_usher_auth_v1_Principal__Output>): grpc.ClientUnaryCall;
  Authorize(argument: _usher_auth_v1_AuthorizeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_Principal__Output>): grpc.ClientUnaryCall;
  Authorize(argument: _usher_auth_v1_AuthorizeRequest, callback: grpc.requestCallback<_usher_auth_v1_Principal__Output>): grpc.ClientUnaryCall;
  /**
   * Authenticate, then PERMISSION_DENIED unless the principal's role is at least min_role.
   */
  authorize(argument: _usher_auth_v1_AuthorizeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_Principal__Output>): grpc.ClientUnaryCall;
  authorize(argument: _usher_auth_v1_AuthorizeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_usher_auth_v1_Principal__Output>): grpc.ClientUnaryCall;
  authorize(argument: _usher_auth_v1_AuthorizeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_Principal__Output>): grpc.ClientUnaryCall;
  authorize(argument: _usher_auth_v1_AuthorizeRequest, callback: grpc.requestCallback<_usher_auth_v1_Principal__Output>): grpc.ClientUnaryCall;
  
  /**
   * Creates an API key; its secret is in this response only. RESOURCE_EXHAUSTED past 100 live keys.
   */
  CreateApiKey(argument: _usher_auth_v1_CreateApiKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_CreateApiKeyResponse__Output>): grpc.ClientUnaryCall;
  CreateApiKey(argument: _usher_auth_v1_CreateApiKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_usher_auth_v1_CreateApiKeyResponse__Output>): grpc.ClientUnaryCall;
  CreateApiKey(argument: _usher_auth_v1_CreateApiKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_CreateApiKeyResponse__Output>): grpc.ClientUnaryCall;
  CreateApiKey(argument: _usher_auth_v1_CreateApiKeyRequest, callback: grpc.requestCallback<_usher_auth_v1_CreateApiKeyResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Creates an API key; its secret is in this response only. RESOURCE_EXHAUSTED past 100 live keys.
   */
  createApiKey(argument: _usher_auth_v1_CreateApiKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_CreateApiKeyResponse__Output>): grpc.ClientUnaryCall;
  createApiKey(argument: _usher_auth_v1_CreateApiKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_usher_auth_v1_CreateApiKeyResponse__Output>): grpc.ClientUnaryCall;
  createApiKey(argument: _usher_auth_v1_CreateApiKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_CreateApiKeyResponse__Output>): grpc.ClientUnaryCall;
  createApiKey(argument: _usher_auth_v1_CreateApiKeyRequest, callback: grpc.requestCallback<_usher_auth_v1_CreateApiKeyResponse__Output>): grpc.ClientUnaryCall;
  
  GetJwks(argument: _usher_auth_v1_GetJwksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_Jwks__Output>): grpc.ClientUnaryCall;
  GetJwks(argument: _usher_auth_v1_GetJwksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_usher_auth_v1_Jwks__Output>): grpc.ClientUnaryCall;
  GetJwks(argument: _usher_auth_v1_GetJwksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_Jwks__Output>): grpc.ClientUnaryCall;
  GetJwks(argument: _usher_auth_v1_GetJwksRequest, callback: grpc.requestCallback<_usher_auth_v1_Jwks__Output>): grpc.ClientUnaryCall;
  getJwks(argument: _usher_auth_v1_GetJwksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_Jwks__Output>): grpc.ClientUnaryCall;
  getJwks(argument: _usher_auth_v1_GetJwksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_usher_auth_v1_Jwks__Output>): grpc.ClientUnaryCall;
  getJwks(argument: _usher_auth_v1_GetJwksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_Jwks__Output>): grpc.ClientUnaryCall;
  getJwks(argument: _usher_auth_v1_GetJwksRequest, callback: grpc.requestCallback<_usher_auth_v1_Jwks__Output>): grpc.ClientUnaryCall;
  
  /**
   * Starts a session for an already authenticated user and returns its first token pair.
   */
  Issue(argument: _usher_auth_v1_IssueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_Token__Output>): grpc.ClientUnaryCall;
  Issue(argument: _usher_auth_v1_IssueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_usher_auth_v1_Token__Output>): grpc.ClientUnaryCall;
  Issue(argument: _usher_auth_v1_IssueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_Token__Output>): grpc.ClientUnaryCall;
  Issue(argument: _usher_auth_v1_IssueRequest, callback: grpc.requestCallback<_usher_auth_v1_Token__Output>): grpc.ClientUnaryCall;
  /**
   * Starts a session for an already authenticated user and returns its first token pair.
   */
  issue(argument: _usher_auth_v1_IssueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_Token__Output>): grpc.ClientUnaryCall;
  issue(argument: _usher_auth_v1_IssueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_usher_auth_v1_Token__Output>): grpc.ClientUnaryCall;
  issue(argument: _usher_auth_v1_IssueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_Token__Output>): grpc.ClientUnaryCall;
  issue(argument: _usher_auth_v1_IssueRequest, callback: grpc.requestCallback<_usher_auth_v1_Token__Output>): grpc.ClientUnaryCall;
  
  ListApiKeys(argument: _usher_auth_v1_ListApiKeysRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_ListApiKeysResponse__Output>): grpc.ClientUnaryCall;
  ListApiKeys(argument: _usher_auth_v1_ListApiKeysRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_usher_auth_v1_ListApiKeysResponse__Output>): grpc.ClientUnaryCall;
  ListApiKeys(argument: _usher_auth_v1_ListApiKeysRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_ListApiKeysResponse__Output>): grpc.ClientUnaryCall;
  ListApiKeys(argument: _usher_auth_v1_ListApiKeysRequest, callback: grpc.requestCallback<_usher_auth_v1_ListApiKeysResponse__Output>): grpc.ClientUnaryCall;
  listApiKeys(argument: _usher_auth_v1_ListApiKeysRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_ListApiKeysResponse__Output>): grpc.ClientUnaryCall;
  listApiKeys(argument: _usher_auth_v1_ListApiKeysRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_usher_auth_v1_ListApiKeysResponse__Output>): grpc.ClientUnaryCall;
  listApiKeys(argument: _usher_auth_v1_ListApiKeysRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_ListApiKeysResponse__Output>): grpc.ClientUnaryCall;
  listApiKeys(argument: _usher_auth_v1_ListApiKeysRequest, callback: grpc.requestCallback<_usher_auth_v1_ListApiKeysResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Live sessions of a user, newest first.
   */
  ListSessions(argument: _usher_auth_v1_ListSessionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_ListSessionsResponse__Output>): grpc.ClientUnaryCall;
  ListSessions(argument: _usher_auth_v1_ListSessionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_usher_auth_v1_ListSessionsResponse__Output>): grpc.ClientUnaryCall;
  ListSessions(argument: _usher_auth_v1_ListSessionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_ListSessionsResponse__Output>): grpc.ClientUnaryCall;
  ListSessions(argument: _usher_auth_v1_ListSessionsRequest, callback: grpc.requestCallback<_usher_auth_v1_ListSessionsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Live sessions of a user, newest first.
   */
  listSessions(argument: _usher_auth_v1_ListSessionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_ListSessionsResponse__Output>): grpc.ClientUnaryCall;
  listSessions(argument: _usher_auth_v1_ListSessionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_usher_auth_v1_ListSessionsResponse__Output>): grpc.ClientUnaryCall;
  listSessions(argument: _usher_auth_v1_ListSessionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_ListSessionsResponse__Output>): grpc.ClientUnaryCall;
  listSessions(argument: _usher_auth_v1_ListSessionsRequest, callback: grpc.requestCallback<_usher_auth_v1_ListSessionsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Rotates the refresh token. Presenting a spent refresh token revokes the whole session.
   * UNAUTHENTICATED failures carry trailing metadata `usher-reason` (refresh_token_reuse, expired,
   * idle_timeout, session_revoked, invalid) and, when known, `usher-user-id` and `usher-session-id`.
   */
  Refresh(argument: _usher_auth_v1_RefreshRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_Token__Output>): grpc.ClientUnaryCall;
  Refresh(argument: _usher_auth_v1_RefreshRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_usher_auth_v1_Token__Output>): grpc.ClientUnaryCall;
  Refresh(argument: _usher_auth_v1_RefreshRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_Token__Output>): grpc.ClientUnaryCall;
  Refresh(argument: _usher_auth_v1_RefreshRequest, callback: grpc.requestCallback<_usher_auth_v1_Token__Output>): grpc.ClientUnaryCall;
  /**
   * Rotates the refresh token. Presenting a spent refresh token revokes the whole session.
   * UNAUTHENTICATED failures carry trailing metadata `usher-reason` (refresh_token_reuse, expired,
   * idle_timeout, session_revoked, invalid) and, when known, `usher-user-id` and `usher-session-id`.
   */
  refresh(argument: _usher_auth_v1_RefreshRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_Token__Output>): grpc.ClientUnaryCall;
  refresh(argument: _usher_auth_v1_RefreshRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_usher_auth_v1_Token__Output>): grpc.ClientUnaryCall;
  refresh(argument: _usher_auth_v1_RefreshRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_Token__Output>): grpc.ClientUnaryCall;
  refresh(argument: _usher_auth_v1_RefreshRequest, callback: grpc.requestCallback<_usher_auth_v1_Token__Output>): grpc.ClientUnaryCall;
  
  /**
   * Revoked everywhere within the same bounds as a session.
   */
  RevokeApiKey(argument: _usher_auth_v1_RevokeApiKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  RevokeApiKey(argument: _usher_auth_v1_RevokeApiKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_usher_auth_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  RevokeApiKey(argument: _usher_auth_v1_RevokeApiKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  RevokeApiKey(argument: _usher_auth_v1_RevokeApiKeyRequest, callback: grpc.requestCallback<_usher_auth_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Revoked everywhere within the same bounds as a session.
   */
  revokeApiKey(argument: _usher_auth_v1_RevokeApiKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  revokeApiKey(argument: _usher_auth_v1_RevokeApiKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_usher_auth_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  revokeApiKey(argument: _usher_auth_v1_RevokeApiKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  revokeApiKey(argument: _usher_auth_v1_RevokeApiKeyRequest, callback: grpc.requestCallback<_usher_auth_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  
  RevokeSession(argument: _usher_auth_v1_RevokeSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  RevokeSession(argument: _usher_auth_v1_RevokeSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_usher_auth_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  RevokeSession(argument: _usher_auth_v1_RevokeSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  RevokeSession(argument: _usher_auth_v1_RevokeSessionRequest, callback: grpc.requestCallback<_usher_auth_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  revokeSession(argument: _usher_auth_v1_RevokeSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  revokeSession(argument: _usher_auth_v1_RevokeSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_usher_auth_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  revokeSession(argument: _usher_auth_v1_RevokeSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  revokeSession(argument: _usher_auth_v1_RevokeSessionRequest, callback: grpc.requestCallback<_usher_auth_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  
  RevokeUserSessions(argument: _usher_auth_v1_RevokeUserSessionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  RevokeUserSessions(argument: _usher_auth_v1_RevokeUserSessionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_usher_auth_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  RevokeUserSessions(argument: _usher_auth_v1_RevokeUserSessionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  RevokeUserSessions(argument: _usher_auth_v1_RevokeUserSessionsRequest, callback: grpc.requestCallback<_usher_auth_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  revokeUserSessions(argument: _usher_auth_v1_RevokeUserSessionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  revokeUserSessions(argument: _usher_auth_v1_RevokeUserSessionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_usher_auth_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  revokeUserSessions(argument: _usher_auth_v1_RevokeUserSessionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  revokeUserSessions(argument: _usher_auth_v1_RevokeUserSessionsRequest, callback: grpc.requestCallback<_usher_auth_v1_RevokeResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Makes a new signing key current; older keys keep verifying until their tokens expire.
   */
  RotateSigningKey(argument: _usher_auth_v1_RotateSigningKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_RotateSigningKeyResponse__Output>): grpc.ClientUnaryCall;
  RotateSigningKey(argument: _usher_auth_v1_RotateSigningKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_usher_auth_v1_RotateSigningKeyResponse__Output>): grpc.ClientUnaryCall;
  RotateSigningKey(argument: _usher_auth_v1_RotateSigningKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_RotateSigningKeyResponse__Output>): grpc.ClientUnaryCall;
  RotateSigningKey(argument: _usher_auth_v1_RotateSigningKeyRequest, callback: grpc.requestCallback<_usher_auth_v1_RotateSigningKeyResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Makes a new signing key current; older keys keep verifying until their tokens expire.
   */
  rotateSigningKey(argument: _usher_auth_v1_RotateSigningKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_RotateSigningKeyResponse__Output>): grpc.ClientUnaryCall;
  rotateSigningKey(argument: _usher_auth_v1_RotateSigningKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_usher_auth_v1_RotateSigningKeyResponse__Output>): grpc.ClientUnaryCall;
  rotateSigningKey(argument: _usher_auth_v1_RotateSigningKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_usher_auth_v1_RotateSigningKeyResponse__Output>): grpc.ClientUnaryCall;
  rotateSigningKey(argument: _usher_auth_v1_RotateSigningKeyRequest, callback: grpc.requestCallback<_usher_auth_v1_RotateSigningKeyResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * For verifiers: a snapshot of the live revocations, then each new one, with heartbeats.
   */
  WatchRevocations(argument: _usher_auth_v1_WatchRevocationsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_usher_auth_v1_RevocationBatch__Output>;
  WatchRevocations(argument: _usher_auth_v1_WatchRevocationsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_usher_auth_v1_RevocationBatch__Output>;
  /**
   * For verifiers: a snapshot of the live revocations, then each new one, with heartbeats.
   */
  watchRevocations(argument: _usher_auth_v1_WatchRevocationsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_usher_auth_v1_RevocationBatch__Output>;
  watchRevocations(argument: _usher_auth_v1_WatchRevocationsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_usher_auth_v1_RevocationBatch__Output>;
  
}

export interface AuthServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Verifies an access token: UNAUTHENTICATED when it is invalid, expired or revoked.
   */
  Authenticate: grpc.handleUnaryCall<_usher_auth_v1_AuthenticateRequest__Output, _usher_auth_v1_Principal>;
  
  /**
   * Authenticate, then PERMISSION_DENIED unless the principal's role is at least min_role.
   */
  Authorize: grpc.handleUnaryCall<_usher_auth_v1_AuthorizeRequest__Output, _usher_auth_v1_Principal>;
  
  /**
   * Creates an API key; its secret is in this response only. RESOURCE_EXHAUSTED past 100 live keys.
   */
  CreateApiKey: grpc.handleUnaryCall<_usher_auth_v1_CreateApiKeyRequest__Output, _usher_auth_v1_CreateApiKeyResponse>;
  
  GetJwks: grpc.handleUnaryCall<_usher_auth_v1_GetJwksRequest__Output, _usher_auth_v1_Jwks>;
  
  /**
   * Starts a session for an already authenticated user and returns its first token pair.
   */
  Issue: grpc.handleUnaryCall<_usher_auth_v1_IssueRequest__Output, _usher_auth_v1_Token>;
  
  ListApiKeys: grpc.handleUnaryCall<_usher_auth_v1_ListApiKeysRequest__Output, _usher_auth_v1_ListApiKeysResponse>;
  
  /**
   * Live sessions of a user, newest first.
   */
  ListSessions: grpc.handleUnaryCall<_usher_auth_v1_ListSessionsRequest__Output, _usher_auth_v1_ListSessionsResponse>;
  
  /**
   * Rotates the refresh token. Presenting a spent refresh token revokes the whole session.
   * UNAUTHENTICATED failures carry trailing metadata `usher-reason` (refresh_token_reuse, expired,
   * idle_timeout, session_revoked, invalid) and, when known, `usher-user-id` and `usher-session-id`.
   */
  Refresh: grpc.handleUnaryCall<_usher_auth_v1_RefreshRequest__Output, _usher_auth_v1_Token>;
  
  /**
   * Revoked everywhere within the same bounds as a session.
   */
  RevokeApiKey: grpc.handleUnaryCall<_usher_auth_v1_RevokeApiKeyRequest__Output, _usher_auth_v1_RevokeResponse>;
  
  RevokeSession: grpc.handleUnaryCall<_usher_auth_v1_RevokeSessionRequest__Output, _usher_auth_v1_RevokeResponse>;
  
  RevokeUserSessions: grpc.handleUnaryCall<_usher_auth_v1_RevokeUserSessionsRequest__Output, _usher_auth_v1_RevokeResponse>;
  
  /**
   * Makes a new signing key current; older keys keep verifying until their tokens expire.
   */
  RotateSigningKey: grpc.handleUnaryCall<_usher_auth_v1_RotateSigningKeyRequest__Output, _usher_auth_v1_RotateSigningKeyResponse>;
  
  /**
   * For verifiers: a snapshot of the live revocations, then each new one, with heartbeats.
   */
  WatchRevocations: grpc.handleServerStreamingCall<_usher_auth_v1_WatchRevocationsRequest__Output, _usher_auth_v1_RevocationBatch>;
  
}

export interface AuthServiceDefinition extends grpc.ServiceDefinition {
  Authenticate: MethodDefinition<_usher_auth_v1_AuthenticateRequest, _usher_auth_v1_Principal, _usher_auth_v1_AuthenticateRequest__Output, _usher_auth_v1_Principal__Output>
  Authorize: MethodDefinition<_usher_auth_v1_AuthorizeRequest, _usher_auth_v1_Principal, _usher_auth_v1_AuthorizeRequest__Output, _usher_auth_v1_Principal__Output>
  CreateApiKey: MethodDefinition<_usher_auth_v1_CreateApiKeyRequest, _usher_auth_v1_CreateApiKeyResponse, _usher_auth_v1_CreateApiKeyRequest__Output, _usher_auth_v1_CreateApiKeyResponse__Output>
  GetJwks: MethodDefinition<_usher_auth_v1_GetJwksRequest, _usher_auth_v1_Jwks, _usher_auth_v1_GetJwksRequest__Output, _usher_auth_v1_Jwks__Output>
  Issue: MethodDefinition<_usher_auth_v1_IssueRequest, _usher_auth_v1_Token, _usher_auth_v1_IssueRequest__Output, _usher_auth_v1_Token__Output>
  ListApiKeys: MethodDefinition<_usher_auth_v1_ListApiKeysRequest, _usher_auth_v1_ListApiKeysResponse, _usher_auth_v1_ListApiKeysRequest__Output, _usher_auth_v1_ListApiKeysResponse__Output>
  ListSessions: MethodDefinition<_usher_auth_v1_ListSessionsRequest, _usher_auth_v1_ListSessionsResponse, _usher_auth_v1_ListSessionsRequest__Output, _usher_auth_v1_ListSessionsResponse__Output>
  Refresh: MethodDefinition<_usher_auth_v1_RefreshRequest, _usher_auth_v1_Token, _usher_auth_v1_RefreshRequest__Output, _usher_auth_v1_Token__Output>
  RevokeApiKey: MethodDefinition<_usher_auth_v1_RevokeApiKeyRequest, _usher_auth_v1_RevokeResponse, _usher_auth_v1_RevokeApiKeyRequest__Output, _usher_auth_v1_RevokeResponse__Output>
  RevokeSession: MethodDefinition<_usher_auth_v1_RevokeSessionRequest, _usher_auth_v1_RevokeResponse, _usher_auth_v1_RevokeSessionRequest__Output, _usher_auth_v1_RevokeResponse__Output>
  RevokeUserSessions: MethodDefinition<_usher_auth_v1_RevokeUserSessionsRequest, _usher_auth_v1_RevokeResponse, _usher_auth_v1_RevokeUserSessionsRequest__Output, _usher_auth_v1_RevokeResponse__Output>
  RotateSigningKey: MethodDefinition<_usher_auth_v1_RotateSigningKeyRequest, _usher_auth_v1_RotateSigningKeyResponse, _usher_auth_v1_RotateSigningKeyRequest__Output, _usher_auth_v1_RotateSigningKeyResponse__Output>
  WatchRevocations: MethodDefinition<_usher_auth_v1_WatchRevocationsRequest, _usher_auth_v1_RevocationBatch, _usher_auth_v1_WatchRevocationsRequest__Output, _usher_auth_v1_RevocationBatch__Output>
}
