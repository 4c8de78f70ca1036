/**
 * The version of the connector contract this SDK implements.
 *
 * `defineConnector` stamps it on every connector; a host compares it with the versions it
 * supports when it loads the connector and refuses a mismatch with an error naming both.
 * It is an integer that changes only when the contract changes incompatibly: additions to the
 * contract are optional members and keep the version.
 */
export const API_VERSION = 1;
