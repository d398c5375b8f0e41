export {
  createAuthClient,
  channelCredentials,
  AuthClientError,
  type AuthClient,
  type AuthClientOptions,
  type AuthErrorKind,
  type AuthErrorDetail,
  type Principal,
  type IssueInput,
  type TokenPair,
  type ApiKey,
  type CreatedApiKey,
  type CreateApiKeyInput,
  type RevokeUserSessionsOptions,
} from './client';
export { type CallerCredentials } from '@usher/contracts';
export { requireAuth, optionalAuth, bearerToken, sendAuthError, type RequireAuthOptions } from './middleware';
export { createVerifier, type Verifier, type VerifierOptions } from './verifier';
