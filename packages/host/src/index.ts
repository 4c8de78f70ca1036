export type { ConnectorInstanceConfig, DisableFlow, DeleteFlow, SelectedAttribute, RunProfiles } from './config/connector-config.js';
export { hashToken, verifyToken, generateToken, MIN_TOKEN_LENGTH } from './auth/token.js';
