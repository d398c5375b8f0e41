export { loadAuthProto, authServiceDefinition, newAuthServiceClient, protoDir, LOADER_OPTIONS } from './auth';
export {
  ROLE_NAMES,
  roleLevel,
  roleName,
  roleToProto,
  roleFromProto,
  roleAtLeast,
  type RoleName,
  type RoleLevel,
} from './roles';
export type {
  AuthServiceClient,
  AuthServiceHandlers,
  AuthServiceDefinition,
} from './generated/usher/auth/v1/AuthService';
export type { IssueRequest__Output as IssueRequest } from './generated/usher/auth/v1/IssueRequest';
export type { RefreshRequest__Output as RefreshRequest } from './generated/usher/auth/v1/RefreshRequest';
export type { AuthenticateRequest__Output as AuthenticateRequest } from './generated/usher/auth/v1/AuthenticateRequest';
export type { AuthorizeRequest__Output as AuthorizeRequest } from './generated/usher/auth/v1/AuthorizeRequest';
export type { RevokeSessionRequest__Output as RevokeSessionRequest } from './generated/usher/auth/v1/RevokeSessionRequest';
export type { RevokeUserSessionsRequest__Output as RevokeUserSessionsRequest } from './generated/usher/auth/v1/RevokeUserSessionsRequest';
export type { ListSessionsRequest__Output as ListSessionsRequest } from './generated/usher/auth/v1/ListSessionsRequest';
export type { ClientInfo, ClientInfo__Output } from './generated/usher/auth/v1/ClientInfo';
export type { Token, Token__Output } from './generated/usher/auth/v1/Token';
export type { Principal, Principal__Output } from './generated/usher/auth/v1/Principal';
export type { Session, Session__Output } from './generated/usher/auth/v1/Session';
export type { Jwk, Jwk__Output } from './generated/usher/auth/v1/Jwk';
export type { Jwks, Jwks__Output } from './generated/usher/auth/v1/Jwks';
export type { RevokeResponse, RevokeResponse__Output } from './generated/usher/auth/v1/RevokeResponse';
export type {
  ListSessionsResponse,
  ListSessionsResponse__Output,
} from './generated/usher/auth/v1/ListSessionsResponse';
export type { RotateSigningKeyResponse } from './generated/usher/auth/v1/RotateSigningKeyResponse';
export type { Role, Role__Output } from './generated/usher/auth/v1/Role';
export type { Revocation, Revocation__Output } from './generated/usher/auth/v1/Revocation';
export type { RevocationBatch, RevocationBatch__Output } from './generated/usher/auth/v1/RevocationBatch';
export type { WatchRevocationsRequest__Output as WatchRevocationsRequest } from './generated/usher/auth/v1/WatchRevocationsRequest';
export {
  USERS_STREAM,
  USERS_SUBJECT_PREFIX,
  USER_EVENT_TYPES,
  USER_EVENT_VERSION,
  subjectOf,
  type UserEventType,
  type UserEvent,
  type EventUser,
} from './events';
export {
  CLIENT_ID_METADATA,
  CLIENT_SECRET_METADATA,
  callerInterceptor,
  withCaller,
  type CallerCredentials,
} from './caller';
