import type { ApiKeyStore } from '../../platform/auth/api-key-store';
import { hashApiKeySecret } from './api-key-secret';
import { API_KEY_REVOKED_CHANNEL, findActiveApiKeyBySecretHash } from './api-keys.repository';

/** The API keys authentication looks up (the interface is platform/auth's; app.ts wires it). */
export const apiKeyStore: ApiKeyStore = {
  hashSecret: hashApiKeySecret,
  findActiveBySecretHash: findActiveApiKeyBySecretHash,
  revocationChannel: API_KEY_REVOKED_CHANNEL,
};
