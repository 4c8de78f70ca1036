export { API_VERSION } from './api-version.js';
export { Secret, isSecret, secret } from './secret.js';
export { CONNECTOR_ERROR_CODES, ConnectorError, isConnectorError } from './errors.js';
export type { ConnectorErrorCode, ConnectorErrorOptions } from './errors.js';
export type { AttributeType, AttributeValue, AttributeValues, AnchorValues } from './values.js';
export { isValueOfType, valuesEqual, toValueArray } from './values.js';
export type { Capabilities, ExportType, DnStyle, Normalization } from './capabilities.js';
export { DEFAULT_CAPABILITIES, resolveCapabilities, capabilityProblems } from './capabilities.js';
export type {
  ParameterPage,
  ParameterDefinition,
  ParameterType,
  ParameterValue,
  ParameterValues,
  ParameterRequest,
  ParameterIssue,
  StringParameter,
  EncryptedStringParameter,
  TextParameter,
  CheckboxParameter,
  DropdownParameter,
  FileParameter,
  LabelParameter,
  DividerParameter,
} from './parameters.js';
export { PARAMETER_PAGES, holdsValue } from './parameters.js';
export type { JsonSchema } from './parameter-validation.js';
export { parametersJsonSchema, checkParameterValues, normalizeParameterValues } from './parameter-validation.js';
export type { ParameterReader } from './parameter-reader.js';
export { readParameters } from './parameter-reader.js';
export type { AttributeOperation, AttributeDefinition, ObjectTypeDefinition, Schema } from './schema.js';
export { DN_ATTRIBUTE, attributeOperation, findObjectType, schemaProblems } from './schema.js';
export type { ObjectModification, AttributeModification, ValueChange, AttributeChange, CSEntryChange } from './changes.js';
export { attributeChange, attributeChangesOf, applyAttributeChanges } from './changes.js';
export type { Logger, ConnectorContext, CloseReason } from './context.js';
export { silentLogger } from './context.js';
export type { Partition, HierarchyNode } from './partitions.js';
export type { ImportType, ImportRunStep, ImportEntry, ImportEntryError, ImportEntryOfChanges, ImportEntryOfValues, ImportPage, ImportSession } from './import.js';
export { failedImportEntry, importEntryChanges, importValuesProblem, isAttributeValue } from './import.js';
export type { ExportErrorCode, EntryError, ExportEntryResult, ExportRunStep, ExportSession } from './export.js';
export { EXPORT_ERROR_CODES, entryError } from './export.js';
export type { PasswordOptions, PasswordTarget, ConnectionSecurityLevel, PasswordSession, PasswordRunStep } from './password.js';
export type { ConnectorInstance, ConnectorSpec, ConnectorDefinition, ParametersSpec, CapabilityMethodsCheck } from './connector.js';
export { defineConnector, isConnectorDefinition, assertApiVersion, instanceProblems } from './connector.js';
