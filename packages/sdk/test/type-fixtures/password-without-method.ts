// A connector that declares password: true and returns an instance without openPassword.
import { defineConnector } from '@ecmahost/sdk';

export default defineConnector({
  name: 'no-password-session',
  displayName: 'No password session',
  version: '1.0.0',
  capabilities: { import: false, password: true },
  async open() {
    return {
      async testConnection() {},
      async getSchema() {
        return { objectTypes: [] };
      },
      async close() {},
    };
  },
});
