export { parseDuration, formatDuration } from './duration';
export { ConfigError, parseEnv, type Env } from './load';
export { type DatabaseConfig } from './database';
export { UsersEnv, loadUsersConfig, type UsersConfig, type EmailConfig, type TlsFiles } from './users';
export { AuthEnv, loadAuthConfig, type AuthConfig } from './auth';
export { loadOAuthProviders, type OAuthConfig, type OAuthProviderConfig } from './oauth';
export { magistralaName, withMagistralaFallbacks } from './magistrala';
export { SecretBox, SecretBoxError, parseKek, kekId, isSealed } from './secret-box';
export { natsConnection, redactUrl, type NatsConnection } from './nats';
