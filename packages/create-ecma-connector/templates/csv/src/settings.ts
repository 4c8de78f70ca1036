import type { ParameterDefinition, ParameterValues } from '@ecmahost/sdk';
import { ConnectorError, readParameters } from '@ecmahost/sdk';

/** The one object type this connector holds; every row of the CSV file is one. */
export const OBJECT_TYPE = 'person';

// #if password
/** The column holding scrypt password hashes. It is never imported and never part of the schema. */
export const PASSWORD_COLUMN = 'PasswordHash';

// #endif
/** The configuration of one connector instance, read from its Connectivity page. */
export interface Settings {
  /** Path of the CSV file. */
  filePath: string;
  /** The column that identifies a user for life. */
  anchor: string;
  /** The field delimiter: `,`, `;` or a tab. */
  delimiter: string;
  /** Separates the values of a multi-valued column inside one cell. */
  separator: string;
}

const DELIMITERS: Readonly<Record<string, string>> = { comma: ',', semicolon: ';', tab: '\t' };

/** The Connectivity page an admin fills in when adding an instance of this connector. */
export const CONNECTIVITY: readonly ParameterDefinition[] = [
  {
    type: 'file',
    name: 'FilePath',
    label: 'CSV file',
    description: 'Path of the CSV file holding the users. Its first row names the columns.',
    required: true,
  },
  {
    type: 'string',
    name: 'AnchorColumn',
    label: 'Anchor column',
    description: 'The column that identifies a user for life; its value never changes.',
    default: 'UserName',
  },
  { type: 'dropdown', name: 'Delimiter', label: 'Delimiter', options: Object.keys(DELIMITERS), default: 'comma' },
  {
    type: 'string',
    name: 'MultiValueSeparator',
    label: 'Multi-value separator',
    description: 'Separates the values of a multi-valued column (header Name[]) inside one cell.',
    default: ';',
    pattern: '^[^\\r\\n"]$',
    patternMessage: 'one character, neither a quote nor a line break',
  },
];

/** Reads an instance's values; throws `ConnectorError('invalid-configuration')` naming the parameter at fault. */
export function readSettings(values: ParameterValues): Settings {
  const read = readParameters(values);
  const delimiterName = read.string('Delimiter', 'comma');
  const delimiter = DELIMITERS[delimiterName];
  if (delimiter === undefined) {
    throw new ConnectorError('invalid-configuration', `Delimiter must be one of ${Object.keys(DELIMITERS).join(', ')}, not "${delimiterName}"`, {
      parameter: 'Delimiter',
    });
  }
  const separator = read.string('MultiValueSeparator', ';');
  if (separator.length !== 1 || separator === delimiter || /["\r\n]/.test(separator)) {
    throw new ConnectorError('invalid-configuration', 'MultiValueSeparator must be one character other than the delimiter, a quote or a line break', {
      parameter: 'MultiValueSeparator',
    });
  }
  return { filePath: read.string('FilePath'), anchor: read.string('AnchorColumn', 'UserName'), delimiter, separator };
}
