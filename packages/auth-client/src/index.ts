export {
  createAuthClient,
  channelCredentials,
  AuthClientError,
  type AuthClient,
  type AuthClientOptions,
  type AuthErrorKind,
  type Principal,
  type IssueInput,
  type TokenPair,
} from './client';
export { requireAuth, optionalAuth, bearerToken, sendAuthError, type RequireAuthOptions } from './middleware';
