import type { ParameterDefinition } from '@ecmahost/sdk';

/** One choice of a selection prompt. */
export interface Choice<T> {
  value: T;
  label: string;
  hint?: string;
}

/**
 * The questions `connector add` may ask. The CLI implements it with @clack/prompts on a TTY; where
 * there is no TTY no prompter exists and every answer must come from flags.
 */
export interface Prompter {
  /** Asks for one connector parameter, starting from `current`; returns the raw answer. */
  parameter(definition: ParameterDefinition, current: string | boolean | undefined): Promise<string | boolean>;
  select<T>(message: string, choices: readonly Choice<T>[], initial?: T): Promise<T>;
  /** Several choices; `required` (default true) refuses an empty answer. */
  multiselect<T>(message: string, choices: readonly Choice<T>[], initial: readonly T[], required?: boolean): Promise<T[]>;
  text(message: string, options?: { initial?: string; placeholder?: string; validate?: (value: string) => string | undefined }): Promise<string>;
  confirm(message: string, initial: boolean): Promise<boolean>;
  /** Shows a page title, a label parameter's text or a divider. */
  note(message: string): void;
  /** Shows validation errors before the page is asked again. */
  error(message: string): void;
}
